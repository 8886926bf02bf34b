#include "aimc/numerics/DeviceModelRram.h"

#include <algorithm>
#include <cmath>

#include "aimc/base/Error.h"

namespace aimc {

DeviceModelRram::DeviceModelRram(const DeviceParams& params)
    : p_(params.rram),
      g_lrs_(params.rram.g_lrs_us),
      g_hrs_(params.rram.g_lrs_us / params.rram.on_off_ratio),
      read_noise_scale_(params.read_noise_scale),
      drift_enabled_(params.drift_enabled) {
  AIMC_ASSERT(p_.g_lrs_us > 0.0 && p_.on_off_ratio > 1.0 && p_.relaxation_tau_s > 0.0);
  AIMC_ASSERT(p_.levels == 0 || p_.levels >= 2);
}

double DeviceModelRram::quantise_us(double g_us) const {
  const double g = std::clamp(g_us, g_hrs_, g_lrs_);
  if (p_.levels < 2) return g;
  const double step = (g_lrs_ - g_hrs_) / (p_.levels - 1);
  return g_hrs_ + std::nearbyint((g - g_hrs_) / step) * step;
}

double DeviceModelRram::target_us(double w, double w_max) const {
  const double share = std::clamp(w / w_max, 0.0, 1.0);
  return quantise_us(g_hrs_ + share * (g_lrs_ - g_hrs_));
}

DeviceWindow DeviceModelRram::window(double xi_low, double xi_high) const {
  DeviceWindow w;
  w.high_us = std::max(0.0, g_lrs_ * (1.0 + p_.d2d_sigma * xi_high));
  w.low_us = std::clamp(g_hrs_ * (1.0 + p_.d2d_sigma * xi_low), 0.0, w.high_us);
  return w;
}

double DeviceModelRram::programmed_us(double aim_us, const DeviceWindow& window, double xi) const {
  // A full SET / RESET drives the filament to the device's own limit; an intermediate aim lands with the
  // cycle-to-cycle spread.
  if (aim_us >= g_lrs_) return window.high_us;
  if (aim_us <= g_hrs_) return window.low_us;
  return std::clamp(aim_us + p_.c2c_sigma * (g_lrs_ - g_hrs_) * xi, window.low_us, window.high_us);
}

DeviceTime DeviceModelRram::at(double t_s) const {
  DeviceTime time;
  time.t_s = t_s;
  time.drift = std::log10(1.0 + t_s / p_.relaxation_tau_s);
  return time;
}

double DeviceModelRram::conductance_at(double g_prog_us, double xi, const DeviceTime& time) const {
  if (!drift_enabled_ || time.drift == 0.0) return g_prog_us;
  const double mid = 0.5 * (g_lrs_ + g_hrs_);
  const double move =
      (p_.relaxation_to_mid * (mid - g_prog_us) + p_.relaxation_sigma * (g_lrs_ - g_hrs_) * xi) * time.drift;
  return std::max(0.0, g_prog_us + move);
}

double DeviceModelRram::read_sigma_rel(double /*g_prog_us*/, const DeviceTime& /*time*/) const {
  return read_noise_scale_ * p_.read_noise_sigma;
}

}  // namespace aimc
