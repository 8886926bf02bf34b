#pragma once
// The GDPU's tanh unit (REFERENCE.md H: "17 comparators select one of 18 bins, then an FMA interpolates";
// sigmoid from tanh by an identity), as FP16 register values one can inspect, and its bit-exact evaluation.
//
// The table works on |x| and gives the result the sign of x (a sign bit is free in FP16; tanh is odd), so all
// 17 comparators and 18 bins serve [0, inf):
//   k = #{j : breakpoint[j] <= |x|}            17 FP16 comparisons, k in 0..17
//   y = fma(slope[k], |x|, intercept[k])       one FP16 FMA, one rounding
//   tanh(x) = x < 0 ? -y : y                   (NaN gives NaN, -0 gives -0)
//   sigmoid(x) = fma(tanh(mul(x, 0.5)), 0.5, 0.5)     0.5 + 0.5 tanh(x / 2): one multiply, one FMA
// Bin 17 ([breakpoint[16], inf)) is the saturation: slope 0, intercept 1. Bin 0 is a line through the origin
// (intercept 0), so tanh(0) = 0 and sigmoid(0) = 0.5 exactly.
//
// How the breakpoints were chosen (a choice, computed in double by fit(), then rounded to FP16): the table is
// one for every gate, so it is fitted on the real input, not on any one gate's INT8 scale. Given a target
// error e, bins are grown greedily from 0: bin 0 as wide as a line through the origin stays within e of tanh
// (minimax slope), each further bin as wide as its minimax line (the chord's slope, shifted by half the
// chord's largest deviation; tanh is concave on x > 0) stays within e, until 16 fitted bins; the saturation
// bin then starts at the last breakpoint and must satisfy 1 - tanh(breakpoint[16]) <= e. The smallest e for
// which 17 bins reach that far is found by bisection (fit_error). After rounding the breakpoints to FP16 each
// bin's line is refitted on the rounded bin and its slope and intercept rounded to FP16. The measured error
// over the INT8 range is in tests/unit/numerics/GdpuTanhTableTest.
#include <array>
#include <string>

#include "aimc/numerics/Fp16.h"

namespace aimc {

struct GdpuTanhTable {
  static constexpr int kBreakpoints = 17;
  static constexpr int kBins = kBreakpoints + 1;

  std::array<Fp16, kBreakpoints> breakpoints{};  // ascending, > 0
  std::array<Fp16, kBins> slopes{}, intercepts{};
  double fit_error = 0;  // the max |tanh - line| of the fit in double, before the FP16 rounding

  // The table the GDPU holds (fitted once, as described above).
  static const GdpuTanhTable& standard();
  static GdpuTanhTable fit();

  // The bin of |x| (0 .. kBins - 1); the bit-exact tanh and sigmoid of the unit.
  int bin(Fp16 x) const;
  Fp16 tanh(Fp16 x) const;
  Fp16 sigmoid(Fp16 x) const;

  // One line per bin: range, slope and intercept (decimal and FP16 bits), for reports and docs.
  std::string describe() const;
};

}  // namespace aimc
