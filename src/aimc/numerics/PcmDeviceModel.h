#pragma once
// The statistical PCM device model of REFERENCE D (Nandakumar et al., ICECS 2019, as in IBM AIHWKit's
// PCMLikeNoiseModel), as pure functions of conductance (uS) and time (s). No randomness here: callers pass
// the standard normal draws, so that every draw is counted and keyed by CounterRng. Inline, with log / exp /
// pow from base/PortableMath.h (not libm), so that DeviceModelPcm's row loops vectorise these very
// operations and every host gets the same bits.
#include <algorithm>
#include <cmath>

#include "aimc/base/PortableMath.h"

namespace aimc {

class PcmDeviceModel {
 public:
  // Programming noise sigma (uS) for a target g_target_us: (0.26348 + 1.9650 x - 1.1731 x^2) g_max / 25.
  static double programming_sigma_us(double g_target_us, double g_max_us) {
    const double x = g_target_us / g_max_us;
    return (0.26348 + 1.9650 * x - 1.1731 * x * x) * g_max_us / 25.0;
  }
  // Programmed conductance: max(0, g_T + scale * sigma_prog * xi).
  static double programmed_us(double g_target_us, double g_max_us, double noise_scale, double xi) {
    return std::max(0.0, g_target_us + noise_scale * programming_sigma_us(g_target_us, g_max_us) * xi);
  }
  // Drift exponent mean / std from the target (REFERENCE D), and nu = |mu + sigma xi| * drift_scale; both
  // from one ln g_rel, g_rel = max(g_T / g_max, 1e-7).
  static double log_g_rel(double g_target_us, double g_max_us) {
    return pm::log(std::max(g_target_us / g_max_us, 1e-7));
  }
  static double drift_nu_mean_of_log(double ln_g_rel) {
    return std::clamp(-0.0155 * ln_g_rel + 0.0244, 0.049, 0.1);
  }
  static double drift_nu_std_of_log(double ln_g_rel) {
    return std::clamp(-0.0125 * ln_g_rel - 0.0059, 0.008, 0.045);
  }
  static double drift_nu_mean(double g_target_us, double g_max_us) {
    return drift_nu_mean_of_log(log_g_rel(g_target_us, g_max_us));
  }
  static double drift_nu_std(double g_target_us, double g_max_us) {
    return drift_nu_std_of_log(log_g_rel(g_target_us, g_max_us));
  }
  static double drift_nu(double g_target_us, double g_max_us, double drift_scale, double xi) {
    const double l = log_g_rel(g_target_us, g_max_us);
    return std::abs(drift_nu_mean_of_log(l) + drift_nu_std_of_log(l) * xi) * drift_scale;
  }
  // (t / t0)^-nu with t = t_inference + t0.
  static double drift_factor(double nu, double t_inference_s, double t0_s) {
    return pm::pow((t_inference_s + t0_s) / t0_s, -nu);
  }
  // 1/f read-noise relative sigma q_s of a device programmed to g_prog_us: min(0.2, 0.0088 / max(1e-3,
  // x^0.65)). x^0.65 of x below 1e-12 is far below 1e-3, so x is floored there (pm::pow needs x > 0).
  static double read_noise_q(double g_prog_us, double g_max_us) {
    const double x = std::max(std::max(g_prog_us, 0.0) / g_max_us, 1e-12);
    return std::min(0.2, 0.0088 / std::max(1e-3, pm::pow(x, 0.65)));
  }
  // sqrt(ln((t + t_read) / (2 t_read))) with t = t_inference + t0; 0 when the log is negative.
  static double read_noise_time_factor(double t_inference_s, double t0_s, double t_read_s) {
    return read_noise_time_factor_after_write(t_inference_s + t0_s, t_read_s);
  }
  // Same factor for a read `delay_s` after a write (program-and-verify), where t = delay_s.
  static double read_noise_time_factor_after_write(double delay_s, double t_read_s) {
    const double l = pm::log((delay_s + t_read_s) / (2.0 * t_read_s));
    return l > 0.0 ? std::sqrt(l) : 0.0;
  }
};

}  // namespace aimc
