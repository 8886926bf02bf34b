#include "aimc/numerics/DigitalUnitImplLdpuFp16.h"

#include "aimc/base/Error.h"
#include "aimc/numerics/ActivationTable.h"

namespace aimc {

namespace {

uint32_t halves(Fp16 low, uint16_t high) {
  return static_cast<uint32_t>(low.bits()) | static_cast<uint32_t>(high) << 16;
}

// The bank's FP16 channels and shared activation registers, as configure() and encode() round them.
void quantize_bank(const LdpuFp16Model& model, const std::vector<DigitalChannelCoefficients>& channels,
                   std::vector<LdpuFp16Channel>* out, LdpuFp16Activation* act) {
  const LdpuFp16Params& p = model.params();
  ActivationTable table;
  *act = LdpuFp16Activation{};
  if (bank_activation_table(channels, p.activation_enabled, p.activation_bins, &table))
    *act = model.quantize_activation(table);
  if (p.activation_enabled) {
    // The register file has every table entry, zero when unused (as the registers hold after encode()).
    act->breakpoints.resize(static_cast<size_t>(p.activation_bins - 1));
    act->values.resize(static_cast<size_t>(p.activation_bins));
    act->slopes.resize(static_cast<size_t>(p.activation_bins));
  }
  out->clear();
  out->reserve(channels.size());
  for (const DigitalChannelCoefficients& c : channels) {
    LdpuFp16Channel ch =
        model.quantize_channel(c.gain, c.offset, c.scale, c.bias, c.side_scale, c.relu1, c.relu2);
    if (act->enabled && !act->table)
      ch.act_slope_neg = model.quantize_activation_slope(channel_activation_slope_neg(c));
    out->push_back(ch);
  }
}

}  // namespace

uint32_t DigitalUnitImplLdpuFp16::activation_words() const {
  const LdpuFp16Params& p = model_.params();
  return p.activation_enabled ? 2u * static_cast<uint32_t>(p.activation_bins) + 2u : 0u;
}

void DigitalUnitImplLdpuFp16::configure(const std::vector<DigitalChannelCoefficients>& channels) {
  quantize_bank(model_, channels, &channels_, &activation_);
}

std::vector<uint32_t> DigitalUnitImplLdpuFp16::encode(
    const std::vector<DigitalChannelCoefficients>& channels) const {
  std::vector<LdpuFp16Channel> quantized;
  LdpuFp16Activation act;
  quantize_bank(model_, channels, &quantized, &act);
  std::vector<uint32_t> words;
  words.reserve(config_words(static_cast<uint32_t>(channels.size())));
  if (activation_words() > 0) {
    words.push_back((act.enabled ? 1u : 0u) | (act.table ? 2u : 0u));
    words.push_back(halves(act.slope_pos, act.intercept.bits()));
    words.push_back(halves(act.lo, act.hi.bits()));
    for (size_t k = 0; k < act.values.size(); ++k)
      words.push_back(halves(act.values[k], act.slopes[k].bits()));
    for (const Fp16& b : act.breakpoints) words.push_back(b.bits());
  }
  for (const LdpuFp16Channel& ch : quantized) {
    words.push_back(halves(ch.gain, ch.offset.bits()));
    words.push_back(halves(ch.scale, ch.bias.bits()));
    words.push_back(
        halves(ch.side_scale, static_cast<uint16_t>((ch.relu1 ? 1u : 0u) | (ch.relu2 ? 2u : 0u))));
    if (activation_words() > 0) words.push_back(ch.act_slope_neg.bits());
  }
  return words;
}

void DigitalUnitImplLdpuFp16::write_activation(uint32_t index, uint32_t word) {
  const auto bins = static_cast<uint32_t>(model_.params().activation_bins);
  LdpuFp16Activation& act = activation_;
  act.breakpoints.resize(bins - 1);
  act.values.resize(bins);
  act.slopes.resize(bins);
  const Fp16 low = Fp16::from_bits(static_cast<uint16_t>(word & 0xFFFFu));
  const Fp16 high = Fp16::from_bits(static_cast<uint16_t>(word >> 16));
  if (index == 0) {
    act.enabled = (word & 1u) != 0;
    act.table = (word & 2u) != 0;
  } else if (index == 1) {
    act.slope_pos = low, act.intercept = high;
  } else if (index == 2) {
    act.lo = low, act.hi = high;
  } else if (index < 3 + bins) {
    act.values[index - 3] = low, act.slopes[index - 3] = high;
  } else {
    act.breakpoints[index - 3 - bins] = low;
  }
}

void DigitalUnitImplLdpuFp16::write_register(uint32_t index, uint32_t word) {
  if (index < activation_words()) {
    write_activation(index, word);
    return;
  }
  const uint32_t per_channel = words_per_channel();
  const uint32_t channel = (index - activation_words()) / per_channel;
  // The window's size (the crossbar's rows) is checked by DigitalUnit.
  if (channels_.size() <= channel) channels_.resize(channel + 1);
  LdpuFp16Channel& ch = channels_[channel];
  const Fp16 low = Fp16::from_bits(static_cast<uint16_t>(word & 0xFFFFu));
  const auto high = static_cast<uint16_t>(word >> 16);
  switch ((index - activation_words()) % per_channel) {
    case 0:
      ch.gain = low;
      ch.offset = Fp16::from_bits(high);
      break;
    case 1:
      ch.scale = low;
      ch.bias = Fp16::from_bits(high);
      break;
    case 2:
      ch.side_scale = low;
      ch.relu1 = (high & 1u) != 0;
      ch.relu2 = (high & 2u) != 0;
      break;
    default:
      ch.act_slope_neg = low;
      break;
  }
}

uint64_t DigitalUnitImplLdpuFp16::process(const uint32_t* pos, const uint32_t* neg, size_t n,
                                          const int8_t* side, int8_t* out) {
  AIMC_ASSERT_MSG(n <= channels_.size(), "digital unit run on more values than configured channels");
  model_.process_range(pos, neg, channels_, activation_, 0, n, side, nullptr, out);
  return model_.latency_cycles(n);
}

}  // namespace aimc
