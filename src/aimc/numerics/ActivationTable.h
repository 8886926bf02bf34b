#pragma once
// The activation stage's coefficients as real numbers, built from an activation's float meaning
// (ActivationFunction.h); each digital unit rounds them into its own register formats (NmpuModel: fixed
// point, LdpuFp16Model: FP16).
//
// The stage's input x is the running value t2 (after the side add) in units of `in_lsb`, the real value of
// one step of the pre-activation; its output is in units of `out_step`, the real value of one output step:
// out = f(x * in_lsb) / out_step, then rounded and saturated to INT8 by the unit.
//
// Piecewise-linear functions (LeakyReLU, PReLU, Hardtanh, HardSigmoid, ReLU) are exact:
//   out = clamp((x >= 0 ? slope_pos : slope_neg) * x + intercept, lo, hi)
// Smooth functions are interpolated from a table of `bins` bins (REFERENCE.md H: HERMES's tanh unit has 17
// comparators choosing one of 18 bins and an FMA): breakpoints b[1..bins-1] uniform over the range
// [max(-128, lo_f / in_lsb), min(127, hi_f / in_lsb)] (the INT8 range of the pre-activation, narrowed to the
// function's non-linear region [lo_f, hi_f], beyond which it is constant or linear within an output step),
// bin k = #{b <= x}; out = value[k] + slope[k] * (x - anchor[k]). Inner bins take the chord's slope between
// their breakpoints (anchor = left breakpoint) and a value shifted by the midpoint of the chord's largest
// errors above and below f (the minimax line of that slope: half the chord's error on a convex bin, at most
// h^2/8 max|f''| with h the bin width); the two end bins take f at the outer breakpoint and
// extrapolate the chord of one more uniform bin outside the range (anchor = the outer breakpoint), so a
// saturating function stays near its limit and a function that becomes linear (GELU, SiLU, ELU, HardSwish)
// keeps its slope; the INT8 saturation bounds both.
#include <vector>

#include "aimc/numerics/ActivationFunction.h"

namespace aimc {

struct ActivationTable {
  bool piecewise_linear = true;
  // Piecewise-linear form (output steps, output steps per input step).
  double slope_pos = 1.0, slope_neg = 1.0, intercept = 0.0;
  bool clamp = false;
  double lo = 0.0, hi = 0.0;
  // Table form: bins - 1 breakpoints (input steps, non-decreasing), bins anchors, values and slopes.
  std::vector<double> breakpoints, anchors, values, slopes;

  // Builds the stage for `spec` (alpha: this channel's slope for PReLU). in_lsb, out_step > 0; bins >= 3.
  static ActivationTable build(const ActivationSpec& spec, double in_lsb, double out_step, int bins);

  // The table's own real-valued output for input x (input steps), before any rounding: the reference the
  // units' rounding is measured against.
  double evaluate(double x) const;
};

// The region [lo, hi] (real input values) where a smooth function is not yet constant or linear to within
// double precision's usefulness for an INT8 output; the table's breakpoints lie inside it (a choice, see
// ActivationTable.h): sigmoid, SiLU +-8 (sigmoid(-8) = 3.4e-4), tanh, GELU +-4 (tanh(4) = 1 - 6.7e-4,
// Phi(-4) = 3.2e-5), ELU [-8, 0] (linear above 0), HardSwish [-3, 3] (its quadratic part); cos and sin the
// whole range (+-infinity).
void activation_nonlinear_region(ActivationKind kind, double* lo, double* hi);

}  // namespace aimc
