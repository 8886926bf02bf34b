#pragma once
// Integer primitives of the NMPU datapath: dropping fraction bits with a rounding mode, and saturation. They
// are written exactly as the RTL computes them (rtl/nmpu/nmpu_requant.sv), on exact int64 intermediates.
#include <cstdint>

#include "aimc/numerics/NmpuParams.h"

namespace aimc {

class NmpuFixedPoint {
 public:
  // floor(v / 2^shift) for any sign (an arithmetic right shift), shift in [0, 62].
  static int64_t floor_shift(int64_t v, int shift);

  // v / 2^shift rounded to an integer with `mode`, shift in [0, 62].
  static int64_t round_shift(int64_t v, int shift, NmpuRounding mode);

  // v clamped to the range of a signed `bits`-wide register.
  static int64_t saturate(int64_t v, int bits);

  static int64_t max_signed(int bits) { return (int64_t{1} << (bits - 1)) - 1; }
  static int64_t min_signed(int bits) { return -(int64_t{1} << (bits - 1)); }

  // round_shift then saturate: one requantisation step from `shift` more fraction bits into `out_bits`.
  static int64_t requantize(int64_t v, int shift, int out_bits, NmpuRounding mode) {
    return saturate(round_shift(v, shift, mode), out_bits);
  }
};

}  // namespace aimc
