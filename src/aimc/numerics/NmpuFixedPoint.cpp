#include "aimc/numerics/NmpuFixedPoint.h"

#include "aimc/base/Error.h"

namespace aimc {

int64_t NmpuFixedPoint::floor_shift(int64_t v, int shift) {
  AIMC_ASSERT(shift >= 0 && shift <= 62);
  // Written without >> on a negative value, whose result C++17 leaves to the implementation.
  return v >= 0 ? (v >> shift) : -(((-(v + 1)) >> shift) + 1);
}

int64_t NmpuFixedPoint::round_shift(int64_t v, int shift, NmpuRounding mode) {
  if (shift == 0) return v;
  const int64_t half = int64_t{1} << (shift - 1);
  switch (mode) {
    case NmpuRounding::kHalfAwayFromZero:
      // Add one half, minus one LSB for negative values so that their ties also move away from zero; the RTL
      // does the same addition before its arithmetic shift.
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

int64_t NmpuFixedPoint::saturate(int64_t v, int bits) {
  AIMC_ASSERT(bits >= 1 && bits <= 63);
  const int64_t hi = max_signed(bits);
  const int64_t lo = min_signed(bits);
  return v > hi ? hi : (v < lo ? lo : v);
}

}  // namespace aimc
