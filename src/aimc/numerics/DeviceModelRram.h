#pragma once
// Filamentary 1T1R RRAM behind DeviceModel, at the level of MemTorch's statistical non-idealities (Lammie et
// al., Neurocomputing 2022: device-to-device variability of R_on/R_off, finite conductance states, stuck
// devices) with NeuRRAM-like values (Wan et al., Nature 608, 2022). Defaults and sources: arch/rram.yaml.
//
//  window     every device has its own LRS and HRS: g_lrs (1 + d2d xi1), g_hrs (1 + d2d xi2), clamped so the
//             HRS stays below the LRS (MemTorch draws r_on / r_off per device the same way).
//  mapping    weight 0 -> g_hrs on both polarities; a polarity's share w of max|W| -> g_hrs + w / w_max *
//             (g_lrs - g_hrs); with `levels` >= 2 the target is rounded to the nearest of `levels` equally
//             spaced states (a finite number of levels), else continuous.
//  a write    aim + c2c (g_lrs - g_hrs) xi, clamped to the device's own window: a full SET/RESET (aim at
//             the nominal LRS/HRS or beyond) lands at the device's own LRS/HRS.
//  retention  log-time relaxation instead of power-law drift: with L(t) = log10(1 + t / tau),
//             g(t) = max(0, g_prog + (rho (g_mid - g_prog) + sigma_r span xi_d) L(t)):
//             the mean moves toward the window's middle and the spread grows by a fixed amount per decade
//             (the relaxation NeuRRAM reports after programming, Wan et al. 2022 Extended Data).
//  read noise time-independent, relative: g (1 + sigma_read xi) per read.
#include "aimc/numerics/DeviceModel.h"

namespace aimc {

class DeviceModelRram final : public DeviceModel {
 public:
  explicit DeviceModelRram(const DeviceParams& params);

  double g_lrs_us() const { return g_lrs_; }
  double g_hrs_us() const { return g_hrs_; }
  // The nominal level a target rounds to (identity when levels = 0).
  double quantise_us(double g_us) const;

  double g_zero_us() const override { return g_hrs_; }
  double g_span_us() const override { return g_lrs_ - g_hrs_; }
  double target_us(double w, double w_max) const override;
  int window_draws() const override { return 2; }
  DeviceWindow window(double xi_low, double xi_high) const override;
  double programmed_us(double aim_us, const DeviceWindow& window, double xi) const override;
  bool time_dependent() const override { return drift_enabled_; }
  double time_parameter(double /*target_us*/, double xi) const override { return xi; }
  DeviceTime at(double t_s) const override;
  double conductance_at(double g_prog_us, double xi, const DeviceTime& time) const override;
  double read_sigma_rel(double /*g_prog_us*/, const DeviceTime& /*time*/) const override;
  double stuck_high_us() const override { return g_lrs_; }
  double stuck_low_us() const override { return g_hrs_; }

 private:
  RramParams p_;
  double g_lrs_ = 0.0;
  double g_hrs_ = 0.0;
  double read_noise_scale_ = 1.0;
  bool drift_enabled_ = true;
};

}  // namespace aimc
