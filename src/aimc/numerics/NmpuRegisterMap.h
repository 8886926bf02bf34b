#pragma once
// The NMPU's configuration register map (rtl/nmpu/nmpu_pkg.sv): per channel, one 32-bit write per field; a
// coefficient is written as its two's-complement register value, of which the RTL keeps the format's low
// bits.
#include <array>
#include <cstdint>

#include "aimc/numerics/NmpuChannel.h"
#include "aimc/numerics/NmpuParams.h"

namespace aimc {

class NmpuRegisterMap {
 public:
  enum Field : uint32_t { kGain = 0, kOffset = 1, kScale = 2, kBias = 3, kSideScale = 4, kFlags = 5 };
  static constexpr int kFields = 6;

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
