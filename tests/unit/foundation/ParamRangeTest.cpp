// Values that the declarations used to accept and the numerics then refused (with a key the user never wrote
// and no file): each must now stop at the config layer, naming the arch file, the line and the arch key,
// from the library and from the CLI (exit status 2).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "../CliRunner.h"
#include "aimc/base/Error.h"
#include "aimc/config/ArchConfig.h"

namespace {

struct RangeCase {
  const char* name;
  const char* yaml;    // a HERMES arch with one or two changed keys
  int line;            // the line of `key` in yaml
  const char* key;     // the arch key the error must name
  const char* reason;  // a substring of the reason
  const char* former;  // where the value failed before (documentation only)
};

std::ostream& operator<<(std::ostream& os, const RangeCase& c) {
  return os << c.name;
}

const RangeCase kCases[] = {
    {"adc_bits_1", "preset: hermes\ncore:\n  adc:\n    kind: sar\n    bits: 1\n", 5, "core.adc.bits",
     "must be at least 2", "AdcModel::create: 'adc.bits': must be in 2..24"},
    {"counter_bits_1", "preset: hermes\ncore:\n  adc:\n    counter_bits: 1\n", 4, "core.adc.counter_bits",
     "value 1 is out of range [2, 16]", "AdcModel::create: 'adc.cco': counter_bits in 2..30"},
    {"counter_bits_20", "preset: hermes\ncore:\n  adc:\n    counter_bits: 20\n", 4, "core.adc.counter_bits",
     "value 20 is out of range [2, 16]", "NmpuModel: 'nmpu.adc_count_bits': must be in [1, 16]"},
    {"nmpu_lanes_128", "preset: hermes\ncore:\n  digital_unit:\n    lanes: 128\n", 4,
     "core.digital_unit.lanes", "value 128 is out of range [1, 64]", "NmpuModel: 'nmpu.lanes'"},
    {"nmpu_depth_32", "preset: hermes\ncore:\n  digital_unit:\n    pipeline_depth: 32\n", 4,
     "core.digital_unit.pipeline_depth", "value 32 is out of range [1, 16]",
     "NmpuModel: 'nmpu.pipeline_depth'"},
    {"cco_window_too_short", "preset: hermes\ncore:\n  dac:\n    bits: 4\n  adc:\n    cco_t_lsb: 10ns\n", 6,
     "core.adc.cco_t_lsb", "holds less than one CCO period",
     "AdcCco: 'adc.cco_t_lsb_ps': the integration window holds less than one CCO period"},
};

class ParamRange : public ::testing::TestWithParam<RangeCase> {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/param_range_" + GetParam().name + ".yaml";
    std::ofstream(path_) << GetParam().yaml;
  }
  void TearDown() override { std::remove(path_.c_str()); }
  // "<file>:<line>: '<key>': " as UserError formats it.
  std::string location() const {
    return path_ + ":" + std::to_string(GetParam().line) + ": '" + GetParam().key + "': ";
  }
  std::string path_;
};

TEST_P(ParamRange, LibraryNamesFileLineAndKey) {
  const RangeCase& c = GetParam();
  try {
    (void)aimc::load_arch(path_);
    FAIL() << "accepted " << c.key << " (formerly refused in " << c.former << ")";
  } catch (const aimc::UserError& e) {
    EXPECT_EQ(e.file(), path_);
    EXPECT_EQ(e.line(), c.line);
    EXPECT_EQ(e.key(), c.key);
    EXPECT_NE(e.reason().find(c.reason), std::string::npos) << e.what();
  }
}

TEST_P(ParamRange, CliExitsTwoWithTheUsualError) {
  int status = -1;
  const std::string out = aimc_test::run_cli_all("params " + path_, &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("aimcsim: error: " + location()), std::string::npos) << out;
  EXPECT_NE(out.find(GetParam().reason), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(FormerDisagreements, ParamRange, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<RangeCase>& i) {
                           return std::string(i.param.name);
                         });

TEST(ParamRangeCli, SetAdcBitsOneIsRefusedAtTheDeclaration) {
  int status = -1;
  const std::string out = aimc_test::run_cli_all(
      "run configs/quickstart.yaml --set core.adc.kind=sar --set core.adc.bits=1", &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("aimcsim: error: --set: 'core.adc.bits': must be at least 2"), std::string::npos) << out;
}

}  // namespace
