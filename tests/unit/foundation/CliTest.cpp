// The CLI front end: `aimcsim params` lists every declared key; `--help` works.
#include <gtest/gtest.h>
#include "aimc/base/Units.h"

#include <cstdio>
#include <set>
#include <sstream>
#include <string>

#include "aimc/config/ArchConfig.h"
#include "aimc/config/RunConfig.h"

#include <sys/wait.h>
#include <unistd.h>

#include "../CliRunner.h"

namespace {

using aimc_test::run_cli;

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
