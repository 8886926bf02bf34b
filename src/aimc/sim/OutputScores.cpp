#include "aimc/sim/OutputScores.h"

#include <algorithm>
#include <cmath>

#include "aimc/base/Error.h"

namespace aimc {

OutputScores score_outputs(const Workload& workload, const std::vector<int8_t>& outputs) {
  ScoreTally tally(workload);
  tally.add(outputs.data(), workload.samples);
  return tally.scores();
}

void ScoreTally::add(const int8_t* outputs, int64_t samples) {
  const Workload& w = *w_;
  const int64_t k = w.mapping.output_features;
  const double out_step = w.mapping.output_step;
  AIMC_ASSERT(next_ + samples <= w.samples);
  for (int64_t n = 0; n < samples; ++n, ++next_) {
    const int8_t* row = outputs + n * k;
    const auto best = static_cast<int32_t>(std::max_element(row, row + k) - row);  // the first on ties
    if (!w.labels.empty() && best == w.labels[static_cast<size_t>(next_)]) ++correct_;
    if (!w.compare_float) continue;
    const float* ref = w.float_logits.data.data() + next_ * k;
    for (int64_t c = 0; c < k; ++c) {
      const double d = row[c] * out_step - ref[c];
      err2_ += d * d;
      ref2_ += static_cast<double>(ref[c]) * ref[c];
    }
    if (best == w.float_top1[static_cast<size_t>(next_)]) ++agree_;
  }
}

OutputScores ScoreTally::scores() const {
  const Workload& w = *w_;
  AIMC_ASSERT(next_ == w.samples);
  const auto n = static_cast<double>(w.samples);
  OutputScores scores;
  scores.agreement_with_float = static_cast<double>(agree_) / n;
  scores.logit_relative_error = std::sqrt(err2_ / std::max(ref2_, 1e-30));
  if (!w.labels.empty()) scores.accuracy = static_cast<double>(correct_) / n;
  return scores;
}

ScoreSpread spread_of(const std::vector<double>& values) {
  ScoreSpread s;
  if (values.empty()) return s;
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  for (double v : values) s.mean += v;
  // Within [min, max] also when rounding of the sum says otherwise (equal values).
  s.mean = std::clamp(s.mean / static_cast<double>(values.size()), s.min, s.max);
  double var = 0;
  for (double v : values) var += (v - s.mean) * (v - s.mean);
  s.std = std::sqrt(var / static_cast<double>(values.size()));
  return s;
}

std::optional<double> float_accuracy(const Workload& workload) {
  if (workload.labels.empty() || !workload.compare_float) return std::nullopt;
  int64_t correct = 0;
  for (int64_t s = 0; s < workload.samples; ++s)
    if (workload.float_top1[static_cast<size_t>(s)] == workload.labels[static_cast<size_t>(s)]) ++correct;
  return static_cast<double>(correct) / static_cast<double>(workload.samples);
}

}  // namespace aimc
