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

// Mean and spread of one score over a run's repeats. std is the population standard deviation (ddof = 0,
// numpy's default, as AIHWKit users plot it).
struct ScoreSpread {
  double mean = 0, std = 0, min = 0, max = 0;
};
ScoreSpread spread_of(const std::vector<double>& values);

// The float reference's accuracy on the batch; none without labels.
std::optional<double> float_accuracy(const Workload& workload);

}  // namespace aimc
