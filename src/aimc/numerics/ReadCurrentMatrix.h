#pragma once
// The noiseless currents of a crossbar read, c_bj = sum_i x_bi G_ji, for a whole batch in exact integer
// arithmetic. G is the effective matrix on its power-of-two grid (CrossbarArray::quantise_to_exact_grid),
// held as int16 units of that step; the PWM codes x are integers. Every product and partial sum is then an
// exact int32 below 2^24, so c = (int32 sum) x step is the very float that the float GEMM on the grid
// computes (that GEMM is exact too, by the grid's construction): same bits, half the bytes of the float
// matrix per read (the per-read working set of a tile, which decides how well a many-core chip stays in
// cache) and 16-bit lanes. When an element needs more than int16 units (a line dominated by one weight)
// usable() is false and the caller keeps the float GEMM.
#include <cstdint>
#include <vector>

#include "aimc/numerics/Int16DotProducts.h"
#include "aimc/numerics/MatrixTypes.h"

namespace aimc {

class ReadCurrentMatrix {
 public:
  ReadCurrentMatrix() = default;
  // g [out, in]: every element a multiple of `step` (a power of two); x_max: the largest |code| of a read.
  ReadCurrentMatrix(const MatrixXfRowMajor& g, float step, int x_max);

  bool usable() const { return usable_; }
  // currents [batch, out] (resized) = x [batch, in] (integer-valued codes, |x| <= x_max) times G^T.
  void apply(const MatrixXfRowMajor& x, MatrixXfRowMajor& currents) const;

 private:
  bool usable_ = false;
  int out_ = 0, in_ = 0, in_padded_ = 0;
  Int16Rows units_;  // [out, in_padded], zero padded
  float step_ = 0.0f;
};

}  // namespace aimc
