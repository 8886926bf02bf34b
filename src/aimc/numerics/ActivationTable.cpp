#include "aimc/numerics/ActivationTable.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "aimc/base/Error.h"

namespace aimc {

void activation_nonlinear_region(ActivationKind kind, double* lo, double* hi) {
  const double inf = std::numeric_limits<double>::infinity();
  switch (kind) {
    case ActivationKind::kSigmoid:
    case ActivationKind::kSilu:
      *lo = -8.0, *hi = 8.0;
      return;
    case ActivationKind::kTanh:
    case ActivationKind::kGelu:
    case ActivationKind::kGeluTanh:
      *lo = -4.0, *hi = 4.0;
      return;
    case ActivationKind::kElu:
      *lo = -8.0, *hi = 0.0;
      return;
    case ActivationKind::kHardSwish:
      *lo = -3.0, *hi = 3.0;
      return;
    default:
      *lo = -inf, *hi = inf;
      return;
  }
}

namespace {

ActivationTable linear_table(const ActivationSpec& spec, double in_lsb, double out_step) {
  ActivationTable t;
  const double unit = in_lsb / out_step;  // output steps per input step of the identity
  const double inf = std::numeric_limits<double>::infinity();
  t.lo = -inf, t.hi = inf;
  switch (spec.kind) {
    case ActivationKind::kRelu:
      t.slope_pos = unit, t.slope_neg = 0.0;
      break;
    case ActivationKind::kLeakyRelu:
    case ActivationKind::kPRelu:
      t.slope_pos = unit, t.slope_neg = spec.alpha * unit;
      break;
    case ActivationKind::kHardtanh:
      t.slope_pos = t.slope_neg = unit;
      t.clamp = true, t.lo = spec.alpha / out_step, t.hi = spec.beta / out_step;
      break;
    case ActivationKind::kHardSigmoid:
      t.slope_pos = t.slope_neg = spec.alpha * unit;
      t.intercept = spec.beta / out_step;
      t.clamp = true, t.lo = 0.0, t.hi = 1.0 / out_step;
      break;
    default:
      AIMC_ASSERT_MSG(false, "not a piecewise-linear activation");
  }
  return t;
}

// The offset that centres the chord's error over [a, b]: (max + min) / 2 of f - chord, sampled at 65 points.
// With the chord's slope this is the best (minimax) line of that slope: it halves the error of a convex or
// concave bin (a choice: the table then no longer passes through f at the breakpoints).
template <typename F>
double minimax_offset(const F& f, double a, double b, double slope) {
  double lo = 0, hi = 0;
  for (int i = 0; i <= 64; ++i) {
    const double x = a + (b - a) * i / 64.0;
    const double d = f(x) - (f(a) + slope * (x - a));
    lo = std::min(lo, d), hi = std::max(hi, d);
  }
  return (lo + hi) / 2;
}

}  // namespace

ActivationTable ActivationTable::build(const ActivationSpec& spec, double in_lsb, double out_step, int bins) {
  AIMC_ASSERT(in_lsb > 0 && out_step > 0 && bins >= 3);
  if (is_piecewise_linear(spec.kind)) return linear_table(spec, in_lsb, out_step);
  ActivationTable t;
  t.piecewise_linear = false;
  double lo_f = 0, hi_f = 0;
  activation_nonlinear_region(spec.kind, &lo_f, &hi_f);
  const double lo = std::max(-128.0, lo_f / in_lsb);
  const double hi = std::min(127.0, hi_f / in_lsb);
  // A region narrower than the INT8 range's resolution (huge in_lsb): one input step per bin at least.
  const double width = std::max((hi - lo) / (bins - 2), 1.0 / (bins - 2));
  auto f = [&](double x) { return activation_value(spec, x * in_lsb) / out_step; };
  for (int k = 0; k < bins - 1; ++k) t.breakpoints.push_back(lo + k * width);
  const double first = t.breakpoints.front(), last = t.breakpoints.back();
  // Bin 0: x < first, the chord over [first - width, first] anchored at first.
  t.anchors.push_back(first);
  t.values.push_back(f(first));
  t.slopes.push_back((f(first) - f(first - width)) / width);
  for (int k = 1; k < bins - 1; ++k) {
    const double a = t.breakpoints[static_cast<size_t>(k - 1)];
    const double b = t.breakpoints[static_cast<size_t>(k)];
    const double slope = (f(b) - f(a)) / (b - a);
    t.anchors.push_back(a);
    t.values.push_back(f(a) + minimax_offset(f, a, b, slope));
    t.slopes.push_back(slope);
  }
  t.anchors.push_back(last);
  t.values.push_back(f(last));
  t.slopes.push_back((f(last + width) - f(last)) / width);
  return t;
}

double ActivationTable::evaluate(double x) const {
  if (piecewise_linear) {
    const double y = (x >= 0 ? slope_pos : slope_neg) * x + intercept;
    return clamp ? std::clamp(y, lo, hi) : y;
  }
  const auto k =
      static_cast<size_t>(std::upper_bound(breakpoints.begin(), breakpoints.end(), x) - breakpoints.begin());
  return values[k] + slopes[k] * (x - anchors[k]);
}

}  // namespace aimc
