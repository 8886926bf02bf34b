#include "aimc/numerics/PcmDeviceModel.h"

#include <algorithm>
#include <cmath>

namespace aimc {

double PcmDeviceModel::programming_sigma_us(double g_target_us, double g_max_us) {
  const double x = g_target_us / g_max_us;
  return (0.26348 + 1.9650 * x - 1.1731 * x * x) * g_max_us / 25.0;
}

double PcmDeviceModel::programmed_us(double g_target_us, double g_max_us, double noise_scale, double xi) {
  return std::max(0.0, g_target_us + noise_scale * programming_sigma_us(g_target_us, g_max_us) * xi);
}

double PcmDeviceModel::drift_nu_mean(double g_target_us, double g_max_us) {
  const double g_rel = std::max(g_target_us / g_max_us, 1e-7);
  return std::clamp(-0.0155 * std::log(g_rel) + 0.0244, 0.049, 0.1);
}

double PcmDeviceModel::drift_nu_std(double g_target_us, double g_max_us) {
  const double g_rel = std::max(g_target_us / g_max_us, 1e-7);
  return std::clamp(-0.0125 * std::log(g_rel) - 0.0059, 0.008, 0.045);
}

double PcmDeviceModel::drift_nu(double g_target_us, double g_max_us, double drift_scale, double xi) {
  return std::abs(drift_nu_mean(g_target_us, g_max_us) + drift_nu_std(g_target_us, g_max_us) * xi) *
         drift_scale;
}

double PcmDeviceModel::drift_factor(double nu, double t_inference_s, double t0_s) {
  return std::pow((t_inference_s + t0_s) / t0_s, -nu);
}

double PcmDeviceModel::read_noise_q(double g_prog_us, double g_max_us) {
  return std::min(0.2, 0.0088 / std::max(1e-3, std::pow(std::max(g_prog_us, 0.0) / g_max_us, 0.65)));
}

double PcmDeviceModel::read_noise_time_factor(double t_inference_s, double t0_s, double t_read_s) {
  return read_noise_time_factor_after_write(t_inference_s + t0_s, t_read_s);
}

double PcmDeviceModel::read_noise_time_factor_after_write(double delay_s, double t_read_s) {
  const double l = std::log((delay_s + t_read_s) / (2.0 * t_read_s));
  return l > 0.0 ? std::sqrt(l) : 0.0;
}

}  // namespace aimc
