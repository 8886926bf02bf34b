#pragma once
// Runs the built aimcsim (AIMCSIM_CLI) with `args` from the test's working directory (the repository root)
// and returns its standard output (run_cli: stderr dropped; run_cli_all: stderr merged in, for the error
// messages); *status gets the exit status (-1 if it did not exit normally).
#include <sys/wait.h>

#include <cstdio>
#include <string>
#include "aimc_test_paths.h"

namespace aimc_test {

inline std::string run_shell(const std::string& cmd, int* status) {
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

inline std::string run_cli(const std::string& args, int* status) {
  return run_shell(std::string(AIMCSIM_CLI) + " " + args + " 2>/dev/null", status);
}

inline std::string run_cli_all(const std::string& args, int* status) {
  return run_shell(std::string(AIMCSIM_CLI) + " " + args + " 2>&1", status);
}

}  // namespace aimc_test
