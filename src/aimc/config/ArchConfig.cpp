#include "aimc/config/ArchConfig.h"

#include "aimc/base/Error.h"
#include "aimc/config/ArchParams.h"

namespace aimc {

using namespace arch_params_detail;

namespace {

ParamTable<ArchConfig> make_table() {
  ParamTable<ArchConfig> t;
  declare_core_params(t);
  declare_device_params(t);
  declare_noc_params(t);
  declare_digital_params(t);
  declare_sram_params(t);
  declare_controller_params(t);
  declare_power_params(t);
  declare_gdpu_params(t);
  return t;
}

void validate(const ArchConfig& a, const std::map<std::string, ConfigValue>& origins,
              const std::string& file) {
  const ArchValidator v{origins, file};
  validate_core(a, v);
  validate_device(a, v);
  validate_noc(a, v);
  validate_digital(a, v);
  validate_sram(a, v);
  validate_controller(a, v);
  validate_power(a, v);
  validate_gdpu(a, v);
}

}  // namespace

const ParamTable<ArchConfig>& arch_params() {
  static const ParamTable<ArchConfig> table = make_table();
  return table;
}

std::string arch_preset_dir() {
  return std::string(AIMCSIM_SOURCE_ROOT) + "/arch";
}

ArchConfig resolve_arch(const ConfigSource& src) {
  ArchConfig a;
  std::map<std::string, ConfigValue> origins;
  arch_params().resolve(a, src, "an arch file", &origins);
  a.source_file = src.main_file();
  validate(a, origins, src.main_file());
  return a;
}

ArchConfig load_arch(const std::string& path, const ConfigSource& overrides) {
  ConfigSource src = ConfigSource::load_file(path, arch_preset_dir());
  src.merge(overrides);
  return resolve_arch(src);
}

nlohmann::json arch_to_json(const ArchConfig& a) {
  return arch_params().to_json(a);
}

}  // namespace aimc
