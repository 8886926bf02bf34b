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
// Without a float comparison (workload.compare_float false) the float figures are 0.
OutputScores score_outputs(const Workload& workload, const std::vector<int8_t>& outputs);

// The same scores summed over a batch whose outputs come in consecutive parts (a run streams them to disk
// and keeps none): the sums run in sample order, so the result equals score_outputs over the whole batch
// bit for bit.
class ScoreTally {
 public:
  explicit ScoreTally(const Workload& workload) : w_(&workload) {}
  // The outputs of the next `samples` samples ([samples, output_features] INT8, NCHW order).
  void add(const int8_t* outputs, int64_t samples);
  OutputScores scores() const;  // over every sample added (asserts: the whole batch)

 private:
  const Workload* w_;
  int64_t next_ = 0, correct_ = 0, agree_ = 0;
  double err2_ = 0, ref2_ = 0;
};

// Mean and spread of one score over a run's repeats. std is the population standard deviation (ddof = 0,
// numpy's default, as AIHWKit users plot it).
struct ScoreSpread {
  double mean = 0, std = 0, min = 0, max = 0;
};
ScoreSpread spread_of(const std::vector<double>& values);

// The float reference's accuracy on the batch; none without labels.
std::optional<double> float_accuracy(const Workload& workload);

}  // namespace aimc
