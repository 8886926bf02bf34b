#include "aimc/numerics/DigitalUnitImplNmpu.h"

#include "aimc/base/Error.h"

namespace aimc {

void DigitalUnitImplNmpu::configure(const std::vector<DigitalChannelCoefficients>& channels) {
  channels_.clear();
  channels_.reserve(channels.size());
  for (const DigitalChannelCoefficients& c : channels)
    channels_.push_back(
        model_.quantize_channel(c.gain, c.offset, c.scale, c.bias, c.side_scale, c.relu1, c.relu2));
}

std::vector<uint32_t> DigitalUnitImplNmpu::encode(
    const std::vector<DigitalChannelCoefficients>& channels) const {
  return encode_with(model_, channels);
}

std::vector<uint32_t> DigitalUnitImplNmpu::encode_with(
    const NmpuModel& model, const std::vector<DigitalChannelCoefficients>& channels) {
  std::vector<uint32_t> words;
  words.reserve(channels.size() * NmpuRegisterMap::kFields);
  for (const DigitalChannelCoefficients& c : channels)
    for (const NmpuRegisterMap::Write& w : NmpuRegisterMap::encode(
             model.quantize_channel(c.gain, c.offset, c.scale, c.bias, c.side_scale, c.relu1, c.relu2)))
      words.push_back(w.wdata);
  return words;
}

void DigitalUnitImplNmpu::write_register(uint32_t index, uint32_t word) {
  const uint32_t channel = index / NmpuRegisterMap::kFields;
  AIMC_ASSERT(channel < static_cast<uint32_t>(model_.params().channels));
  // The register file holds every channel; the ones written so far are the configured ones.
  if (channels_.size() <= channel) channels_.resize(channel + 1);
  NmpuRegisterMap::apply(model_.params(), index % NmpuRegisterMap::kFields, word, channels_[channel]);
}

uint64_t DigitalUnitImplNmpu::process(const uint32_t* pos, const uint32_t* neg, size_t n, const int8_t* side,
                                      int8_t* out) {
  AIMC_ASSERT_MSG(n <= channels_.size(), "digital unit run on more values than configured channels");
  model_.process_range(pos, neg, channels_, 0, n, side, nullptr, out);
  return model_.latency_cycles(n);
}

}  // namespace aimc
