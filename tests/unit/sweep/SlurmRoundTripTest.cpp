// `aimcsim sweep --backend slurm` against a real single-node Slurm started on this machine by
// tests/slurm/slurm_roundtrip.sh (private munged, slurmctld, slurmd; stopped again at the end). Skipped only
// if the Slurm or munge binaries are absent (Debian packages slurm-wlm and munge).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <sys/wait.h>
#include "aimc_test_paths.h"

namespace {

TEST(SlurmRoundTrip, JobArrayShardsMergeIntoOneResultsFile) {
  const std::string root = std::filesystem::current_path().string();
  // Bounded: the script limits each sweep; `timeout` bounds the whole round trip, daemons included.
  const std::string cmd = "timeout -k 10 480 bash " + root + "/tests/slurm/slurm_roundtrip.sh " +
                          std::string(AIMCSIM_CLI) + " " + root + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  const int status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  if (status == 77) GTEST_SKIP() << out;
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("PASS"), std::string::npos) << out;
}

}  // namespace
