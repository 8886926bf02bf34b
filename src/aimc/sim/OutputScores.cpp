#include "aimc/sim/OutputScores.h"

#include <algorithm>
#include <cmath>

namespace aimc {

OutputScores score_outputs(const Workload& workload, const std::vector<int8_t>& outputs) {
  const int64_t n = workload.samples;
  const int64_t k = workload.mapping.output_features;
  const double out_step = workload.mapping.output_step;
  const std::vector<float>& ref = workload.float_logits.data;
  int64_t correct = 0, agree = 0;
  double err2 = 0, ref2 = 0;
  for (int64_t s = 0; s < n; ++s) {
    int best = 0;
    for (int64_t c = 0; c < k; ++c) {
      const auto i = static_cast<size_t>(s * k + c);
      const int8_t v = outputs[i];
      if (v > outputs[static_cast<size_t>(s * k + best)]) best = static_cast<int>(c);
      const double d = v * out_step - ref[i];
      err2 += d * d;
      ref2 += static_cast<double>(ref[i]) * ref[i];
    }
    if (!workload.labels.empty() && best == workload.labels[static_cast<size_t>(s)]) ++correct;
    if (best == workload.float_top1[static_cast<size_t>(s)]) ++agree;
  }
  OutputScores scores;
  scores.agreement_with_float = static_cast<double>(agree) / static_cast<double>(n);
  scores.logit_relative_error = std::sqrt(err2 / std::max(ref2, 1e-30));
  if (!workload.labels.empty()) scores.accuracy = static_cast<double>(correct) / static_cast<double>(n);
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
  if (workload.labels.empty()) return std::nullopt;
  int64_t correct = 0;
  for (int64_t s = 0; s < workload.samples; ++s)
    if (workload.float_top1[static_cast<size_t>(s)] == workload.labels[static_cast<size_t>(s)]) ++correct;
  return static_cast<double>(correct) / static_cast<double>(workload.samples);
}

}  // namespace aimc
