#include "aimc/numerics/DigitalUnitImplNmpu.h"

#include "aimc/base/Error.h"
#include "aimc/numerics/ActivationTable.h"

namespace aimc {

namespace {

// The bank's quantised channels and shared activation registers, as configure() and encode() round them.
void quantize_bank(const NmpuModel& model, const std::vector<DigitalChannelCoefficients>& channels,
                   std::vector<NmpuChannel>* out, NmpuActivation* act) {
  const NmpuActivationParams& a = model.params().activation;
  ActivationTable table;
  *act = NmpuActivation{};
  if (bank_activation_table(channels, a.enabled, a.bins, &table)) *act = model.quantize_activation(table);
  if (a.enabled) {
    // The register file has every table entry, zero when unused (as the registers hold after encode()).
    act->breakpoints.resize(static_cast<size_t>(a.bins - 1));
    act->values.resize(static_cast<size_t>(a.bins));
    act->slopes.resize(static_cast<size_t>(a.bins));
  }
  out->clear();
  out->reserve(channels.size());
  for (const DigitalChannelCoefficients& c : channels) {
    NmpuChannel ch =
        model.quantize_channel(c.gain, c.offset, c.scale, c.bias, c.side_scale, c.relu1, c.relu2);
    if (act->enabled && !act->table)
      ch.act_slope_neg = model.quantize_activation_slope(channel_activation_slope_neg(c));
    out->push_back(ch);
  }
}

}  // namespace

void DigitalUnitImplNmpu::configure(const std::vector<DigitalChannelCoefficients>& channels) {
  quantize_bank(model_, channels, &channels_, &activation_);
}

std::vector<uint32_t> DigitalUnitImplNmpu::encode(
    const std::vector<DigitalChannelCoefficients>& channels) const {
  return encode_with(model_, channels);
}

std::vector<uint32_t> DigitalUnitImplNmpu::encode_with(
    const NmpuModel& model, const std::vector<DigitalChannelCoefficients>& channels) {
  std::vector<NmpuChannel> quantized;
  NmpuActivation act;
  quantize_bank(model, channels, &quantized, &act);
  const NmpuParams& p = model.params();
  std::vector<uint32_t> words = NmpuRegisterMap::encode_activation(p, act);
  words.reserve(words.size() + channels.size() * NmpuRegisterMap::words_per_channel(p));
  for (const NmpuChannel& ch : quantized) {
    for (const NmpuRegisterMap::Write& w : NmpuRegisterMap::encode(ch)) words.push_back(w.wdata);
    if (p.activation.enabled) words.push_back(static_cast<uint32_t>(ch.act_slope_neg));
  }
  return words;
}

void DigitalUnitImplNmpu::write_register(uint32_t index, uint32_t word) {
  const NmpuParams& p = model_.params();
  const uint32_t shared = NmpuRegisterMap::activation_words(p);
  if (index < shared) {
    NmpuRegisterMap::apply_activation(p, index, word, activation_);
    return;
  }
  const uint32_t per_channel = NmpuRegisterMap::words_per_channel(p);
  const uint32_t channel = (index - shared) / per_channel;
  AIMC_ASSERT(channel < static_cast<uint32_t>(p.channels));
  // The register file holds every channel; the ones written so far are the configured ones.
  if (channels_.size() <= channel) channels_.resize(channel + 1);
  NmpuRegisterMap::apply(p, (index - shared) % per_channel, word, channels_[channel]);
}

uint64_t DigitalUnitImplNmpu::process(const uint32_t* pos, const uint32_t* neg, size_t n, const int8_t* side,
                                      int8_t* out) {
  AIMC_ASSERT_MSG(n <= channels_.size(), "digital unit run on more values than configured channels");
  model_.process_range(pos, neg, channels_, activation_, 0, n, side, nullptr, out);
  return model_.latency_cycles(n);
}

}  // namespace aimc
