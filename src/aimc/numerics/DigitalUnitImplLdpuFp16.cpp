#include "aimc/numerics/DigitalUnitImplLdpuFp16.h"

#include "aimc/base/Error.h"

namespace aimc {

void DigitalUnitImplLdpuFp16::configure(const std::vector<DigitalChannelCoefficients>& channels) {
  channels_.clear();
  channels_.reserve(channels.size());
  for (const DigitalChannelCoefficients& c : channels)
    channels_.push_back(
        model_.quantize_channel(c.gain, c.offset, c.scale, c.bias, c.side_scale, c.relu1, c.relu2));
}

namespace {
uint32_t halves(Fp16 low, uint16_t high) {
  return static_cast<uint32_t>(low.bits()) | static_cast<uint32_t>(high) << 16;
}
}  // namespace

std::vector<uint32_t> DigitalUnitImplLdpuFp16::encode(
    const std::vector<DigitalChannelCoefficients>& channels) const {
  std::vector<uint32_t> words;
  words.reserve(channels.size() * 3);
  for (const DigitalChannelCoefficients& c : channels) {
    const LdpuFp16Channel ch =
        model_.quantize_channel(c.gain, c.offset, c.scale, c.bias, c.side_scale, c.relu1, c.relu2);
    words.push_back(halves(ch.gain, ch.offset.bits()));
    words.push_back(halves(ch.scale, ch.bias.bits()));
    words.push_back(
        halves(ch.side_scale, static_cast<uint16_t>((ch.relu1 ? 1u : 0u) | (ch.relu2 ? 2u : 0u))));
  }
  return words;
}

void DigitalUnitImplLdpuFp16::write_register(uint32_t index, uint32_t word) {
  const uint32_t channel = index / 3;
  // The window's size (the crossbar's rows) is checked by DigitalUnit.
  if (channels_.size() <= channel) channels_.resize(channel + 1);
  LdpuFp16Channel& ch = channels_[channel];
  const Fp16 low = Fp16::from_bits(static_cast<uint16_t>(word & 0xFFFFu));
  const auto high = static_cast<uint16_t>(word >> 16);
  switch (index % 3) {
    case 0:
      ch.gain = low;
      ch.offset = Fp16::from_bits(high);
      break;
    case 1:
      ch.scale = low;
      ch.bias = Fp16::from_bits(high);
      break;
    default:
      ch.side_scale = low;
      ch.relu1 = (high & 1u) != 0;
      ch.relu2 = (high & 2u) != 0;
      break;
  }
}

uint64_t DigitalUnitImplLdpuFp16::process(const uint32_t* pos, const uint32_t* neg, size_t n,
                                          const int8_t* side, int8_t* out) {
  AIMC_ASSERT_MSG(n <= channels_.size(), "digital unit run on more values than configured channels");
  model_.process_range(pos, neg, channels_, 0, n, side, nullptr, out);
  return model_.latency_cycles(n);
}

}  // namespace aimc
