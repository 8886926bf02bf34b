// The device-technology keys: arch/rram.yaml loads as RRAM on top of the HERMES preset, and a key of one
// technology set for the other is refused with its key.
#include <gtest/gtest.h>

#include <string>

#include "aimc/base/Error.h"
#include "aimc/config/ArchConfig.h"

namespace {

aimc::ArchConfig load(const char* path, const char* set = nullptr) {
  aimc::ConfigSource overrides;
  if (set) overrides.apply_override(set, "test");
  return aimc::load_arch(path, overrides);
}

std::string refused_key(const char* path, const char* set) {
  try {
    load(path, set);
  } catch (const aimc::UserError& e) {
    return e.key();
  }
  return "";
}

TEST(DeviceKeys, RramArchLoadsOnTheHermesPreset) {
  const aimc::ArchConfig a = load("arch/rram.yaml");
  EXPECT_EQ(a.core.tile.device.technology, aimc::DeviceTechnology::kRram);
  EXPECT_EQ(a.core.tile.device.devices_per_polarity, 1);
  EXPECT_DOUBLE_EQ(a.core.tile.device.rram.g_lrs_us, 1845.0);
  EXPECT_EQ(load("arch/hermes.yaml").core.tile.device.technology, aimc::DeviceTechnology::kPcm);
}

TEST(DeviceKeys, KeysOfTheOtherTechnologyAreRefused) {
  EXPECT_EQ(refused_key("arch/hermes.yaml", "device.rram.levels=4"), "device.rram.levels");
  EXPECT_EQ(refused_key("arch/rram.yaml", "device.g_max=30uS"), "device.g_max");
  EXPECT_EQ(refused_key("arch/rram.yaml", "device.rram.levels=1"), "device.rram.levels");
  EXPECT_EQ(refused_key("arch/rram.yaml", "device.rram.levels=16"), "");
}

}  // namespace

// A preset of a preset: arch/rram_binary.yaml over arch/rram.yaml over arch/hermes.yaml. The PCM pulse keys
// hermes.yaml gives are inherited under rram.yaml's choice of technology, not refused; a file that sets one
// itself over an RRAM preset is.
TEST(DeviceKeys, PresetChainsInheritKeysTheirChoiceOverrides) {
  const aimc::ArchConfig a = load("arch/rram_binary.yaml");
  EXPECT_EQ(a.core.tile.device.technology, aimc::DeviceTechnology::kRram);
  EXPECT_EQ(a.core.tile.weight_levels, aimc::WeightLevels::kBinary);
  EXPECT_EQ(refused_key("arch/rram_binary.yaml", "power.reset_current=500uA"), "power.reset_current");
  EXPECT_EQ(refused_key("arch/rram.yaml", "power.set_time=100ns"), "power.set_time");
  EXPECT_EQ(refused_key("arch/hermes.yaml", "power.set_time=100ns"), "");
}
