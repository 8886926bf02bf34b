#include "aimc/numerics/DeviceModel.h"

#include "aimc/numerics/DeviceModelPcm.h"
#include "aimc/numerics/DeviceModelRram.h"

namespace aimc {

std::unique_ptr<DeviceModel> DeviceModel::create(const DeviceParams& params) {
  if (params.technology == DeviceTechnology::kRram) return std::make_unique<DeviceModelRram>(params);
  return std::make_unique<DeviceModelPcm>(params);
}

void DeviceModel::target_row(int n, const float* w, double w_max, float* out_us) const {
  for (int i = 0; i < n; ++i) out_us[i] = static_cast<float>(target_us(w[i], w_max));
}

void DeviceModel::programmed_row(int n, const float* aim_us, const float* win_low, const float* win_high,
                                 const double* xi, float* out_us) const {
  for (int i = 0; i < n; ++i) {
    const DeviceWindow window = win_low ? DeviceWindow{win_low[i], win_high[i]} : DeviceWindow{};
    out_us[i] = static_cast<float>(programmed_us(aim_us[i], window, xi[i]));
  }
}

void DeviceModel::time_parameter_row(int n, const float* target_us, const double* xi, float* out) const {
  for (int i = 0; i < n; ++i) out[i] = static_cast<float>(time_parameter(target_us[i], xi[i]));
}

void DeviceModel::conductance_row(int n, const float* g_prog_us, const float* parameter,
                                  const DeviceTime& time, double* g_us, double* sigma_rel) const {
  for (int i = 0; i < n; ++i) {
    g_us[i] = conductance_at(g_prog_us[i], parameter[i], time);
    sigma_rel[i] = read_sigma_rel(g_prog_us[i], time);
  }
}

}  // namespace aimc
