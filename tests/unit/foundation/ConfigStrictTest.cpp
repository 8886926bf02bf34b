// Issue 21, the config layer: files that are not regular, limits checked before the work (size, depth,
// values, an alias bomb), a 20,000-key file read in linear time, list values that must be explicit, keys a
// kind ignores (with the layer rule that lets a preset's keys pass), and the parameter listing's conditions.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "../CliRunner.h"
#include "aimc/base/Error.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/RunConfig.h"
#include "aimc/config/YamlTree.h"

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/config_strict_" + name;
  std::ofstream(path) << text;
  return path;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const aimc::UserError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ConfigStrict, NotARegularFileIsSaid) {
  EXPECT_NE(error_of([] { aimc::load_arch("/dev/null"); }).find("/dev/null: not a regular file"),
            std::string::npos);
  EXPECT_NE(error_of([] { aimc::load_arch("/dev/zero"); }).find("not a regular file"), std::string::npos);
  EXPECT_NE(error_of([] { aimc::load_arch(::testing::TempDir()); }).find("not a regular file (a directory)"),
            std::string::npos);
  EXPECT_NE(error_of([] { aimc::load_arch("no/such/arch.yaml"); }).find("no such file"), std::string::npos);
}

// The ctest entry Config.TwentyThousandKeys (tests/CMakeLists.txt) runs this with a TIMEOUT: a file of
// 16,000 keys took more than 60 s before (a quadratic merge per key); the bound is generous, the work linear.
TEST(ConfigStrict, TwentyThousandKeys) {
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text += "section" + std::to_string(i % 50) + ".key" + std::to_string(i) + ": 1\n";
  const std::string path = write_temp("20000_keys.yaml", text);
  const aimc::ConfigSource src = aimc::ConfigSource::load_file(path, aimc::arch_preset_dir());
  EXPECT_EQ(src.values().size(), 20000u);
  EXPECT_EQ(src.values().at("section7.key19957").line, 19958);
  // As an arch: the first unknown key is named, not a crash or a long wait.
  EXPECT_NE(error_of([&] { aimc::load_arch(path); }).find("unknown key in an arch file"), std::string::npos);
}

TEST(ConfigStrict, AliasBombStopsAtTheValueLimit) {
  // 10 keys, each level 10 aliases of the one before: 10^6 values after expansion from a few hundred bytes.
  std::string text = "l0: &l0 {a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1, h: 1, i: 1, j: 1}\n";
  for (int l = 1; l <= 5; ++l) {
    const std::string p = "*l" + std::to_string(l - 1);
    text += "l" + std::to_string(l) + ": &l" + std::to_string(l) + " {a: " + p + ", b: " + p + ", c: " + p +
            ", d: " + p + ", e: " + p + ", f: " + p + ", g: " + p + ", h: " + p + ", i: " + p + ", j: " + p +
            "}\n";
  }
  const std::string path = write_temp("alias_bomb.yaml", text);
  EXPECT_NE(error_of([&] { aimc::ConfigSource::load_file(path, ""); }).find("more than 100000 values"),
            std::string::npos);
}

TEST(ConfigStrict, FileSizeIsBoundedBeforeReading) {
  const std::string path = ::testing::TempDir() + "/config_strict_big.yaml";
  {
    std::ofstream f(path);
    f.seekp(aimc::YamlLimits::kMaxFileBytes + 1);
    f << '\n';  // a sparse file: no time spent writing it
  }
  EXPECT_NE(error_of([&] { aimc::load_arch(path); }).find("a config file may have at most 16 MiB"),
            std::string::npos);
  std::remove(path.c_str());
}

TEST(ConfigStrict, IncludeCycleNamesTheIncludeLine) {
  const std::string b = write_temp("cycle_y.yaml", "# y\n\ninclude: config_strict_cycle_x.yaml\n");
  const std::string a = write_temp("cycle_x.yaml", "include: [config_strict_cycle_y.yaml]\n");
  try {
    aimc::load_arch(a);
    FAIL();
  } catch (const aimc::UserError& e) {
    EXPECT_TRUE(std::filesystem::equivalent(e.file(), b)) << e.file();
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.key(), "include");
  }
}

