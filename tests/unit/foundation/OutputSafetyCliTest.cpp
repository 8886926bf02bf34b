// The CLI's outputs on a full disk and its inputs from non-regular files (issue 21, items 1 and 5): every
// failure is exit 2 naming the file, no output is left partial under its name, an earlier complete result
// stays, and nothing hangs (every command runs under `timeout`, whose status 124 fails the test).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "aimc/base/Npy.h"
#include "aimc/sweep/ResultStore.h"

#include <sys/stat.h>
#include <unistd.h>

#include "../CliRunner.h"
#include "../FreshDir.h"
#include "../SanitizerBuild.h"
#include "aimc_test_paths.h"

namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  return aimc_test::fresh_dir("outsafe", name);
}

struct Result {
  int status;
  std::string out;  // stdout and stderr
};

// aimcsim under `timeout 60`; file_blocks > 0: a file-size limit of that many 512-byte blocks with SIGXFSZ
// ignored, so a write past it fails with EFBIG as on a disk that fills up.
Result cli(const std::string& args, int file_blocks = 0) {
  std::string cmd = "timeout 60 " + std::string(AIMCSIM_CLI) + " " + args;
  if (file_blocks > 0)
    cmd = "sh -c \"trap '' XFSZ; ulimit -f " + std::to_string(file_blocks) + "; exec " + cmd + "\"";
  Result r{};
  r.out = aimc_test::run_shell(cmd + " 2>&1", &r.status);
  return r;
}

std::map<std::string, std::string> contents(const fs::path& dir) {
  std::map<std::string, std::string> m;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    m[e.path().filename().string()] = s.str();
  }
  return m;
}

const std::string kRun = "run configs/quickstart.yaml --batch 4 --out ";

void expect_full_disk_keeps_earlier_result(const std::string& extra) {
  // Timing on, the error comes after the SystemC simulation (SanitizerBuild.h); timing off runs here too.
  if (aimc_test::kAddressSanitizer && extra.find("--timing off") == std::string::npos)
    GTEST_SKIP() << "an error after a simulation under AddressSanitizer (SanitizerBuild.h)";
  const fs::path d = fresh_dir("run");
  const Result good = cli(kRun + d.string() + extra);
  ASSERT_EQ(good.status, 0) << good.out;
  const auto before = contents(d);
  ASSERT_TRUE(before.count("report.json") && before.count("logits.npy") && before.count("layers.csv"));
  // Half of report.json's size (the first file written): it cannot be written whole.
  const int blocks = static_cast<int>(before.at("report.json").size() / 1024);
  ASSERT_GT(blocks, 0);
  const Result full = cli(kRun + d.string() + extra, blocks);
  EXPECT_EQ(full.status, 2) << full.out;
  EXPECT_NE(full.out.find((d / "report.json").string()), std::string::npos) << full.out;
  EXPECT_NE(full.out.find("File too large"), std::string::npos) << full.out;
  EXPECT_EQ(contents(d), before) << "a file changed or a temporary was left: " << full.out;
}

TEST(OutputSafetyCli, RunOnAFullDiskIsExit2AndKeepsTheEarlierResult) {
  expect_full_disk_keeps_earlier_result("");
}

TEST(OutputSafetyCli, RunTimingOffOnAFullDiskIsExit2AndKeepsTheEarlierResult) {
  expect_full_disk_keeps_earlier_result(" --timing off");
}

TEST(OutputSafetyCli, MvmOutToDevFullIsExit2) {
  const fs::path d = fresh_dir("mvm");
  aimc::Npy::write((d / "w.npy").string(), aimc::NpyArray::fromFloat32({4, 8}, std::vector<float>(32, 0.1F)));
  aimc::Npy::write((d / "x.npy").string(), aimc::NpyArray::fromFloat32({2, 8}, std::vector<float>(16, 0.5F)));
  const std::string args = "mvm arch/hermes.yaml --weights " + (d / "w.npy").string() + " --inputs " +
                           (d / "x.npy").string() + " --out ";
  ASSERT_EQ(cli(args + (d / "y.npy").string()).status, 0);
  const Result r = cli(args + "/dev/full");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("/dev/full"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("No space left on device"), std::string::npos) << r.out;
}

