// Config errors: every malformed file in tests/data/configs/ must give a UserError naming the file, the line
// (where there is one), the key path and the reason, both from the library and from the CLI (exit status 2).
#include <gtest/gtest.h>
#include "aimc/base/Units.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "aimc/base/Error.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/RunConfig.h"

#include <sys/wait.h>
#include <unistd.h>
#include "aimc_test_paths.h"

namespace {

const std::string kDir = std::string(AIMCSIM_TEST_DATA) + "/configs/";

struct CliResult {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

CliResult run_cli(const std::string& args) {
  static int n = 0;
  const std::string base =
      ::testing::TempDir() + "/aimcsim_cli_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
  const std::string cmd = std::string(AIMCSIM_CLI) + " " + args + " >" + base + ".out 2>" + base + ".err";
  const int rc = std::system(cmd.c_str());
  CliResult r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

struct Case {
  const char* file;                  // in tests/data/configs/
  bool run_config;                   // a run config (else an arch file)
  int line;                          // expected line, 0 = none
  const char* key;                   // expected key path ("" = none)
  std::vector<std::string> reason;   // substrings of the reason
  const char* error_file = nullptr;  // the file the error names, if not `file`
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << c.file;
}

const Case kCases[] = {
    {"unknown_key.yaml",
     false,
     4,
     "core.adc.bitz",
     {"unknown key in an arch file", "did you mean 'core.adc.bits'?", "aimcsim params"}},
    {"run_missing_model.yaml", true, 0, "workload.model", {"missing required key", "ONNX model"}},
    {"run_bad_seed.yaml", true, 6, "seed", {"'lucky' is not a plain number"}},
    {"wrong_type.yaml", false, 4, "core.dac.bits", {"'eight' is not a plain number"}},
    {"adc_bits_out_of_range.yaml", false, 5, "core.adc.bits", {"value 40 is out of range [1, 16]"}},
    {"clock_wrong_dim.yaml", false, 3, "core.clock", {"'5ns' is a time", "expected a frequency"}},
    {"bad_indent.yaml", false, 5, "", {"malformed YAML"}},
    {"cycle_a.yaml", false, 2, "include", {"cycle_a.yaml' (an include cycle)"}, "cycle_b.yaml"},
    {"missing_include.yaml", false, 3, "include", {"included file 'no_such_file.yaml' does not exist"}},
    {"unknown_preset.yaml", false, 2, "preset", {"no preset named 'hermez'"}},
    {"list_for_scalar.yaml", false, 4, "core.adc.bits", {"expected a single value, got a list"}},
    {"map_for_value.yaml", false, 5, "core.adc.bits.value", {"'core.adc.bits' takes a value, not a map"}},
    {"section_as_value.yaml", false, 2, "core", {"is a section"}},
    {"adc_count_too_few.yaml",
     false,
     5,
     "core.adc.count",
     {"64 ADCs x 1 lines per ADC cannot serve 256 crossbar rows"}},
    // The mesh check blames the key the user changed (chip.cores), where they changed it.
    {"cores_mesh_mismatch.yaml", false, 4, "chip.cores", {"8x8 mesh has 64 places but chip.cores is 60"}},
    {"cluster_not_dividing.yaml",
     false,
     5,
     "core.controller.cores_per_controller",
     {"3 does not divide chip.cores (64)"}},
    {"stuck_over_one.yaml",
     false,
     4,
     "device.stuck_at_set",
     {"stuck-at-SET and stuck-at-RESET fractions add up to more than 1"}},
    // Issue 21: YAML that crashed (items 2), was accepted silently (6) or named too little (7, 8).
    {"alias_cycle.yaml", false, 3, "name.x", {"an alias refers to the node that contains it"}},
    {"complex_key.yaml", false, 2, "", {"a key must be a plain name", "complex keys are not accepted"}},
    {"duplicate_key.yaml", false, 5, "core.clock", {"duplicate key (first at line 4)"}},
    {"second_document.yaml", false, 3, "", {"a second YAML document"}},
    {"dotted_and_nested.yaml",
     false,
     6,
     "core.dac.bits",
     {"is given twice in this file (first at line 3)", "a dotted and a nested spelling"}},
    {"map_for_scalar.yaml", false, 4, "core.clock", {"expected a single value, got a map {}"}},
    {"empty_arch.yaml", false, 0, "", {"the file is empty"}},
    {"too_deep.yaml", false, 2, "name", {"nested more than 64 levels deep"}},
    {"ignored_adc_bits.yaml",
     false,
     5,
     "core.adc.bits",
     {"has no effect when core.adc.kind is cco", "applies when core.adc.kind is ideal|sar|flash"}},
    {"run_empty_inputs.yaml", true, 5, "workload.inputs", {"is empty: give a file"}},
    {"run_empty_arch.yaml", true, 2, "arch", {"is empty: give a file"}},
    {"run_missing_model_file.yaml", true, 4, "workload.model", {"no_such_model.onnx': no such file"}},
};

class ConfigError : public ::testing::TestWithParam<Case> {};

// "<file>[:line]: '<key>': " as UserError formats it.
std::string location(const Case& c) {
  std::string s = std::string(c.error_file ? c.error_file : c.file);
  if (c.line > 0) s += ":" + std::to_string(c.line);
  s += ": ";
  if (c.key[0]) s += "'" + std::string(c.key) + "': ";
  return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST_P(ConfigError, Library) {
  const Case& c = GetParam();
  const std::string path = kDir + c.file;
  try {
    if (c.run_config)
      aimc::load_run(path, {});
    else
      aimc::load_arch(path);
    FAIL() << c.file << " loaded without error";
  } catch (const aimc::UserError& e) {
    const std::string what = e.what();
    EXPECT_TRUE(ends_with(e.file(), c.error_file ? c.error_file : c.file)) << e.file();
    EXPECT_EQ(e.line(), c.line) << what;
    EXPECT_EQ(e.key(), c.key) << what;
    EXPECT_NE(what.find(location(c)), std::string::npos) << what << "\n  expected: " << location(c);
    for (const auto& r : c.reason) {
      EXPECT_NE(e.reason().find(r), std::string::npos) << "reason '" << e.reason() << "' lacks '" << r << "'";
      EXPECT_NE(what.find(r), std::string::npos) << what;
    }
  }
}

TEST_P(ConfigError, Cli) {
  const Case& c = GetParam();
  const std::string path = kDir + c.file;
  const CliResult r =
      c.run_config ? run_cli("run " + path) : run_cli("run " + kDir + "run_template.yaml --arch " + path);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("aimcsim: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(location(c)), std::string::npos) << r.err << "\n  expected: " << location(c);
  for (const auto& s : c.reason) EXPECT_NE(r.err.find(s), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Files, ConfigError, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) {
                           std::string n = i.param.file;
                           n = n.substr(0, n.find('.'));
                           for (char& ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

TEST(ConfigErrorCli, SetOutOfRange) {
  const CliResult r = run_cli("run configs/quickstart.yaml --set core.adc.bits=40");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("aimcsim: error: --set: 'core.adc.bits': value 40 is out of range [1, 16]"),
            std::string::npos)
      << r.err;
}

TEST(ConfigErrorCli, SetUnknownKey) {
  const CliResult r = run_cli("run configs/quickstart.yaml --set core.adc.bitz=8");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("--set: 'core.adc.bitz': unknown key"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'core.adc.bits'?"), std::string::npos) << r.err;
}

TEST(ConfigErrorCli, SetRunKeyWrongType) {
  const CliResult r = run_cli("run configs/quickstart.yaml --set workload.batch=many");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("--set: 'workload.batch': 'many' is not a plain number"), std::string::npos) << r.err;
}

TEST(ConfigErrorCli, MissingRunFile) {
  const CliResult r = run_cli("run " + kDir + "no_such_run.yaml");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("no_such_run.yaml: no such file"), std::string::npos) << r.err;
}

TEST(ConfigErrorCli, UnknownOptionIsAUsageError) {
  const CliResult r = run_cli("run configs/quickstart.yaml --no-such-option");
  EXPECT_EQ(r.status, 2) << r.err;
}

TEST(ConfigErrorLibrary, OverrideWithoutEquals) {
  aimc::ConfigSource s;
  try {
    s.apply_override("core.adc.bits", "--set");
    FAIL();
  } catch (const aimc::UserError& e) {
    EXPECT_EQ(e.file(), "--set");
    EXPECT_EQ(e.key(), "core.adc.bits");
    EXPECT_NE(std::string(e.what()).find("key.path=value"), std::string::npos) << e.what();
  }
}

}  // namespace
