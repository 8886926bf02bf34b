#pragma once
// Integer primitives of the NMPU datapath: dropping fraction bits with a rounding mode, and saturation. They
// are written exactly as the RTL computes them (rtl/nmpu/nmpu_requant.sv), on exact int64 intermediates.
// Inline: they run for every value every digital unit produces (issue 20: 10 % of a VGG8 image as calls).
#include <cstdint>

#include "aimc/base/Error.h"
#include "aimc/numerics/NmpuParams.h"

namespace aimc {

class NmpuFixedPoint {
 public:
  // floor(v / 2^shift) for any sign (an arithmetic right shift), shift in [0, 62].
  static int64_t floor_shift(int64_t v, int shift) {
    AIMC_ASSERT(shift >= 0 && shift <= 62);
    // Written without >> on a negative value, whose result C++17 leaves to the implementation.
    return v >= 0 ? (v >> shift) : -(((-(v + 1)) >> shift) + 1);
  }

  // v / 2^shift rounded to an integer with `mode`, shift in [0, 62].
  static int64_t round_shift(int64_t v, int shift, NmpuRounding mode) {
    if (shift == 0) return v;
    const int64_t half = int64_t{1} << (shift - 1);
    switch (mode) {
      case NmpuRounding::kHalfAwayFromZero:
        // Add one half, minus one LSB for negative values so that their ties also move away from zero; the
        // RTL does the same addition before its arithmetic shift.
        return floor_shift(v + half - (v < 0 ? 1 : 0), shift);
      case NmpuRounding::kHalfToEven: {
        const int64_t quotient = floor_shift(v, shift);
        const int64_t remainder = v - quotient * (int64_t{1} << shift);
        const bool round_up = remainder > half || (remainder == half && (quotient & 1) != 0);
        return quotient + (round_up ? 1 : 0);
      }
      case NmpuRounding::kFloor:
        return floor_shift(v, shift);
    }
    AIMC_ASSERT_MSG(false, "unknown NmpuRounding");
    return 0;
  }

  // v clamped to the range of a signed `bits`-wide register.
  static int64_t saturate(int64_t v, int bits) {
    AIMC_ASSERT(bits >= 1 && bits <= 63);
    const int64_t hi = max_signed(bits);
    const int64_t lo = min_signed(bits);
    return v > hi ? hi : (v < lo ? lo : v);
  }

  static int64_t max_signed(int bits) { return (int64_t{1} << (bits - 1)) - 1; }
  static int64_t min_signed(int bits) { return -(int64_t{1} << (bits - 1)); }

  // round_shift then saturate: one requantisation step from `shift` more fraction bits into `out_bits`.
  static int64_t requantize(int64_t v, int shift, int out_bits, NmpuRounding mode) {
    return saturate(round_shift(v, shift, mode), out_bits);
  }
};

}  // namespace aimc
