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
  time.drift = pm::log((t_s + p_.t0_s) / p_.t0_s);
  time.noise = PcmDeviceModel::read_noise_time_factor(t_s, p_.t0_s, p_.t_read_s);
  return time;
}

double DeviceModelPcm::conductance_at(double g_prog_us, double nu, const DeviceTime& time) const {
  if (!p_.drift_enabled) return g_prog_us;
  return g_prog_us * pm::exp(-nu * time.drift);
}

double DeviceModelPcm::read_sigma_rel(double g_prog_us, const DeviceTime& time) const {
  return p_.read_noise_scale * PcmDeviceModel::read_noise_q(g_prog_us, p_.g_max_us) * time.noise;
}

DeviceTime DeviceModelPcm::after_write(double delay_s) const {
  DeviceTime time;
  time.t_s = delay_s;
  time.noise = PcmDeviceModel::read_noise_time_factor_after_write(delay_s, p_.t_read_s);
  return time;
}

// The row loops: plain loops over restrict-qualified arrays, one clone per vector width (x86-64-v4 = AVX-512,
// AVX2, baseline SSE2), the host's chosen at load time; -ffp-contract=off keeps each clone from fusing.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define AIMC_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define AIMC_VECTOR_CLONES
#endif

namespace {

AIMC_VECTOR_CLONES void target_loop(int n, const float* __restrict w, double s, double g_max,
                                    float* __restrict out) {
  for (int i = 0; i < n; ++i) out[i] = static_cast<float>(std::clamp(w[i] * s, 0.0, g_max));  // as target_us
}

AIMC_VECTOR_CLONES void programmed_loop(int n, const float* __restrict aim, const double* __restrict xi,
                                        double g_max, double scale, float* __restrict out) {
  for (int i = 0; i < n; ++i)
    out[i] = static_cast<float>(PcmDeviceModel::programmed_us(aim[i], g_max, scale, xi[i]));
}

AIMC_VECTOR_CLONES void drift_nu_loop(int n, const float* __restrict target, const double* __restrict xi,
                                      double g_max, double drift_scale, float* __restrict out) {
  for (int i = 0; i < n; ++i)
    out[i] = static_cast<float>(PcmDeviceModel::drift_nu(target[i], g_max, drift_scale, xi[i]));
}

AIMC_VECTOR_CLONES void conductance_loop(int n, const float* __restrict g_prog, const float* __restrict nu,
                                         double drift, bool drift_enabled, double g_max, double scale,
                                         double noise, double* __restrict g, double* __restrict sigma) {
  if (drift_enabled && drift != 0.0)  // at t = 0, e^-0 = 1 exactly: g_prog itself
    for (int i = 0; i < n; ++i)
      g[i] = static_cast<double>(g_prog[i]) * pm::exp(-static_cast<double>(nu[i]) * drift);
  else
    for (int i = 0; i < n; ++i) g[i] = g_prog[i];
  for (int i = 0; i < n; ++i)
    sigma[i] = scale * PcmDeviceModel::read_noise_q(g_prog[i], g_max) * noise;  // as read_sigma_rel
}

}  // namespace

void DeviceModelPcm::target_row(int n, const float* w, double w_max, float* out_us) const {
  target_loop(n, w, p_.g_max_us / w_max, p_.g_max_us, out_us);
}

void DeviceModelPcm::programmed_row(int n, const float* aim_us, const float* /*win_low*/,
                                    const float* /*win_high*/, const double* xi, float* out_us) const {
  programmed_loop(n, aim_us, xi, p_.g_max_us, p_.programming_noise_scale, out_us);
}

void DeviceModelPcm::time_parameter_row(int n, const float* target_us, const double* xi, float* out) const {
  drift_nu_loop(n, target_us, xi, p_.g_max_us, p_.drift_scale, out);
}

void DeviceModelPcm::conductance_row(int n, const float* g_prog_us, const float* parameter,
                                     const DeviceTime& time, double* g_us, double* sigma_rel) const {
  conductance_loop(n, g_prog_us, parameter, time.drift, p_.drift_enabled, p_.g_max_us, p_.read_noise_scale,
                   time.noise, g_us, sigma_rel);
}

}  // namespace aimc
