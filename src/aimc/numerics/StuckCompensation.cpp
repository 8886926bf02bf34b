#include "aimc/numerics/StuckCompensation.h"

#include <algorithm>
#include <cmath>

namespace aimc {

namespace {

double stuck_value(uint8_t s, const StuckDeviceRange& range) {
  return s == 1 ? range.stuck_high_us : range.stuck_low_us;
}

// The wanted difference of cell c (sum G+ - sum G- of its targets).
double wanted_difference(const StuckLine& line, int c) {
  double d = 0.0;
  for (int p = 0; p < 2 * line.n; ++p) d += (p < line.n ? 1.0 : -1.0) * line.target_us[p * line.cols + c];
  return d;
}

// Re-aims the free devices of cell c so that the cell's difference is `want` as far as their range allows
// (the lower polarity at its minimum, the other carrying the difference, split evenly); returns the
// difference the cell then has.
double aim_cell(StuckLine& line, int c, double want, const StuckDeviceRange& range) {
  double fixed = 0.0;
  int free_plus = 0, free_minus = 0;
  for (int p = 0; p < 2 * line.n; ++p) {
    const double sign = p < line.n ? 1.0 : -1.0;
    const uint8_t s = line.stuck[p * line.cols + c];
    if (s)
      fixed += sign * stuck_value(s, range);
    else
      (p < line.n ? free_plus : free_minus) += 1;
  }
  const double x = want - fixed;  // what the free devices must add
  double plus = free_plus * range.low_us, minus = free_minus * range.low_us;
  if (x >= 0.0)
    plus = std::clamp(x + minus, free_plus * range.low_us, free_plus * range.high_us);
  else
    minus = std::clamp(plus - x, free_minus * range.low_us, free_minus * range.high_us);
  for (int p = 0; p < 2 * line.n; ++p) {
    const size_t i = static_cast<size_t>(p) * line.cols + c;
    if (line.stuck[i]) continue;
    line.target_us[i] = p < line.n ? plus / free_plus : minus / free_minus;
  }
  return fixed + plus - minus;
}

}  // namespace

StuckLineResult compensate_stuck_line(StuckLine& line, const StuckDeviceRange& range,
                                      StuckCompensation mode) {
  StuckLineResult result;
  if (mode == StuckCompensation::kNone) return result;
  std::vector<uint8_t> bad(static_cast<size_t>(line.cols), 0);
  for (int p = 0; p < 2 * line.n; ++p)
    for (int c = 0; c < line.cols; ++c) {
      const size_t i = static_cast<size_t>(p) * line.cols + c;
      if (!line.stuck[i]) continue;
      if (std::abs(stuck_value(line.stuck[i], range) - line.target_us[i]) <= range.detect_tolerance_us)
        continue;
      ++result.detected;
      bad[c] = 1;
    }
  double residual = 0.0;
  int healthy = 0;
  for (int c = 0; c < line.cols; ++c) {
    if (!bad[c]) {
      healthy += 1;
      continue;
    }
    const double want = wanted_difference(line, c);
    residual += aim_cell(line, c, want, range) - want;
    ++result.cells_compensated;
  }
  if (mode != StuckCompensation::kOffset || healthy == 0 || residual == 0.0) return result;
  const double shift = -residual / healthy;
  for (int c = 0; c < line.cols; ++c)
    if (!bad[c]) aim_cell(line, c, wanted_difference(line, c) + shift, range);
  result.offset = true;
  return result;
}

}  // namespace aimc
