// Fuzz target: the YAML config layer (ConfigSource: parsing, includes, presets) and the typed arch it
// resolves to (every parameter's type, unit and range checks).
#include "FuzzCommon.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/ConfigSource.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = aimc_fuzz::scratch_file(data, size, ".yaml");
  return aimc_fuzz::refuse_or_accept([&] {
    const aimc::ConfigSource src = aimc::ConfigSource::load_file(path, aimc::arch_preset_dir());
    (void)aimc::resolve_arch(src);
  });
}
