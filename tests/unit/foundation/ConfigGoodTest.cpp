// Good configs: arch/hermes.yaml resolves to the documented chip; presets, includes and overrides apply.
#include <gtest/gtest.h>
#include "aimc/base/Units.h"

#include <string>

#include "aimc/config/ArchConfig.h"
#include "aimc/config/RunConfig.h"
#include "aimc_test_paths.h"

namespace {

const std::string kDir = std::string(AIMCSIM_TEST_DATA) + "/configs/";

TEST(ConfigGood, HermesHasTheDocumentedValues) {
  const aimc::ArchConfig a = aimc::load_arch("arch/hermes.yaml");
  EXPECT_EQ(a.name, "hermes");
  EXPECT_EQ(a.chip.cores, 64);
  EXPECT_EQ(a.noc.mesh_cols, 8);
  EXPECT_EQ(a.noc.mesh_rows, 8);
  EXPECT_EQ(a.core.tile.rows, 256);
  EXPECT_EQ(a.core.tile.cols, 256);
  EXPECT_DOUBLE_EQ(a.core.clock_mhz, 1000.0);  // 1GHz stored in MHz
  EXPECT_DOUBLE_EQ(a.core_period_ns(), 1.0);
  EXPECT_DOUBLE_EQ(a.noc.clock_mhz, 400.0);
  EXPECT_DOUBLE_EQ(a.chip.supply_v, 0.85);
  EXPECT_EQ(a.core.adc_count, 256);
  EXPECT_EQ(a.core.tile.adc.bits, 9);
  EXPECT_DOUBLE_EQ(a.core.tile.adc.cco_t_lsb_ps, 300.0);
  EXPECT_DOUBLE_EQ(a.core.tile.device.g_max_us, 25.0);
  EXPECT_EQ(a.core.sram.size_bytes, 65536);
  EXPECT_NEAR(a.area.cell_um2, 7.736, 1e-12);
  EXPECT_NEAR(a.area.core_other_mm2, 0.6988, 1e-12);
  EXPECT_NEAR(a.power.cco_energy_per_period_pj, 0.08765, 1e-12);
}

TEST(ConfigGood, HermesCoreInheritsThePreset) {
  const aimc::ArchConfig core = aimc::load_arch("arch/hermes_core.yaml");
  const aimc::ArchConfig chip = aimc::load_arch("arch/hermes.yaml");
  EXPECT_EQ(core.name, "hermes_core");
  EXPECT_EQ(core.chip.cores, 1);
  EXPECT_EQ(core.noc.mesh_cols, 1);
  EXPECT_EQ(core.noc.mesh_rows, 1);
  EXPECT_DOUBLE_EQ(core.chip.supply_v, 0.8);
  // Everything else from the preset: the resolved JSON differs only in the keys the file sets.
  nlohmann::json jc = aimc::arch_to_json(core), jh = aimc::arch_to_json(chip);
  for (const char* k :
       {"name", "description", "chip.cores", "chip.supply", "noc.mesh_cols", "noc.mesh_rows"}) {
    jc.erase(k);
    jh.erase(k);
  }
  EXPECT_EQ(jc, jh);
}

TEST(ConfigGood, PresetPlusOverrides) {
  const aimc::ArchConfig a = aimc::load_arch(kDir + "good_preset_override.yaml");
  EXPECT_EQ(a.name, "hermes_adc8");
  EXPECT_EQ(a.core.tile.adc.bits, 8);
  EXPECT_DOUBLE_EQ(a.core.clock_mhz, 500.0);
  EXPECT_EQ(a.chip.cores, 64);
  EXPECT_EQ(a.core.tile.rows, 256);
}

TEST(ConfigGood, IncludedFileIsOverriddenByTheIncluder) {
  const aimc::ArchConfig a = aimc::load_arch(kDir + "good_include.yaml");
  EXPECT_EQ(a.core.tile.dac.bits, 6);
  EXPECT_DOUBLE_EQ(a.core.tile.dac.t_lsb_ns, 2.0);
}

TEST(ConfigGood, OverrideSourceWinsOverTheFile) {
  aimc::ConfigSource over;
  over.apply_override("core.adc.kind=sar", "--set");  // core.adc.bits is the resolution of a SAR
  over.apply_override("core.adc.bits=7", "--set");
  over.apply_override("core.clock=0.5GHz", "--set");
  const aimc::ArchConfig a = aimc::load_arch("arch/hermes.yaml", over);
  EXPECT_EQ(a.core.tile.adc.bits, 7);
  EXPECT_DOUBLE_EQ(a.core.clock_mhz, 500.0);
}

TEST(ConfigGood, QuickstartWithSetOverrides) {
  const aimc::ResolvedRun plain = aimc::load_run("configs/quickstart.yaml", {});
  EXPECT_EQ(plain.run.seed, 1);
  EXPECT_EQ(plain.run.workload.batch, 100);
  ASSERT_EQ(plain.run.t_inference_s.size(), 1u);
  EXPECT_EQ(plain.run.t_inference_s[0], 3600.0);
  EXPECT_EQ(plain.arch.chip.cores, 64);
  EXPECT_EQ(plain.arch.core.tile.adc.bits, 9);
  // Paths in a file are relative to that file.
  EXPECT_EQ(plain.run.workload.model, "configs/../models/digits_mlp.onnx");

  const aimc::ResolvedRun r =
      aimc::load_run("configs/quickstart.yaml", {"core.adc.kind=sar", "core.adc.bits=8", "workload.batch=10",
                                                 "seed=7", "t_inference=1s,1d,1y", "noc.clock=800MHz"});
  EXPECT_EQ(r.arch.core.tile.adc.bits, 8);
  EXPECT_DOUBLE_EQ(r.arch.noc.clock_mhz, 800.0);
  EXPECT_EQ(r.run.workload.batch, 10);
  EXPECT_EQ(r.run.seed, 7);
  ASSERT_EQ(r.run.t_inference_s.size(), 3u);
  EXPECT_EQ(r.run.t_inference_s[0], 1.0);
  EXPECT_EQ(r.run.t_inference_s[1], 86400.0);
  EXPECT_EQ(r.run.t_inference_s[2], 365.25 * 86400.0);
}

TEST(ConfigGood, DefaultsOfEveryParamParse) {
  // Every declared default must parse and validate (an empty arch source = all defaults).
  aimc::ConfigSource empty;
  aimc::ArchConfig a;
  ASSERT_NO_THROW(a = aimc::resolve_arch(empty));
  EXPECT_EQ(a.chip.cores, 64);
  EXPECT_EQ(aimc::arch_to_json(a).size(), aimc::arch_params().entries().size());
}

}  // namespace
