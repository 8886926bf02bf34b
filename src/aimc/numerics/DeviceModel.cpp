#include "aimc/numerics/DeviceModel.h"

#include "aimc/numerics/DeviceModelPcm.h"
#include "aimc/numerics/DeviceModelRram.h"

namespace aimc {

std::unique_ptr<DeviceModel> DeviceModel::create(const DeviceParams& params) {
  if (params.technology == DeviceTechnology::kRram) return std::make_unique<DeviceModelRram>(params);
  return std::make_unique<DeviceModelPcm>(params);
}

}  // namespace aimc
