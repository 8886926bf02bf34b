#pragma once
// The NMPU's configuration register map (rtl/nmpu/nmpu_pkg.sv): per channel, one 32-bit write per field; a
// coefficient is written as its two's-complement register value, of which the RTL keeps the format's low
// bits. With the activation stage (NmpuActivationParams::enabled) a bank starts with the stage's shared
// registers (activation_words() words: header with bit 0 enabled and bit 1 table, slope_pos, intercept, lo,
// hi, bins - 1 breakpoints, bins values, bins slopes), and each channel has a seventh word, its slope below
// 0.
#include <array>
#include <cstdint>
#include <vector>

#include "aimc/numerics/NmpuChannel.h"
#include "aimc/numerics/NmpuParams.h"

namespace aimc {

class NmpuRegisterMap {
 public:
  enum Field : uint32_t {
    kGain = 0,
    kOffset = 1,
    kScale = 2,
    kBias = 3,
    kSideScale = 4,
    kFlags = 5,
    kActSlopeNeg = 6  // only with the activation stage
  };
  static constexpr int kFields = 6;

  // Words per channel: kFields, plus kActSlopeNeg with the activation stage.
  static uint32_t words_per_channel(const NmpuParams& params) {
    return kFields + (params.activation.enabled ? 1u : 0u);
  }
  // The shared activation registers before the channels' (0 without the stage).
  static uint32_t activation_words(const NmpuParams& params) {
    return params.activation.enabled ? 3u * static_cast<uint32_t>(params.activation.bins) + 4u : 0u;
  }
  static std::vector<uint32_t> encode_activation(const NmpuParams& params, const NmpuActivation& act);
  // Applies shared-register write `index` (< activation_words) as the RTL does.
  static void apply_activation(const NmpuParams& params, uint32_t index, uint32_t wdata, NmpuActivation& act);

  struct Write {
    uint32_t field;
    uint32_t wdata;
  };

  // The six writes that program `channel`.
  static std::array<Write, kFields> encode(const NmpuChannel& channel);

  // Applies one write to `channel` as the RTL does (keeps the format's low bits, sign-extended). Unknown
  // fields are ignored, as in the RTL.
  static void apply(const NmpuParams& params, uint32_t field, uint32_t wdata, NmpuChannel& channel);

  // The low `bits` of `wdata`, sign-extended.
  static int32_t sign_extend(uint32_t wdata, int bits);
};

}  // namespace aimc
