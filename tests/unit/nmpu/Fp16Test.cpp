// Fp16 against known IEEE 754 binary16 results, and against the compiler's _Float16 (libgcc soft-float,
// correctly rounded conversions) as an independent implementation.
#include "aimc/numerics/Fp16.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "aimc/base/Rng.h"

namespace aimc {
namespace {

uint16_t h(double x) {
  return Fp16::from_double(x).bits();
}
Fp16 b(uint16_t bits) {
  return Fp16::from_bits(bits);
}

TEST(Fp16, KnownConversions) {
  EXPECT_EQ(h(0.0), 0x0000);
  EXPECT_EQ(h(-0.0), 0x8000);
  EXPECT_EQ(h(1.0), 0x3C00);
  EXPECT_EQ(h(-2.0), 0xC000);
  EXPECT_EQ(h(0.5), 0x3800);
  EXPECT_EQ(h(65504.0), 0x7BFF);   // largest finite
  EXPECT_EQ(h(65519.99), 0x7BFF);  // below the rounding boundary
  EXPECT_EQ(h(65520.0), 0x7C00);   // halfway to 2^16 rounds to even = overflow to infinity
  EXPECT_EQ(h(-1e6), 0xFC00);
  EXPECT_EQ(h(std::ldexp(1.0, -14)), 0x0400);     // smallest normal
  EXPECT_EQ(h(std::ldexp(1.0, -24)), 0x0001);     // smallest subnormal
  EXPECT_EQ(h(std::ldexp(1.0, -25)), 0x0000);     // half of it: tie to even (zero)
  EXPECT_EQ(h(std::ldexp(1.5, -25)), 0x0001);     // above half
  EXPECT_EQ(h(std::ldexp(3.0, -25)), 0x0002);     // 1.5 subnormal units: tie to even (2)
  EXPECT_EQ(h(std::ldexp(1023.0, -24)), 0x03FF);  // largest subnormal
  EXPECT_EQ(h(1.0 / 3.0), 0x3555);
  EXPECT_EQ(h(0.1), 0x2E66);
  EXPECT_EQ(h(3.14159265358979), 0x4248);
  EXPECT_EQ(h(2049.0), 0x6800);  // 2049 is a tie between 2048 and 2050: even mantissa (2048)
  EXPECT_EQ(h(2051.0), 0x6802);  // tie between 2050 and 2052: 2052
  EXPECT_EQ(h(1.0 + std::ldexp(1.0, -11)), 0x3C00);
  EXPECT_EQ(h(1.0 + std::ldexp(3.0, -11)), 0x3C02);
  EXPECT_EQ(h(std::numeric_limits<double>::infinity()), 0x7C00);
  EXPECT_TRUE(Fp16::from_double(std::nan("")).is_nan());
  EXPECT_EQ(h(std::numeric_limits<double>::denorm_min()), 0x0000);
  EXPECT_EQ(Fp16::from_int(2049).bits(), 0x6800);
  EXPECT_EQ(Fp16::from_int(-4095).bits(), 0xEC00);  // -4096 after rounding (11 significant bits)
  EXPECT_EQ(Fp16::from_int(65505).bits(), 0x7BFF);
  EXPECT_EQ(Fp16::from_int(1 << 20).bits(), 0x7C00);
  EXPECT_DOUBLE_EQ(b(0x3555).to_double(), 0.333251953125);
  EXPECT_DOUBLE_EQ(b(0x0001).to_double(), std::ldexp(1.0, -24));
  EXPECT_DOUBLE_EQ(b(0xFBFF).to_double(), -65504.0);
}

TEST(Fp16, KnownArithmetic) {
  // Fused: (1 + 2^-10)^2 - (1 + 2^-9) = 2^-20 exactly (a subnormal, 16 units); unfused it would be 0.
  const Fp16 a = b(0x3C01);
  EXPECT_EQ(Fp16::fma(a, a, -b(0x3C02)).bits(), 0x0010);
  EXPECT_EQ(Fp16::add(Fp16::mul(a, a), -b(0x3C02)).bits(), 0x0000);
  EXPECT_EQ(Fp16::add(b(0x3C00), b(0x3C00)).bits(), 0x4000);                      // 1 + 1
  EXPECT_EQ(Fp16::add(b(0x7BFF), b(0x7BFF)).bits(), 0x7C00);                      // overflow
  EXPECT_EQ(Fp16::add(b(0x3C00), b(0x1000)).bits(), 0x3C00);                      // 1 + 2^-11: tie, to even
  EXPECT_EQ(Fp16::mul(b(0x0001), b(0x3800)).bits(), 0x0000);                      // 2^-25: tie to even (0)
  EXPECT_EQ(Fp16::mul(b(0x0003), b(0x3800)).bits(), 0x0002);                      // 1.5 units: to even (2)
  EXPECT_EQ(Fp16::mul(b(0x8000), b(0x3C00)).bits(), 0x8000);                      // -0 * 1 = -0
  EXPECT_EQ(Fp16::add(b(0x3C00), b(0xBC00)).bits(), 0x0000);                      // 1 - 1 = +0
  EXPECT_EQ(Fp16::add(b(0x8000), b(0x8000)).bits(), 0x8000);                      // -0 + -0 = -0
  EXPECT_EQ(Fp16::fma(b(0x7C00), b(0x0000), b(0x3C00)).bits(), Fp16::kQuietNan);  // inf * 0
  EXPECT_EQ(Fp16::fma(b(0x7C00), b(0x3C00), b(0xFC00)).bits(), Fp16::kQuietNan);  // inf - inf
  EXPECT_EQ(Fp16::fma(b(0x7C00), b(0xBC00), b(0x3C00)).bits(), 0xFC00);
  EXPECT_EQ(Fp16::fma(b(0x3C00), b(0x3C00), b(0xFC00)).bits(), 0xFC00);
  EXPECT_EQ(Fp16::fma(b(0x7E00), b(0x3C00), b(0x3C00)).bits(), Fp16::kQuietNan);
  // The product 256 * 256 overflows FP16 but the fused result 65536 - 65504 = 32 does not.
  EXPECT_EQ(Fp16::fma(b(0x5C00), b(0x5C00), b(0xFBFF)).bits(), 0x5000);
  EXPECT_EQ(Fp16::fma(b(0x5C00), b(0x5BFF), b(0xFBFF)).bits(), 0x0000);  // 256 * 255.875 - 65504 = +0
  EXPECT_EQ(Fp16::relu(b(0xBC00)).bits(), 0x0000);
  EXPECT_EQ(Fp16::relu(b(0x8000)).bits(), 0x0000);
  EXPECT_EQ(Fp16::relu(b(0x3C00)).bits(), 0x3C00);
  EXPECT_EQ(b(0x3800).to_int_saturated(-128, 127), 0);   // 0.5 -> 0 (even)
  EXPECT_EQ(b(0x3E00).to_int_saturated(-128, 127), 2);   // 1.5 -> 2
  EXPECT_EQ(b(0xC100).to_int_saturated(-128, 127), -2);  // -2.5 -> -2
  EXPECT_EQ(b(0x7BFF).to_int_saturated(-128, 127), 127);
  EXPECT_EQ(b(0xFC00).to_int_saturated(-128, 127), -128);
  EXPECT_EQ(b(0x7E00).to_int_saturated(-128, 127), 0);
}

#ifdef __FLT16_MANT_DIG__  // the compiler has _Float16 (GCC 12 does on x86-64)
uint16_t float16_bits(_Float16 x) {
  uint16_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
}

// Bits of a binary16's last place: exponent of its unit in the last place.
int ulp_exponent(double v) {
  if (v == 0.0) return -24;
  const int e = std::ilogb(v);
  return (e < -14 ? -14 : e) - 10;
}

TEST(Fp16, ConversionMatchesCompilerFloat16) {
  const CounterRng rng(3, 0, RngPurpose::kStimulus, 200);
  for (uint64_t i = 0; i < 200000; ++i) {
    const auto w = rng.block(i);
    // Doubles spread over the binary16 range and beyond (exponent -30 .. 17), random 52-bit fractions.
    const uint64_t frac = (static_cast<uint64_t>(w[0]) << 20) ^ w[1];
    const double m = 1.0 + std::ldexp(static_cast<double>(frac & ((uint64_t{1} << 52) - 1)), -52);
    const double x = ((w[2] & 1) ? -1.0 : 1.0) * std::ldexp(m, static_cast<int>(w[3] % 48) - 30);
    ASSERT_EQ(h(x), float16_bits(static_cast<_Float16>(x))) << x;
  }
  for (int64_t v = -70000; v <= 70000; ++v) {
    ASSERT_EQ(Fp16::from_int(v).bits(), float16_bits(static_cast<_Float16>(static_cast<double>(v)))) << v;
  }
}

TEST(Fp16, FmaMatchesExactReference) {
  // For operand triples whose exact a * b + c fits a double's 53 bits, std::fma is exact and one conversion
  // to _Float16 is the correctly rounded FP16 FMA: an independent reference.
  const CounterRng rng(5, 0, RngPurpose::kStimulus, 201);
  int compared = 0;
  for (uint64_t i = 0; i < 400000; ++i) {
    const auto w = rng.block(i);
    const Fp16 a = b(static_cast<uint16_t>(w[0])), bb = b(static_cast<uint16_t>(w[0] >> 16));
    const Fp16 c = b(static_cast<uint16_t>(w[1]));
    if (a.is_nan() || bb.is_nan() || c.is_nan() || a.is_inf() || bb.is_inf() || c.is_inf()) continue;
    const double da = a.to_double(), db = bb.to_double(), dc = c.to_double();
    const int low = std::min(ulp_exponent(da) + ulp_exponent(db), ulp_exponent(dc));
    const int high = std::max(ulp_exponent(da) + ulp_exponent(db) + 22, ulp_exponent(dc) + 11) + 1;
    if (high - low > 53) continue;
    const double exact = std::fma(da, db, dc);
    const uint16_t expected = float16_bits(static_cast<_Float16>(exact));
    const uint16_t got = Fp16::fma(a, bb, c).bits();
    if (exact == 0.0) {
      ASSERT_EQ(got & 0x7FFF, 0) << i;  // zero sign is checked by KnownArithmetic
    } else {
      ASSERT_EQ(got, expected) << std::hex << a.bits() << " * " << bb.bits() << " + " << c.bits();
    }
    ++compared;
  }
  EXPECT_GT(compared, 100000);
}
#else
// No _Float16 (clang before 15 on x86-64, e.g. clang-tidy 14 parsing this file): nothing to compare with.
TEST(Fp16, ConversionMatchesCompilerFloat16) {
  GTEST_SKIP() << "the compiler has no _Float16";
}
TEST(Fp16, FmaMatchesExactReference) {
  GTEST_SKIP() << "the compiler has no _Float16";
}
#endif

}  // namespace
}  // namespace aimc
