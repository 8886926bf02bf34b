#pragma once
// Runs the built aimcsim (AIMCSIM_CLI) with `args` from the test's working directory (the repository root)
// and returns its standard output; *status gets the exit status (-1 if it did not exit normally). Stderr is
// dropped.
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace aimc_test {

inline std::string run_cli(const std::string& args, int* status) {
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

}  // namespace aimc_test
