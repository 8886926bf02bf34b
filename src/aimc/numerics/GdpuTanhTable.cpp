#include "aimc/numerics/GdpuTanhTable.h"

#include <cmath>

#include <fmt/format.h>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

constexpr double kSearchEnd = 20.0;  // tanh(20) = 1 - 8e-18: beyond any useful breakpoint
constexpr int kBisections = 64;      // halves [0, 20] below double precision

// The point of (0, inf) where tanh' = m (0 < m <= 1).
double tangent_point(double m) {
  return std::acosh(1.0 / std::sqrt(m));
}

struct Line {
  double slope = 0, intercept = 0, error = 0;
};

// The line through the origin closest to tanh on [0, b] in the max norm: g(x) = tanh x - m x rises to its
// maximum at the tangent point, then falls; the best m makes that maximum equal to -g(b).
Line origin_fit(double b) {
  double lo = std::tanh(b) / b, hi = 1.0;
  for (int i = 0; i < kBisections; ++i) {
    const double m = 0.5 * (lo + hi);
    const double xi = tangent_point(m);
    const double f = (std::tanh(xi) - m * xi) + (std::tanh(b) - m * b);
    (f > 0 ? lo : hi) = m;
  }
  const double m = 0.5 * (lo + hi);
  const double xi = tangent_point(m);
  return {m, 0.0, std::tanh(xi) - m * xi};
}

// The minimax line of tanh on [a, b] (0 <= a < b; tanh concave there): the chord's slope, lifted by half the
// chord's largest deviation (at the tangent point).
Line chord_fit(double a, double b) {
  const double m = (std::tanh(b) - std::tanh(a)) / (b - a);
  const double xi = tangent_point(m);
  const double dev = std::tanh(xi) - (std::tanh(a) + m * (xi - a));
  return {m, std::tanh(a) - m * a + 0.5 * dev, 0.5 * dev};
}

// The largest b in (a, kSearchEnd] whose fit stays within `error` (the fit's error grows with b).
template <typename Fit>
double widest_bin(double a, double error, Fit fit) {
  double lo = a, hi = kSearchEnd;
  if (fit(a, hi).error <= error) return hi;
  for (int i = 0; i < kBisections; ++i) {
    const double b = 0.5 * (lo + hi);
    (fit(a, b).error <= error ? lo : hi) = b;
  }
  return lo;
}

// The breakpoints the greedy fit reaches with `error`; true if the saturation bin is within it too.
bool greedy_breakpoints(double error, std::array<double, GdpuTanhTable::kBreakpoints>& bp) {
  const auto origin = [](double, double b) { return origin_fit(b); };
  bp[0] = widest_bin(0.0, error, origin);
  for (int j = 1; j < GdpuTanhTable::kBreakpoints; ++j) bp[j] = widest_bin(bp[j - 1], error, chord_fit);
  return 1.0 - std::tanh(bp[GdpuTanhTable::kBreakpoints - 1]) <= error;
}

}  // namespace

GdpuTanhTable GdpuTanhTable::fit() {
  double lo = 1e-7, hi = 0.1;  // a feasible error (hi) and an infeasible one (lo)
  std::array<double, kBreakpoints> bp{};
  AIMC_ASSERT(greedy_breakpoints(hi, bp) && !greedy_breakpoints(lo, bp));
  for (int i = 0; i < 60; ++i) {
    const double e = std::sqrt(lo * hi);
    (greedy_breakpoints(e, bp) ? hi : lo) = e;
  }
  greedy_breakpoints(hi, bp);
  GdpuTanhTable t;
  t.fit_error = hi;
  for (int j = 0; j < kBreakpoints; ++j) t.breakpoints[j] = Fp16::from_double(bp[j]);
  // Refit every bin on its rounded ends, then round its line.
  for (int k = 0; k < kBins - 1; ++k) {
    const double b = t.breakpoints[k].to_double();
    const Line line = k == 0 ? origin_fit(b) : chord_fit(t.breakpoints[k - 1].to_double(), b);
    t.slopes[k] = Fp16::from_double(line.slope);
    t.intercepts[k] = Fp16::from_double(line.intercept);
  }
  t.slopes[kBins - 1] = Fp16::from_double(0.0);
  t.intercepts[kBins - 1] = Fp16::from_double(1.0);
  return t;
}

const GdpuTanhTable& GdpuTanhTable::standard() {
  static const GdpuTanhTable table = fit();
  return table;
}

int GdpuTanhTable::bin(Fp16 x) const {
  // Non-negative FP16 values (not NaN) order as their bit patterns: the comparators compare bits.
  const auto magnitude = static_cast<uint16_t>(x.bits() & 0x7FFFu);
  int k = 0;
  for (const Fp16 b : breakpoints) k += magnitude >= b.bits() ? 1 : 0;
  return k;
}

Fp16 GdpuTanhTable::tanh(Fp16 x) const {
  if (x.is_nan()) return Fp16::from_bits(Fp16::kQuietNan);
  const Fp16 magnitude = Fp16::from_bits(static_cast<uint16_t>(x.bits() & 0x7FFFu));
  const int k = bin(x);
  // The saturation bin outputs its constant (an FMA would make 0 * inf = NaN for an infinite input).
  const Fp16 y = k == kBins - 1 ? intercepts[k] : Fp16::fma(slopes[k], magnitude, intercepts[k]);
  return x.sign() ? -y : y;
}

Fp16 GdpuTanhTable::sigmoid(Fp16 x) const {
  const Fp16 half = Fp16::from_double(0.5);
  return Fp16::fma(tanh(Fp16::mul(x, half)), half, half);
}

std::string GdpuTanhTable::describe() const {
  std::string out = fmt::format("GDPU tanh table: {} bins on |x|, fit error {:.3e}\n", kBins, fit_error);
  for (int k = 0; k < kBins; ++k) {
    const double lo = k == 0 ? 0.0 : breakpoints[k - 1].to_double();
    const std::string hi = k == kBins - 1 ? "inf" : fmt::format("{:.6g}", breakpoints[k].to_double());
    out += fmt::format("  bin {:2d} [{:.6g}, {}): slope {:.6g} (0x{:04x}) intercept {:.6g} (0x{:04x})\n", k,
                       lo, hi, slopes[k].to_double(), slopes[k].bits(), intercepts[k].to_double(),
                       intercepts[k].bits());
  }
  return out;
}

}  // namespace aimc