// Commas split a value only for a key that takes a list; lists in YAML are sequences.
TEST(ConfigStrict, CommasAreListsOnlyForListKeys) {
  aimc::ConfigSource over;
  over.apply_override("core.digital_unit.impl=rtl", "--set");
  over.apply_override("core.digital_unit.rtl_cores=0-3,7", "--set");
  const aimc::ArchConfig a = aimc::load_arch("arch/hermes.yaml", over);
  EXPECT_EQ(a.core.digital_unit.rtl_cores, "0-3,7");

  const aimc::ResolvedRun r = aimc::load_run(
      "configs/quickstart.yaml", {"output.dir=/tmp/a,b", "t_inference=1s,1h", "output.activations=x,y"});
  EXPECT_EQ(r.run.output.dir, "/tmp/a,b");
  ASSERT_EQ(r.run.t_inference_s.size(), 2u);
  EXPECT_EQ(r.run.t_inference_s[1], 3600.0);
  EXPECT_EQ(r.run.output.activations, "x,y");
}

TEST(ConfigStrict, IgnoredKeysAndTheLayerRule) {
  // The user sets a key the chosen kind ignores: refused, naming the key, where, and the kind.
  aimc::ConfigSource bits;
  bits.apply_override("core.adc.bits=6", "--set");
  const std::string e = error_of([&] { aimc::load_arch("arch/hermes.yaml", bits); });
  EXPECT_NE(e.find("--set: 'core.adc.bits': has no effect when core.adc.kind is cco"), std::string::npos)
      << e;
  // The kind chosen later than the file's keys of the old kind (hermes.yaml's CCO time per count): passes.
  aimc::ConfigSource sar;
  sar.apply_override("core.adc.kind=sar", "--set");
  sar.apply_override("core.adc.bits=6", "--set");
  EXPECT_EQ(aimc::load_arch("arch/hermes.yaml", sar).core.tile.adc.bits, 6);
  // A preset's keys of another kind (aihwkit.yaml: the ideal ADC over hermes' CCO keys) pass.
  EXPECT_EQ(aimc::load_arch("arch/aihwkit.yaml").core.tile.adc.kind, aimc::AdcKind::kIdeal);
  // Other kinds: the RISC-V controller's keys on the command-table controller, the LDPU's on the NMPU.
  aimc::ConfigSource rv;
  rv.apply_override("core.controller.riscv.mul_cycles=4", "--set");
  EXPECT_NE(error_of([&] {
              aimc::load_arch("arch/hermes.yaml", rv);
            }).find("core.controller.kind is command_table"),
            std::string::npos);
  aimc::ConfigSource ldpu;
  ldpu.apply_override("core.digital_unit.ldpu_fp16.lanes=2", "--set");
  EXPECT_NE(
      error_of([&] { aimc::load_arch("arch/hermes.yaml", ldpu); }).find("core.digital_unit.kind is nmpu"),
      std::string::npos);
  // In a run file's arch_overrides (a later layer than the arch file's kind).
  const std::string run =
      write_temp("run_arch_overrides.yaml",
                 "arch: " + std::string(AIMCSIM_SOURCE_ROOT) +
                     "/arch/hermes.yaml\nworkload: {model: " + std::string(AIMCSIM_SOURCE_ROOT) +
                     "/models/digits_mlp.onnx, inputs: " + std::string(AIMCSIM_SOURCE_ROOT) +
                     "/traces/digits_test_x.npy}\n"
                     "arch_overrides:\n  core.adc.bits: 6\n");
  EXPECT_NE(error_of([&] { aimc::load_run(run, {}); }).find("has no effect"), std::string::npos);
}

TEST(ConfigStrict, ShippedArchFilesSetNoIgnoredKey) {
  for (const char* f : {"arch/hermes.yaml", "arch/hermes_core.yaml", "arch/aihwkit.yaml", "arch/ideal.yaml"})
    EXPECT_NO_THROW(aimc::load_arch(f)) << f;
}

TEST(ConfigStrict, ParamsShowsWhenAKeyApplies) {
  int status = -1;
  const std::string out = aimc_test::run_cli("params", &status);
  EXPECT_EQ(status, 0);
  const auto at = out.find("core.adc.bits ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(out.find("applies when core.adc.kind is ideal|sar|flash", at), std::string::npos)
      << out.substr(at, 400);
}

TEST(ConfigStrict, InferenceTimesAreOneDeclaration) {
  // `mvm --t-inference` reads them through the run key's declaration: the same range and units.
  EXPECT_EQ(aimc::parse_inference_times("0,1h", "--t-inference")[1], 3600.0);
  const std::string e = error_of([] { aimc::parse_inference_times("1e13s", "--t-inference"); });
  EXPECT_NE(e.find("'t_inference': value 1e13s is out of range [0s, 1e+12s]"), std::string::npos) << e;
  const std::string r = error_of([] { aimc::load_run("configs/quickstart.yaml", {"t_inference=1e13s"}); });
  EXPECT_NE(r.find("value 1e13s is out of range [0s, 1e+12s]"), std::string::npos) << r;
}

}  // namespace
