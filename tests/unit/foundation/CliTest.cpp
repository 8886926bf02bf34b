// The CLI front end: `aimcsim params` lists every declared key; `--help` works.
// clang-format off
// First: system headers pull in <signal.h>, whose si_value macro breaks Units.h (parameter name).
#include "aimc/base/Units.h"
// clang-format on
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <string>

#include "aimc/config/ArchConfig.h"
#include "aimc/config/RunConfig.h"

#include <sys/wait.h>
#include <unistd.h>

namespace {

// Runs the CLI, returns stdout; *status gets the exit status.
std::string run_cli(const std::string& args, int* status) {
  const std::string cmd = std::string(AIMCSIM_CLI) + " " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

// Keys at the start of each line (continuation lines start with spaces).
std::set<std::string> keys_of(const std::string& text) {
  std::set<std::string> keys;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ') continue;
    keys.insert(line.substr(0, line.find(' ')));
  }
  return keys;
}

template <class Cfg>
std::set<std::string> declared(const aimc::ParamTable<Cfg>& t) {
  std::set<std::string> keys;
  for (const auto& e : t.entries()) keys.insert(e.info.key);
  return keys;
}

TEST(Cli, ParamsListsEveryArchKey) {
  int status = -1;
  const std::string out = run_cli("params", &status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(keys_of(out), declared(aimc::arch_params()));
  EXPECT_NE(out.find("core.adc.bits"), std::string::npos);
  EXPECT_NE(out.find("range [1, 16]"), std::string::npos) << out;
  EXPECT_NE(out.find("source: "), std::string::npos);
}

TEST(Cli, ParamsRunListsEveryRunKey) {
  int status = -1;
  const std::string out = run_cli("params --run", &status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(keys_of(out), declared(aimc::run_params()));
  EXPECT_NE(out.find("(required)"), std::string::npos);
}

TEST(Cli, ParamsOfAnArchShowsResolvedValues) {
  int status = -1;
  const std::string out = run_cli("params arch/hermes_core.yaml", &status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(keys_of(out), declared(aimc::arch_params()));
  EXPECT_NE(out.find("\"hermes_core\""), std::string::npos) << out;
}

TEST(Cli, HelpExitsZero) {
  int status = -1;
  const std::string out = run_cli("--help", &status);
  EXPECT_EQ(status, 0);
  EXPECT_NE(out.find("run"), std::string::npos);
  EXPECT_NE(out.find("params"), std::string::npos);
  run_cli("run --help", &status);
  EXPECT_EQ(status, 0);
  run_cli("--version", &status);
  EXPECT_EQ(status, 0);
}

TEST(Cli, NoSubcommandIsAUsageError) {
  int status = -1;
  run_cli("", &status);
  EXPECT_EQ(status, 2);
}

}  // namespace
