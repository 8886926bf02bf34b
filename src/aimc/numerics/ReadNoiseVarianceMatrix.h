#pragma once
// The exact per-read noise variance of a crossbar read, var_j = sum_i x_i^2 V_ji, for a whole batch at once,
// in exact integer arithmetic: V is held as int16 units of a power-of-two step and each row's x^2 as int16
// units of a power-of-two step of its own, so every product and partial sum is an exact int32 and the result
// of a row never depends on the batch it is in, on the summation order or on the host (SSE2 pmaddwd or the
// scalar loop give the same integers). This replaces a float GEMV per row (which could not be batched without
// losing bit-identity across batch splits) and runs on 16-bit lanes, twice as many per instruction as float.
//
// Precision: V to 1 part in ~2^21 of the largest line sum (and <= 2^15 units per element), x^2 to 1 part in
// 1023 of the row's largest x^2 (rounded to nearest): the variance is good to well under 1 % wherever the
// large inputs dominate, which they do for the noise that matters; inputs below ~1/30 of the row maximum
// lose relative precision on contributions that are under 0.1 % of the row's variance each.
#include <cstdint>
#include <vector>

#include "aimc/numerics/Int16DotProducts.h"
#include "aimc/numerics/MatrixTypes.h"

namespace aimc {

class ReadNoiseVarianceMatrix {
 public:
  ReadNoiseVarianceMatrix() = default;
  // v [out, in] (counts^2 per code^2), every element >= 0.
  explicit ReadNoiseVarianceMatrix(const MatrixXfRowMajor& v);

  bool empty() const { return out_ == 0; }
  // var[b * out + j] = sum_i x(b, i)^2 V_ji (+ extra), x = integer-valued PWM codes.
  void apply(const MatrixXfRowMajor& x, float extra, std::vector<float>& var) const;

 private:
  int out_ = 0, in_ = 0, in_padded_ = 0;
  Int16Rows units_;    // [out, in_padded], zero padded
  float step_ = 0.0f;  // power of two
};

}  // namespace aimc
