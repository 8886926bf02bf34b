#pragma once
// log, exp, pow and sin/cos(2 pi u) in double, written out as a fixed sequence of IEEE additions,
// multiplications, divisions and integer bit operations: no libm, no table, no branch on the data. Two
// reasons:
//  - the same bits on every host: glibc picks its log/exp/pow/sincos by the CPU at run time (the *_fma
//    variants on an FMA host), and SLEEF's vector variants differ from each other by their ULP bounds and are
//    chosen by the CPU too; with -ffp-contract=off (CMakeLists.txt) every operation below rounds once, the
//    same on SSE2, AVX2 or AVX-512 and in the scalar loop;
//  - speed: a loop of these over an array vectorises (branch-free selects, 64-bit integer bit moves), so the
//    per-device formulas of programming, drift and read noise run several devices per instruction.
// Accuracy (PortableMathTest): log within 3 ULP, exp within 2 ULP of libm, sin/cos within 1e-15; the
// arguments are normal, finite doubles (log: x > 0; exp: any x, clamped to [-708, 709]).
#include <cstdint>
#include <cstring>

namespace aimc::pm {

inline uint64_t bits(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

inline double from_bits(uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// 1.5 * 2^52: x + kRoundMagic rounds x (|x| < 2^51) to the nearest integer (ties to even) in the low bits.
constexpr double kRoundMagic = 6755399441055744.0;
constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 0x3FE62E42FEE00000: 21 trailing zero bits
constexpr double kLn2Lo = 1.90821492927058770002e-10;  // ln 2 - kLn2Hi

// Natural logarithm of a positive normal x: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s),
// s = (m - 1) / (m + 1), |s| <= 0.1716; the atanh series to s^21 leaves < 1e-19 relative.
inline double log(double x) {
  const uint64_t b = bits(x);
  // The exponent as a double without an int64 -> double conversion (which SSE2/AVX2 lack): 2^52 + E - 2^52.
  double e = from_bits(0x4330000000000000ull | (b >> 52)) - 4503599627370496.0 - 1023.0;
  double m = from_bits((b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);  // [1, 2)
  const bool big = m > 1.41421356237309504880;
  m = big ? m * 0.5 : m;
  e = big ? e + 1.0 : e;
  const double s = (m - 1.0) / (m + 1.0);
  const double z = s * s;
  const double series =
      2.0 +
      z * (2.0 / 3 +
           z * (2.0 / 5 +
                z * (2.0 / 7 +
                     z * (2.0 / 9 +
                          z * (2.0 / 11 +
                               z * (2.0 / 13 +
                                    z * (2.0 / 15 + z * (2.0 / 17 + z * (2.0 / 19 + z * (2.0 / 21))))))))));
  return e * kLn2Hi + (s * series + e * kLn2Lo);
}

// e^x: x = n ln 2 + r, |r| <= ln2 / 2, e^r by its Taylor series to r^13 (remainder < 5e-18), times 2^n built
// in the exponent bits. x is clamped to [-708, 709], where 2^n stays a normal double.
inline double exp(double x) {
  x = x < -708.0 ? -708.0 : x;
  x = x > 709.0 ? 709.0 : x;
  const double t = x * 1.44269504088896340736 + kRoundMagic;
  const double n = t - kRoundMagic;
  const double r = (x - n * kLn2Hi) - n * kLn2Lo;
  const double p =
      1.0 +
      r * (1.0 + r * (1.0 / 2 +
                      r * (1.0 / 6 +
                           r * (1.0 / 24 +
                                r * (1.0 / 120 +
                                     r * (1.0 / 720 +
                                          r * (1.0 / 5040 +
                                               r * (1.0 / 40320 +
                                                    r * (1.0 / 362880 +
                                                         r * (1.0 / 3628800 +
                                                              r * (1.0 / 39916800 +
                                                                   r * (1.0 / 479001600 +
                                                                        r * (1.0 / 6227020800.0)))))))))))));
  // The low bits of t hold n (two's complement); n + 1023 in [1, 2046] is the biased exponent of 2^n.
  const double scale = from_bits((bits(t) + 1023u) << 52);
  return p * scale;
}

// x^y = e^(y ln x) for x > 0 (callers clamp x away from 0).
inline double pow(double x, double y) {
  return exp(y * log(x));
}

// sin(2 pi u) and cos(2 pi u): u = q / 4 + f with q the nearest quarter turn (exact: f is u minus a multiple
// of 1/4 within 1/8 of it), a = 2 pi f in [-pi/4, pi/4], Taylor series to a^17 / a^18 (remainder < 1e-19),
// then the quarter turn q mod 4 rotates (sin, cos). |u| < 2^49.
struct SinCos {
  double sin;
  double cos;
};
inline SinCos sincos_2pi(double u) {
  const double t = u * 4.0 + kRoundMagic;
  const double q = t - kRoundMagic;
  const double a = (u - q * 0.25) * 6.28318530717958647692;
  const double z = a * a;
  const double s =
      a + a * z *
              (-1.0 / 6 +
               z * (1.0 / 120 + z * (-1.0 / 5040 +
                                     z * (1.0 / 362880 + z * (-1.0 / 39916800 +
                                                              z * (1.0 / 6227020800.0 +
                                                                   z * (-1.0 / 1307674368000.0 +
                                                                        z * (1.0 / 355687428096000.0))))))));
  const double c =
      1.0 + z * (-1.0 / 2 +
                 z * (1.0 / 24 +
                      z * (-1.0 / 720 +
                           z * (1.0 / 40320 +
                                z * (-1.0 / 3628800 +
                                     z * (1.0 / 479001600 + z * (-1.0 / 87178291200.0 +
                                                                 z * (1.0 / 20922789888000.0 +
                                                                      z * (-1.0 / 6402373705728000.0)))))))));
  const uint64_t k = bits(t) & 3u;
  const double sin_abs = (k & 1u) ? c : s;
  const double cos_abs = (k & 1u) ? s : c;
  return {(k & 2u) ? -sin_abs : sin_abs, ((k + 1u) & 2u) ? -cos_abs : cos_abs};
}

}  // namespace aimc::pm
