#include "aimc/hw/DigitalUnitImplLdpuFp16.h"

#include "aimc/base/Error.h"

namespace aimc {

void DigitalUnitImplLdpuFp16::configure(const std::vector<DigitalChannelCoefficients>& channels) {
  channels_.clear();
  channels_.reserve(channels.size());
  for (const DigitalChannelCoefficients& c : channels)
    channels_.push_back(
        model_.quantize_channel(c.gain, c.offset, c.scale, c.bias, c.side_scale, c.relu1, c.relu2));
}

uint64_t DigitalUnitImplLdpuFp16::process(const uint32_t* pos, const uint32_t* neg, size_t n,
                                          const int8_t* side, int8_t* out) {
  AIMC_ASSERT_MSG(n <= channels_.size(), "digital unit run on more values than configured channels");
  model_.process_range(pos, neg, channels_, 0, n, side, nullptr, out);
  return model_.latency_cycles(n);
}

}  // namespace aimc
