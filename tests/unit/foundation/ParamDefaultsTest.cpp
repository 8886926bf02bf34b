// One source of truth per default: the plain numerics structs (TileParams, NmpuParams, LdpuFp16Params) carry
// default member initialisers so that they run without a config, and the arch declarations carry the defaults
// `aimcsim params` shows. These tests prove the two agree: the tile test walks every declaration, so a key
// added later is compared without touching this file.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "aimc/base/EnumNames.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/ConfigSource.h"
#include "aimc/config/RunConfig.h"
#include "aimc/isa/DigitalUnitImplFactory.h"
#include "aimc/numerics/AnalogParams.h"
#include "aimc/numerics/LdpuFp16Params.h"
#include "aimc/numerics/NmpuParams.h"

namespace aimc {
namespace {

// Every key at its declared default (no arch file, no override).
ArchConfig declared_defaults() {
  return resolve_arch(ConfigSource());
}

// Numbers within a few ULP (a default written "250ns" is parsed as 250 x 1e-9); the rest exactly.
void expect_same(const nlohmann::json& plain, const nlohmann::json& declared, const std::string& key) {
  if (plain.is_number() && declared.is_number())
    EXPECT_DOUBLE_EQ(plain.get<double>(), declared.get<double>()) << key;
  else
    EXPECT_EQ(plain, declared) << key;
}

TEST(ParamDefaults, TileParamsAgreeWithEveryDeclaration) {
  const ArchConfig declared = declared_defaults();
  ArchConfig plain = declared;
  plain.core.tile = TileParams{};  // the numerics' own defaults; keys outside the tile compare trivially
  for (const auto& e : arch_params().entries()) expect_same(e.get(plain), e.get(declared), e.info.key);
}

TEST(ParamDefaults, NmpuParamsAgreeWithTheirDeclarations) {
  const ArchConfig declared = declared_defaults();
  const NmpuParams from_arch = nmpu_params(declared);
  const NmpuParams plain;
  EXPECT_EQ(from_arch.adc_count_bits, plain.adc_count_bits) << "core.adc.counter_bits";
  EXPECT_EQ(from_arch.lanes, plain.lanes) << "core.digital_unit.lanes";
  EXPECT_EQ(from_arch.pipeline_depth, plain.pipeline_depth) << "core.digital_unit.pipeline_depth";
  EXPECT_DOUBLE_EQ(from_arch.clock_hz, plain.clock_hz) << "core.digital_unit.clock";
  EXPECT_EQ(from_arch.rounding, plain.rounding) << "core.digital_unit.rounding";
  // One coefficient set per ADC (NmpuParams.h); nmpu_params() keeps the struct's channel count.
  EXPECT_EQ(plain.channels, declared.core.adc_count) << "core.adc.count";
  const NmpuFixedFormat NmpuParams::*formats[] = {
      &NmpuParams::gain, &NmpuParams::offset,      &NmpuParams::corrected, &NmpuParams::scale,
      &NmpuParams::bias, &NmpuParams::accumulator, &NmpuParams::side_scale};
  for (const auto f : formats) EXPECT_EQ((from_arch.*f).describe(), (plain.*f).describe());
}

TEST(ParamDefaults, LdpuFp16ParamsAgreeWithTheirDeclarations) {
  const ArchConfig declared = declared_defaults();
  const LdpuFp16Params from_arch = ldpu_fp16_params(declared);
  const LdpuFp16Params plain;
  EXPECT_EQ(from_arch.adc_count_bits, plain.adc_count_bits) << "core.adc.counter_bits";
  EXPECT_EQ(from_arch.lanes, plain.lanes) << "core.digital_unit.ldpu_fp16.lanes";
  EXPECT_EQ(from_arch.pipeline_depth, plain.pipeline_depth) << "core.digital_unit.ldpu_fp16.pipeline_depth";
  EXPECT_DOUBLE_EQ(from_arch.clock_hz, plain.clock_hz) << "core.digital_unit.ldpu_fp16.clock";
}

// The allowed values of an enum key are its enum's name table, in order, with no name twice.
TEST(ParamDefaults, EnumKeysListTheirNameTable) {
  const auto choices = [](const char* key) { return arch_params().find(key)->info.choices; };
  const auto names = [](auto value) {
    std::vector<std::string> n;
    for (const auto& e : enum_names(value)) n.emplace_back(e.name);
    return n;
  };
  EXPECT_EQ(choices("core.adc.kind"), names(AdcKind{}));
  EXPECT_EQ(choices("core.dac.read_mode"), names(DacReadMode{}));
  EXPECT_EQ(choices("core.digital_unit.rounding"), names(NmpuRounding{}));
  EXPECT_EQ(choices("core.digital_unit.kind"), names(DigitalUnitKind{}));
  EXPECT_EQ(choices("core.digital_unit.impl"), names(DigitalUnitImplKind{}));
  EXPECT_EQ(choices("core.controller.kind"), names(ControllerKind{}));
  EXPECT_EQ(choices("noc.topology"), names(NocTopologyKind{}));
  EXPECT_EQ(choices("power.sar_model"), names(SarEnergyModel{}));
  EXPECT_EQ(run_params().find("timing")->info.choices, names(TimingMode{}));
  for (const auto& e : arch_params().entries()) {
    const auto& c = e.info.choices;
    EXPECT_EQ(std::set<std::string>(c.begin(), c.end()).size(), c.size()) << e.info.key;
  }
}

}  // namespace
}  // namespace aimc
