#pragma once
// PCM behind DeviceModel: REFERENCE D (Nandakumar et al., ICECS 2019, as IBM AIHWKit's PCMLikeNoiseModel)
// through the PcmDeviceModel statics, with the same floating-point operations in the same order as the
// crossbar used before the interface existed, so every output is bit-identical.
#include "aimc/numerics/DeviceModel.h"

namespace aimc {

class DeviceModelPcm final : public DeviceModel {
 public:
  explicit DeviceModelPcm(const DeviceParams& params) : p_(params) {}

  double g_zero_us() const override { return 0.0; }
  double g_span_us() const override { return p_.g_max_us; }
  double target_us(double w, double w_max) const override;
  double programmed_us(double aim_us, const DeviceWindow& window, double xi) const override;
  bool time_dependent() const override { return p_.drift_enabled; }
  double time_parameter(double target_us, double xi) const override;
  DeviceTime at(double t_s) const override;
  double conductance_at(double g_prog_us, double nu, const DeviceTime& time) const override;
  double read_sigma_rel(double g_prog_us, const DeviceTime& time) const override;
  DeviceTime after_write(double delay_s) const override;
  // Row loops of the inline formulas above (PcmDeviceModel.h), vectorised (AVX2 / AVX-512 when the host has
  // them): the same operations per device, so the same bits as the scalar functions.
  void target_row(int n, const float* w, double w_max, float* out_us) const override;
  void programmed_row(int n, const float* aim_us, const float* win_low, const float* win_high,
                      const double* xi, float* out_us) const override;
  void time_parameter_row(int n, const float* target_us, const double* xi, float* out) const override;
  void conductance_row(int n, const float* g_prog_us, const float* parameter, const DeviceTime& time,
                       double* g_us, double* sigma_rel) const override;
  double stuck_high_us() const override { return p_.g_max_us; }
  double stuck_low_us() const override { return p_.g_reset_us; }

 private:
  DeviceParams p_;
};

}  // namespace aimc
