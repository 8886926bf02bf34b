#include "aimc/numerics/LdpuFp16Params.h"

#include <string>

#include "aimc/base/Error.h"

namespace aimc {

void LdpuFp16Params::validate() const {
  auto check = [](bool ok, const std::string& key, const std::string& reason) {
    if (!ok) throw UserError("", 0, "ldpu." + key, reason);
  };
  auto in_range = [](int v, int hi) { return v >= 1 && v <= hi; };
  auto range_text = [](int hi) { return "must be in [1, " + std::to_string(hi) + "]"; };
  check(in_range(adc_count_bits, kMaxAdcCountBits), "adc_count_bits", range_text(kMaxAdcCountBits));
  check(in_range(lanes, kMaxLanes), "lanes", range_text(kMaxLanes));
  check(in_range(pipeline_depth, kMaxPipelineDepth), "pipeline_depth", range_text(kMaxPipelineDepth));
  check(clock_hz > 0, "clock_hz", "must be positive");
  check(activation_bins >= 3 && activation_bins <= kMaxActivationBins, "activation.bins",
        "must be in [3, " + std::to_string(kMaxActivationBins) + "]");
  check(in_range(activation_pipeline_depth, kMaxPipelineDepth), "activation.pipeline_depth",
        range_text(kMaxPipelineDepth));
}

}  // namespace aimc