TEST(OutputSafetyCli, ResultsExportToDevFullIsExit2WithoutClaimingSuccess) {
  const fs::path d = fresh_dir("export");
  { const aimc::ResultStore store((d / "r.db").string()); }
  const Result r = cli("results export " + (d / "r.db").string() + " --csv /dev/full");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("No space left on device"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("points ->"), std::string::npos) << r.out;
}

TEST(OutputSafetyCli, StdoutToDevFullIsExit2) {
  Result r{};
  r.out = aimc_test::run_shell(
      "timeout 60 " + std::string(AIMCSIM_CLI) + " area arch/hermes.yaml --json 2>&1 >/dev/full", &r.status);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("writing the standard output failed"), std::string::npos) << r.out;
}

TEST(OutputSafetyCli, TraceOnAFullDiskIsExit2) {
  if (aimc_test::kAddressSanitizer)
    GTEST_SKIP() << "an error after a simulation under AddressSanitizer (SanitizerBuild.h)";
  const fs::path d = fresh_dir("trace");
  const Result r = cli(kRun + d.string() + " --trace /dev/full");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("No space left on device"), std::string::npos) << r.out;
}

TEST(OutputSafetyCli, CosimWaveOnAFullDiskIsExit2NotAHang) {
  if (aimc_test::kAddressSanitizer)
    GTEST_SKIP() << "Verilator's VCD writer under the sanitizers (SanitizerBuild.h)";
  if (cli("cosim --help").status != 0) GTEST_SKIP() << "built without the co-simulation";
  const fs::path d = fresh_dir("wave");
  const Result r = cli("cosim nmpu --vectors 200 --wave /dev/full");
  EXPECT_EQ(r.status, 2) << r.out;  // 124: the old deadlock in Verilator's write-error path
  EXPECT_NE(r.out.find("No space left on device"), std::string::npos) << r.out;
  // Full mid-file: the earlier complete VCD stays.
  const std::string vcd = (d / "w.vcd").string();
  ASSERT_EQ(cli("cosim nmpu --vectors 200 --wave " + vcd).status, 0);
  const auto before = contents(d);
  const Result cut = cli("cosim nmpu --vectors 200 --wave " + vcd, 64);
  EXPECT_EQ(cut.status, 2) << cut.out;
  EXPECT_NE(cut.out.find(vcd), std::string::npos) << cut.out;
  EXPECT_EQ(contents(d), before);
}

TEST(OutputSafetyCli, NonRegularInputsAreExit2AtOnce) {
  const fs::path d = fresh_dir("inputs");
  const std::string fifo = (d / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Each command with the non-regular path in place of one input file: {before the path, after it}.
  const std::vector<std::pair<std::string, std::string>> commands = {
      {"run --arch arch/hermes.yaml --model models/digits_mlp.onnx --inputs ", ""},
      {"run --arch arch/hermes.yaml --inputs traces/digits_test_x.npy --model ", ""},
      {"run --model models/digits_mlp.onnx --inputs traces/digits_test_x.npy --arch ", ""},
      {"run configs/quickstart.yaml --labels ", ""},
      {"exec ", ""},
      {"sweep ", " --progress quiet"}};
  for (const std::string& p : {std::string("/dev/zero"), std::string("/dev/urandom"), d.string(), fifo}) {
    for (const auto& [before, after] : commands) {
      std::string args = before;
      args += p;
      args += after;
      const Result r = cli(args);
      EXPECT_EQ(r.status, 2) << args << "\n" << r.out;
      EXPECT_NE(r.out.find(p), std::string::npos) << args << "\n" << r.out;
      EXPECT_NE(r.out.find("not a regular file"), std::string::npos) << args << "\n" << r.out;
    }
  }
}

}  // namespace
