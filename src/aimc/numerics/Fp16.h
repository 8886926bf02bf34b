#pragma once
// IEEE 754 binary16 ("half") arithmetic, bit-exact and independent of the host's FPU: round to nearest, ties
// to even; subnormals; signed zeros, infinities and NaN (every NaN result is the quiet NaN 0x7E00). Used by
// LdpuFp16Model, the model of the published chip's FP16 digital unit (REFERENCE.md A), for the fixed-point vs
// FP16 comparison of the NMPU paper (REFERENCE.md C).
#include <cstdint>

namespace aimc {

class Fp16 {
 public:
  constexpr Fp16() = default;
  static constexpr Fp16 from_bits(uint16_t bits) { return Fp16(bits); }
  constexpr uint16_t bits() const { return bits_; }

  // Correctly rounded conversions (one rounding, ties to even; overflow gives infinity).
  static Fp16 from_double(double value);
  static Fp16 from_int(int64_t value);
  // Exact: every binary16 value is a double.
  double to_double() const;
  // Rounds to an integer (ties to even) and clamps to [lo, hi]; NaN gives 0.
  int64_t to_int_saturated(int64_t lo, int64_t hi) const;

  // a * b + c with a single rounding (IEEE 754 fusedMultiplyAdd).
  static Fp16 fma(Fp16 a, Fp16 b, Fp16 c);
  static Fp16 add(Fp16 a, Fp16 b);
  static Fp16 mul(Fp16 a, Fp16 b);
  // max(x, +0) as a ReLU does it: negative values and -0 give +0, NaN stays NaN.
  static Fp16 relu(Fp16 x);

  bool is_nan() const { return (bits_ & 0x7C00u) == 0x7C00u && (bits_ & 0x03FFu) != 0; }
  bool is_inf() const { return (bits_ & 0x7FFFu) == 0x7C00u; }
  bool is_zero() const { return (bits_ & 0x7FFFu) == 0; }
  bool sign() const { return (bits_ & 0x8000u) != 0; }
  Fp16 operator-() const { return Fp16(static_cast<uint16_t>(bits_ ^ 0x8000u)); }

  static constexpr uint16_t kQuietNan = 0x7E00;
  static constexpr uint16_t kInfinity = 0x7C00;
  static constexpr uint16_t kMaxFinite = 0x7BFF;  // 65504

 private:
  constexpr explicit Fp16(uint16_t bits) : bits_(bits) {}
  uint16_t bits_ = 0;
};

}  // namespace aimc
