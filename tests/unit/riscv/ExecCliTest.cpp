// aimcsim exec: exit status 0 (pass) or 1 (the program's HTIF code, printed), console output, the instruction
// limit, bad ELFs.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "RiscvTestSupport.h"
#include "aimc_test_paths.h"

namespace aimc::riscv {
namespace {

struct CliResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

CliResult exec_cli(const std::string& args) {
  const std::string cmd = std::string(AIMCSIM_CLI) + " exec " + args + " 2>&1";
  CliResult r;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

TEST(ExecCli, PassFailConsoleAndLimit) {
  EXPECT_EQ(exec_cli(test::elf_path("add")).status, 0);
  // A failing program exits with status 1 and its code in words: its code 2 must not read as bad input.
  const CliResult fail = exec_cli(test::elf_path("x_fail7"));
  EXPECT_EQ(fail.status, 1);
  EXPECT_NE(fail.output.find("program exited with code 7"), std::string::npos) << fail.output;
  const CliResult console = exec_cli(test::elf_path("x_console"));
  EXPECT_EQ(console.status, 0);
  EXPECT_EQ(console.output.rfind("hi\n", 0), 0u) << console.output;
  const CliResult forever = exec_cli(test::elf_path("x_forever") + " --max-instructions 5000");
  EXPECT_EQ(forever.status, 124);
  EXPECT_NE(forever.output.find("instruction limit (5000"), std::string::npos) << forever.output;
  // A trap handler that traps itself retires nothing: the limit counts the traps too, so it still stops.
  const CliResult traps = exec_cli(test::elf_path("x_trap_loop") + " --max-instructions 5000");
  EXPECT_EQ(traps.status, 124) << traps.output;
  EXPECT_NE(traps.output.find("instruction limit (5000"), std::string::npos) << traps.output;
}

TEST(ExecCli, TraceAndControllerClock) {
  const CliResult t = exec_cli(test::elf_path("add") + " --trace");
  EXPECT_EQ(t.status, 0);
  EXPECT_NE(t.output.find("80000000: "), std::string::npos);
  // The same program at a quarter of the clock takes four times as long, the same cycles.
  const CliResult slow = exec_cli(test::elf_path("add") + " --set core.controller.clock=100MHz");
  const CliResult fast = exec_cli(test::elf_path("add") + " --set core.controller.clock=400MHz");
  unsigned long long i1 = 0, c1 = 0, i2 = 0, c2 = 0;
  double ns1 = 0, ns2 = 0;
  ASSERT_EQ(std::sscanf(slow.output.c_str(), "exec: %llu instructions, %llu cycles (%lf ns", &i1, &c1, &ns1),
            3);
  ASSERT_EQ(std::sscanf(fast.output.c_str(), "exec: %llu instructions, %llu cycles (%lf ns", &i2, &c2, &ns2),
            3);
  EXPECT_EQ(c1, c2);
  EXPECT_NEAR(ns1, 10.0 * static_cast<double>(c1), 1e-3);
  EXPECT_NEAR(ns2, 2.5 * static_cast<double>(c2), 1e-3);
}

TEST(ExecCli, BadProgramsExitWithStatusTwo) {
  const CliResult missing = exec_cli("/nonexistent.elf");
  EXPECT_EQ(missing.status, 2);
  const CliResult not_elf = exec_cli(std::string(AIMCSIM_TEST_DATA) + "/../riscv/link.ld");
  EXPECT_EQ(not_elf.status, 2);
  EXPECT_NE(not_elf.output.find("e_ident"), std::string::npos) << not_elf.output;
}

}  // namespace
}  // namespace aimc::riscv
