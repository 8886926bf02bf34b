#include "aimc/numerics/LdpuFp16Params.h"

#include <string>

#include "aimc/base/Error.h"

namespace aimc {

void LdpuFp16Params::validate() const {
  auto check = [](bool ok, const char* key, const std::string& reason) {
    if (!ok) throw UserError("", 0, std::string("ldpu.") + key, reason);
  };
  check(adc_count_bits >= 1 && adc_count_bits <= 16, "adc_count_bits", "must be in [1, 16]");
  check(lanes >= 1 && lanes <= 64, "lanes", "must be in [1, 64]");
  check(pipeline_depth >= 1 && pipeline_depth <= 32, "pipeline_depth", "must be in [1, 32]");
  check(clock_hz > 0, "clock_hz", "must be positive");
}

}  // namespace aimc
