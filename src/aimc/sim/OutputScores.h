#pragma once
// How good the chip's outputs for a batch are: top-1 accuracy against the labels, top-1 agreement with the
// float reference, and the RMS error of the dequantised logits relative to the float logits.
#include <cstdint>
#include <optional>
#include <vector>

#include "aimc/sim/Workload.h"

namespace aimc {

struct OutputScores {
  double agreement_with_float = 0;  // fraction of samples whose top-1 is the float reference's
  double logit_relative_error = 0;  // ||out_step * outputs - float logits|| / ||float logits||
  std::optional<double> accuracy;   // fraction of samples whose top-1 is their label; none without labels
};

// outputs: [samples, output_features] INT8 in NCHW order (ties go to the first class, as in the reference).
OutputScores score_outputs(const Workload& workload, const std::vector<int8_t>& outputs);

// The float reference's accuracy on the batch; none without labels.
std::optional<double> float_accuracy(const Workload& workload);

}  // namespace aimc
