#include "aimc/numerics/ArrayReadEnergy.h"

#include <cmath>
#include <cstdlib>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

std::vector<int64_t> to_units(const std::vector<double>& s) {
  std::vector<int64_t> u(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    AIMC_ASSERT(s[i] >= 0.0 && std::isfinite(s[i]));
    u[i] = std::llround(s[i] / ArrayReadEnergy::kUnitSiemens);
  }
  return u;
}

}  // namespace

ArrayReadEnergy::ArrayReadEnergy(const std::vector<double>& line_s, const std::vector<double>& wire_loss_s)
    : line_(to_units(line_s)), wire_(to_units(wire_loss_s)) {
  AIMC_ASSERT(wire_.empty() || wire_.size() == line_.size());
}

void ArrayReadEnergy::add_read(const int32_t* codes, int n, MvmActivity& a) const {
  AIMC_ASSERT(static_cast<size_t>(n) <= line_.size());
  int64_t g = 0, w = 0;
  for (int i = 0; i < n; ++i) {
    const int64_t x = std::abs(codes[i]);
    g += x * line_[i];
    if (!wire_.empty()) w += x * wire_[i];
  }
  a.array_conductance_lsbs += g;
  a.wire_conductance_lsbs += w;
}

void ArrayReadEnergy::add_read(const float* codes, int n, MvmActivity& a) const {
  AIMC_ASSERT(static_cast<size_t>(n) <= line_.size());
  int64_t g = 0, w = 0;
  for (int i = 0; i < n; ++i) {
    const int64_t x = std::llround(std::fabs(codes[i]));
    g += x * line_[i];
    if (!wire_.empty()) w += x * wire_[i];
  }
  a.array_conductance_lsbs += g;
  a.wire_conductance_lsbs += w;
}

}  // namespace aimc
