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
    default:
      break;
  }
}

}  // namespace aimc
