#include "aimc/numerics/DeviceModelPcm.h"

#include <algorithm>
#include <cmath>

#include "aimc/numerics/PcmDeviceModel.h"

namespace aimc {

double DeviceModelPcm::target_us(double w, double w_max) const {
  const double s = p_.g_max_us / w_max;  // REFERENCE D mapping
  return std::clamp(w * s, 0.0, p_.g_max_us);
}

double DeviceModelPcm::programmed_us(double aim_us, const DeviceWindow& /*window*/, double xi) const {
  return PcmDeviceModel::programmed_us(aim_us, p_.g_max_us, p_.programming_noise_scale, xi);
}

double DeviceModelPcm::time_parameter(double target_us, double xi) const {
  return PcmDeviceModel::drift_nu(target_us, p_.g_max_us, p_.drift_scale, xi);
}

DeviceTime DeviceModelPcm::at(double t_s) const {
  DeviceTime time;
  time.t_s = t_s;
  time.drift = std::log((t_s + p_.t0_s) / p_.t0_s);
  time.noise = PcmDeviceModel::read_noise_time_factor(t_s, p_.t0_s, p_.t_read_s);
  return time;
}

double DeviceModelPcm::conductance_at(double g_prog_us, double nu, const DeviceTime& time) const {
  if (!p_.drift_enabled) return g_prog_us;
  return g_prog_us * std::exp(-nu * time.drift);
}

double DeviceModelPcm::read_sigma_rel(double g_prog_us, const DeviceTime& time) const {
  return p_.read_noise_scale * PcmDeviceModel::read_noise_q(g_prog_us, p_.g_max_us) * time.noise;
}

double DeviceModelPcm::read_sigma_rel_after_write(double g_us, double delay_s) const {
  return p_.read_noise_scale * PcmDeviceModel::read_noise_q(g_us, p_.g_max_us) *
         PcmDeviceModel::read_noise_time_factor_after_write(delay_s, p_.t_read_s);
}

}  // namespace aimc
