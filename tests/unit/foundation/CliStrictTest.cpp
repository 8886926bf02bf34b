// Issue 21, the command line: numbers are checked, not reinterpreted (a negative seed, a seed above 2^64 - 1,
// a negative or zero count, an instruction limit of -1 that ran for ever); CLI11's own errors carry the
// `aimcsim: error:` prefix, exit status 2 and readable bounds; a sweep over a key its kind ignores refuses
// before any point runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../CliRunner.h"

namespace {

struct Case {
  const char* args;
  const char* expected;  // in the merged output
};

class CliRefuses : public ::testing::TestWithParam<Case> {};

TEST_P(CliRefuses, WithStatusTwoAndTheReason) {
  int status = -1;
  const std::string out = aimc_test::run_cli_all(GetParam().args, &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_EQ(out.rfind("aimcsim: error: ", 0), 0u) << out;
  EXPECT_NE(out.find(GetParam().expected), std::string::npos) << out;
  EXPECT_LT(out.size(), 400u) << out;  // no 309-digit DBL_MAX, no usage dump
}

const Case kCases[] = {
    {"run configs/quickstart.yaml --seed -1", "command line: 'seed': value -1 is out of range [0, 9e+15]"},
    {"run configs/quickstart.yaml --seed 18446744073709551616", "'seed': expected a whole number"},
    {"run configs/quickstart.yaml --batch -1", "--batch: must be at least 1, got -1"},
    {"run configs/quickstart.yaml --batch 0", "--batch: must be at least 1, got 0"},
    {"run configs/quickstart.yaml --repeats -1", "'repeats': value -1 is out of range [1, 1e+06]"},
    {"run configs/quickstart.yaml --t-inference 1e13s", "value 1e13s is out of range [0s, 1e+12s]"},
    {"run configs/quickstart.yaml --set core.adc.bits=8",
     "'core.adc.bits': has no effect when core.adc.kind is cco"},
    {"run configs/quickstart.yaml --no-such-option",
     "The following argument was not expected: --no-such-option"},
    {"mvm arch/hermes.yaml --weights w.npy --inputs x.npy --out y.npy --t-inference 1e13s",
     "value 1e13s is out of range [0s, 1e+12s]"},
    {"mvm arch/hermes.yaml --weights w.npy --inputs x.npy --out y.npy --seed -1",
     "--seed: must be at least 0"},
    {"cosim nmpu --vectors -1", "--vectors: must be at least 1, got -1"},
    {"cosim nmpu --vectors 0", "--vectors: must be at least 1, got 0"},
    {"cosim nmpu --seed -1", "is not a seed: a whole number in [0, 18446744073709551615]"},
    {"exec x.elf --max-instructions -1", "--max-instructions: must be at least 1, got -1"},
    {"exec x.elf --max-instructions 0", "--max-instructions: must be at least 1, got 0"},
    {"sweep configs/sweeps/adc_bits.yaml --jobs -1", "--jobs: must be at least 0, got -1"},
    {"sweep configs/sweeps/adc_bits.yaml --jobs-per-task 0", "--jobs-per-task: must be at least 1, got 0"},
    {"params /dev/null", "/dev/null: not a regular file"},
};

INSTANTIATE_TEST_SUITE_P(Issue21, CliRefuses, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) {
                           return "case" + std::to_string(i.index);
                         });

TEST(CliStrict, SweepOverAnIgnoredKeyRunsNoPoint) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "cli_strict_sweep";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string sweep = (dir / "cco_bits.yaml").string();
  std::ofstream(sweep) << "base: " << AIMCSIM_SOURCE_ROOT << "/configs/quickstart.yaml\n"
                       << "set:\n  workload.batch: 2\naxes:\n  core.adc.bits: [4, 6]\n"
                       << "metrics:\n  energy: energy.per_inference_j\n";
  int status = -1;
  const std::string out =
      aimc_test::run_cli_all("sweep " + sweep + " --progress quiet --db " + (dir / "r.db").string(), &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("cco_bits.yaml:5: 'core.adc.bits': point 0"), std::string::npos) << out;
  EXPECT_NE(out.find("has no effect when core.adc.kind is cco"), std::string::npos) << out;
  EXPECT_NE(out.find("the sweep runs no point"), std::string::npos) << out;
}

}  // namespace
