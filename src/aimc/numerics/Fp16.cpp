#include "aimc/numerics/Fp16.h"

#include <cmath>

namespace aimc {

namespace {

// GCC/Clang extension; __extension__ keeps -Wpedantic quiet. 128 bits hold every exact a * b + c of binary16
// operands aligned to a common exponent (at most 2^-48 .. 2^33, 82 bits).
__extension__ typedef unsigned __int128 Uint128;
__extension__ typedef __int128 Int128;

constexpr int kFracBits = 10;
constexpr int kMinExp = -24;  // exponent of the smallest subnormal's unit

int highest_bit(Uint128 v) {
  int msb = -1;
  while (v != 0) {
    v >>= 1;
    ++msb;
  }
  return msb;
}

// The binary16 nearest to (negative ? -1 : 1) * magnitude * 2^exponent, ties to even; magnitude > 0.
uint16_t round_pack(bool negative, Uint128 magnitude, int exponent) {
  const uint16_t sign = negative ? 0x8000u : 0u;
  const int msb = highest_bit(magnitude);
  const int value_exp = msb + exponent;      // value in [2^value_exp, 2^(value_exp+1))
  int lsb_exp = value_exp - kFracBits;       // unit of the last kept bit: 11 significant bits ...
  if (lsb_exp < kMinExp) lsb_exp = kMinExp;  // ... or fewer for a subnormal
  const int shift = lsb_exp - exponent;      // bits of magnitude below the kept unit
  Uint128 q;
  if (shift <= 0) {
    q = magnitude << (-shift);
  } else if (shift > msb + 1) {
    q = 0;  // below half of the smallest subnormal
  } else {
    q = magnitude >> shift;
    const Uint128 remainder = magnitude - (q << shift);
    const Uint128 half = Uint128{1} << (shift - 1);
    if (remainder > half || (remainder == half && (q & 1u) != 0)) ++q;
  }
  if (q == 0) return sign;
  if (q >= (Uint128{1} << (kFracBits + 1))) {  // rounding carried into a new binade
    q >>= 1;
    ++lsb_exp;
  }
  if (q >= (Uint128{1} << kFracBits)) {
    const int biased = lsb_exp + kFracBits + 15;
    if (biased >= 31) return static_cast<uint16_t>(sign | Fp16::kInfinity);
    return static_cast<uint16_t>(sign | (biased << kFracBits) | (static_cast<unsigned>(q) & 0x3FFu));
  }
  return static_cast<uint16_t>(sign | static_cast<unsigned>(q));  // subnormal (lsb_exp == kMinExp)
}

// A finite binary16 as significand * 2^exponent, significand an integer < 2^11.
void unpack(uint16_t bits, uint32_t& significand, int& exponent) {
  const int biased = (bits >> kFracBits) & 0x1F;
  const uint32_t frac = bits & 0x3FFu;
  if (biased == 0) {
    significand = frac;
    exponent = kMinExp;
  } else {
    significand = frac | 0x400u;
    exponent = biased - 15 - kFracBits;
  }
}

}  // namespace

Fp16 Fp16::from_double(double value) {
  if (std::isnan(value)) return Fp16(kQuietNan);
  const bool negative = std::signbit(value);
  if (std::isinf(value)) return Fp16(static_cast<uint16_t>((negative ? 0x8000u : 0u) | kInfinity));
  if (value == 0.0) return Fp16(negative ? 0x8000u : 0u);
  int exp = 0;
  const double m = std::frexp(std::fabs(value), &exp);  // |value| = m * 2^exp, m in [0.5, 1)
  const auto significand = static_cast<uint64_t>(std::ldexp(m, 53));
  return Fp16(round_pack(negative, significand, exp - 53));
}

Fp16 Fp16::from_int(int64_t value) {
  if (value == 0) return Fp16(0);
  const bool negative = value < 0;
  const Uint128 magnitude = negative ? Uint128(-(Int128(value))) : Uint128(value);
  return Fp16(round_pack(negative, magnitude, 0));
}

double Fp16::to_double() const {
  if (is_nan()) return std::nan("");
  const double s = sign() ? -1.0 : 1.0;
  if (is_inf()) return s * HUGE_VAL;
  uint32_t significand = 0;
  int exponent = 0;
  unpack(bits_, significand, exponent);
  return s * std::ldexp(static_cast<double>(significand), exponent);
}

int64_t Fp16::to_int_saturated(int64_t lo, int64_t hi) const {
  if (is_nan()) return 0;
  if (is_inf()) return sign() ? lo : hi;
  // nearbyint in the default rounding mode (to nearest, ties to even); exact on a double.
  const double r = std::nearbyint(to_double());
  if (r < static_cast<double>(lo)) return lo;
  if (r > static_cast<double>(hi)) return hi;
  return static_cast<int64_t>(r);
}

Fp16 Fp16::fma(Fp16 a, Fp16 b, Fp16 c) {
  if (a.is_nan() || b.is_nan() || c.is_nan()) return Fp16(kQuietNan);
  const bool product_negative = a.sign() != b.sign();
  if (a.is_inf() || b.is_inf()) {
    if (a.is_zero() || b.is_zero()) return Fp16(kQuietNan);                  // inf * 0
    if (c.is_inf() && c.sign() != product_negative) return Fp16(kQuietNan);  // inf - inf
    return Fp16(static_cast<uint16_t>((product_negative ? 0x8000u : 0u) | kInfinity));
  }
  if (c.is_inf()) return c;

  uint32_t sa = 0, sb = 0, sc = 0;
  int ea = 0, eb = 0, ec = 0;
  unpack(a.bits_, sa, ea);
  unpack(b.bits_, sb, eb);
  unpack(c.bits_, sc, ec);
  const int ep = ea + eb;
  const int e = ep < ec ? ep : ec;
  const Uint128 product = Uint128(uint64_t{sa} * sb) << (ep - e);
  const Uint128 addend = Uint128(sc) << (ec - e);
  const Int128 sum =
      (product_negative ? -Int128(product) : Int128(product)) + (c.sign() ? -Int128(addend) : Int128(addend));
  if (sum == 0) {
    // Exact zero: -0 only if both terms are negative zeros; an exact cancellation gives +0 (ties-to-even
    // mode).
    const bool negative_zero = product == 0 && addend == 0 && product_negative && c.sign();
    return Fp16(negative_zero ? 0x8000u : 0u);
  }
  const bool negative = sum < 0;
  return Fp16(round_pack(negative, negative ? Uint128(-sum) : Uint128(sum), e));
}

Fp16 Fp16::add(Fp16 a, Fp16 b) {
  return fma(a, Fp16(0x3C00u), b);
}

Fp16 Fp16::mul(Fp16 a, Fp16 b) {
  // a * b + (-0) is a * b exactly, including the sign of a zero product.
  return fma(a, b, Fp16(0x8000u));
}

Fp16 Fp16::relu(Fp16 x) {
  if (x.is_nan()) return x;
  return (x.sign() || x.is_zero()) ? Fp16(0) : x;
}

}  // namespace aimc
