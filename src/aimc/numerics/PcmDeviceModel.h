#pragma once
// The statistical PCM device model of REFERENCE D (Nandakumar et al., ICECS 2019, as in IBM AIHWKit's
// PCMLikeNoiseModel), as pure functions of conductance (uS) and time (s). No randomness here: callers pass
// the standard normal draws, so that every draw is counted and keyed by CounterRng.
namespace aimc {

class PcmDeviceModel {
 public:
  // Programming noise sigma (uS) for a target g_target_us: (0.26348 + 1.9650 x - 1.1731 x^2) g_max / 25.
  static double programming_sigma_us(double g_target_us, double g_max_us);
  // Programmed conductance: max(0, g_T + scale * sigma_prog * xi).
  static double programmed_us(double g_target_us, double g_max_us, double noise_scale, double xi);
  // Drift exponent mean / std from the target (REFERENCE D), and nu = |mu + sigma xi| * drift_scale.
  static double drift_nu_mean(double g_target_us, double g_max_us);
  static double drift_nu_std(double g_target_us, double g_max_us);
  static double drift_nu(double g_target_us, double g_max_us, double drift_scale, double xi);
  // (t / t0)^-nu with t = t_inference + t0.
  static double drift_factor(double nu, double t_inference_s, double t0_s);
  // 1/f read-noise relative sigma q_s of a device programmed to g_prog_us: min(0.2, 0.0088 / max(1e-3,
  // x^0.65)).
  static double read_noise_q(double g_prog_us, double g_max_us);
  // sqrt(ln((t + t_read) / (2 t_read))) with t = t_inference + t0; 0 when the log is negative.
  static double read_noise_time_factor(double t_inference_s, double t0_s, double t_read_s);
  // Same factor for a read `delay_s` after a write (program-and-verify), where t = delay_s.
  static double read_noise_time_factor_after_write(double delay_s, double t_read_s);
};

}  // namespace aimc
