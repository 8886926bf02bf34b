// Sweeps that cannot damage each other or write outside out/sweeps (issue 21, items 4 and 6): a results file
// is locked by the sweep that runs it (a second one refuses, naming the holder; a killed holder frees it), a
// sweep name is a file name, and `results merge` of two different sweeps refuses.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/sweep/ResultStore.h"
#include "aimc/sweep/ResultStoreLock.h"
#include "aimc/sweep/SweepRunner.h"
#include "aimc/sweep/SweepSpec.h"

#include <sys/wait.h>
#include <unistd.h>

#include "../CliRunner.h"
#include "../FreshDir.h"
#include "aimc_test_paths.h"

namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  return aimc_test::fresh_dir("sweepsafe", name);
}

std::string lock_error(const std::string& db) {
  try {
    const aimc::ResultStoreLock second(db, "test");
  } catch (const aimc::UserError& e) {
    EXPECT_EQ(e.file(), db);
    return e.what();
  }
  ADD_FAILURE() << "a second lock on " << db << " was granted";
  return "";
}

TEST(ResultStoreLock, ASecondHolderIsRefusedWithTheFirstNamed) {
  const std::string db = (fresh_dir("lock") / "r.db").string();
  {
    const aimc::ResultStoreLock first(db, "sweep first.yaml");
    const std::string msg = lock_error(db);
    EXPECT_NE(msg.find("pid " + std::to_string(::getpid())), std::string::npos) << msg;
    EXPECT_NE(msg.find("host " + aimc::host_name()), std::string::npos) << msg;
    EXPECT_NE(msg.find("since "), std::string::npos) << msg;
    EXPECT_NE(msg.find("sweep first.yaml"), std::string::npos) << msg;
  }
  EXPECT_NO_THROW(aimc::ResultStoreLock(db, "after"));  // released with its holder
}

TEST(ResultStoreLock, AKilledHolderDoesNotBlock) {
  const std::string db = (fresh_dir("killed") / "r.db").string();
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const aimc::ResultStoreLock held(db, "child");
    const char c = 1;
    if (::write(ready[1], &c, 1) != 1) ::_exit(1);
    ::pause();
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  EXPECT_NE(lock_error(db).find("pid " + std::to_string(pid)), std::string::npos);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  EXPECT_NO_THROW(aimc::ResultStoreLock(db, "after the kill"));
  ::close(ready[0]);
  ::close(ready[1]);
}

fs::path write_sweep(const fs::path& dir, const std::string& name_line) {
  fs::path p = dir / "s.yaml";
  std::ofstream(p) << name_line << "base: " << fs::absolute("configs/quickstart.yaml").string()
                   << "\nset:\n  workload.batch: 4\naxes:\n  seed: [1, 2]\nmetrics:\n  latency: "
                      "latency.first_sample_ns\n";
  return p;
}

TEST(SweepSafety, ASecondSweepOnALockedDatabaseIsExit2NamingTheHolder) {
  const fs::path d = fresh_dir("second");
  const std::string db = (d / "r.db").string();
  const fs::path sweep = write_sweep(d, "name: t\n");
  const aimc::ResultStoreLock running(db, "sweep running.yaml");  // as a running sweep holds it
  int status = 0;
  const std::string out =
      aimc_test::run_cli_all("sweep " + sweep.string() + " --progress quiet --jobs 1 --db " + db, &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("pid " + std::to_string(::getpid())), std::string::npos) << out;
  EXPECT_NE(out.find("sweep running.yaml"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(db)) << "the refused sweep touched the database";
  // Nor may a merge write into it meanwhile.
  { const aimc::ResultStore other((d / "other.db").string()); }
  const std::string merge =
      aimc_test::run_cli_all("results merge " + db + " " + (d / "other.db").string(), &status);
  EXPECT_EQ(status, 2) << merge;
  EXPECT_NE(merge.find("in use by pid " + std::to_string(::getpid())), std::string::npos) << merge;
}

TEST(SweepSafety, ANameThatIsNotAFileNameIsRefused) {
  const fs::path d = fresh_dir("name");
  for (const std::string name : {"../../x", "/tmp/x", "a/b", "..", "."}) {
    const fs::path f = write_sweep(d, "name: '" + name + "'\n");
    try {
      aimc::SweepSpec::load(f.string());
      ADD_FAILURE() << "name '" << name << "' accepted";
    } catch (const aimc::UserError& e) {
      EXPECT_EQ(e.key(), "name") << e.what();
      EXPECT_EQ(e.file(), fs::absolute(f).lexically_normal().string()) << e.what();
    }
  }
  EXPECT_EQ(aimc::SweepSpec::load(write_sweep(d, "name: ok-name_1.2\n").string()).name, "ok-name_1.2");
}

void describe(const std::string& db, const std::string& sweep, const std::string& axes) {
  aimc::ResultStore s(db);
  s.set_meta("sweep", sweep);
  s.set_meta("command", "run");
  s.set_meta("base", "configs/quickstart.yaml");
  s.set_meta("axes", axes);
}

TEST(SweepSafety, MergeOfTwoDifferentSweepsRefuses) {
  const fs::path d = fresh_dir("merge");
  const std::string out = (d / "out.db").string(), same = (d / "same.db").string(),
                    other = (d / "other.db").string(), axes = (d / "axes.db").string();
  describe(out, "adc", "[\"core.adc.bits\"]");
  describe(same, "adc", "[\"core.adc.bits\"]");
  describe(other, "noise", "[\"core.adc.bits\"]");
  describe(axes, "adc", "[\"seed\"]");
  aimc::ResultStore store(out);
  EXPECT_NO_THROW(store.merge_from(same));
  for (const auto& [file, key] : {std::pair{other, "meta.sweep"}, std::pair{axes, "meta.axes"}}) {
    try {
      store.merge_from(file);
      ADD_FAILURE() << file << " merged";
    } catch (const aimc::UserError& e) {
      EXPECT_EQ(e.file(), file);
      EXPECT_EQ(e.key(), key) << e.what();
    }
  }
  int status = 0;
  const std::string cli = aimc_test::run_cli_all("results merge " + out + " " + other, &status);
  EXPECT_EQ(status, 2) << cli;
  EXPECT_NE(cli.find("another sweep"), std::string::npos) << cli;
}

}  // namespace
