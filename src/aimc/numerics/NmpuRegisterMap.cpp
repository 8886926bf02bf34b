#include "aimc/numerics/NmpuRegisterMap.h"

namespace aimc {

std::array<NmpuRegisterMap::Write, NmpuRegisterMap::kFields> NmpuRegisterMap::encode(const NmpuChannel& ch) {
  const uint32_t flags = (ch.relu1 ? 1u : 0u) | (ch.relu2 ? 2u : 0u);
  return {{{kGain, static_cast<uint32_t>(ch.gain)},
           {kOffset, static_cast<uint32_t>(ch.offset)},
           {kScale, static_cast<uint32_t>(ch.scale)},
           {kBias, static_cast<uint32_t>(ch.bias)},
           {kSideScale, static_cast<uint32_t>(ch.side_scale)},
           {kFlags, flags}}};
}

int32_t NmpuRegisterMap::sign_extend(uint32_t wdata, int bits) {
  if (bits >= 32) return static_cast<int32_t>(wdata);
  const uint32_t mask = (uint32_t{1} << bits) - 1;
  const uint32_t low = wdata & mask;
  const uint32_t sign = uint32_t{1} << (bits - 1);
  return static_cast<int32_t>(static_cast<int64_t>(low ^ sign) - static_cast<int64_t>(sign));
}

void NmpuRegisterMap::apply(const NmpuParams& p, uint32_t field, uint32_t wdata, NmpuChannel& ch) {
  switch (field) {
    case kGain:
      ch.gain = sign_extend(wdata, p.gain.width());
      break;
    case kOffset:
      ch.offset = sign_extend(wdata, p.offset.width());
      break;
    case kScale:
      ch.scale = sign_extend(wdata, p.scale.width());
      break;
    case kBias:
      ch.bias = sign_extend(wdata, p.bias.width());
      break;
    case kSideScale:
      ch.side_scale = sign_extend(wdata, p.side_scale.width());
      break;
    case kFlags:
      ch.relu1 = (wdata & 1u) != 0;
      ch.relu2 = (wdata & 2u) != 0;
      break;
    case kActSlopeNeg:
      ch.act_slope_neg = sign_extend(wdata, p.activation.slope.width());
      break;
    default:
      break;
  }
}

std::vector<uint32_t> NmpuRegisterMap::encode_activation(const NmpuParams& p, const NmpuActivation& act) {
  std::vector<uint32_t> words(activation_words(p), 0u);
  if (words.empty()) return words;
  const auto bins = static_cast<size_t>(p.activation.bins);
  words[0] = (act.enabled ? 1u : 0u) | (act.table ? 2u : 0u);
  words[1] = static_cast<uint32_t>(act.slope_pos);
  words[2] = static_cast<uint32_t>(act.intercept);
  words[3] = static_cast<uint32_t>(act.lo);
  words[4] = static_cast<uint32_t>(act.hi);
  for (size_t k = 0; k < act.breakpoints.size(); ++k)
    words[5 + k] = static_cast<uint32_t>(act.breakpoints[k]);
  for (size_t k = 0; k < act.values.size(); ++k) words[4 + bins + k] = static_cast<uint32_t>(act.values[k]);
  for (size_t k = 0; k < act.slopes.size(); ++k)
    words[4 + 2 * bins + k] = static_cast<uint32_t>(act.slopes[k]);
  return words;
}

void NmpuRegisterMap::apply_activation(const NmpuParams& p, uint32_t index, uint32_t wdata,
                                       NmpuActivation& act) {
  const auto bins = static_cast<uint32_t>(p.activation.bins);
  act.breakpoints.resize(bins - 1);
  act.values.resize(bins);
  act.slopes.resize(bins);
  const int value_bits = p.activation.value.width();
  const int slope_bits = p.activation.slope.width();
  if (index == 0) {
    act.enabled = (wdata & 1u) != 0;
    act.table = (wdata & 2u) != 0;
  } else if (index == 1) {
    act.slope_pos = sign_extend(wdata, slope_bits);
  } else if (index <= 4) {
    int32_t* field = index == 2 ? &act.intercept : (index == 3 ? &act.lo : &act.hi);
    *field = sign_extend(wdata, value_bits);
  } else if (index < 4 + bins) {
    act.breakpoints[index - 5] = sign_extend(wdata, p.activation.breakpoint.width());
  } else if (index < 4 + 2 * bins) {
    act.values[index - 4 - bins] = sign_extend(wdata, value_bits);
  } else if (index < 4 + 3 * bins) {
    act.slopes[index - 4 - 2 * bins] = sign_extend(wdata, slope_bits);
  }
}

}  // namespace aimc
