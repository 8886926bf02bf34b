// Sweeps end to end through the real CLI: every point is a child `aimcsim run` of the quickstart with a
// reduced batch. Parallel run and export; failure isolation (bad value, crash, timeout); resume after SIGKILL
// with neither loss nor duplicates; merge; plot; bad sweep files.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "aimc/sweep/ResultStore.h"
#include "aimc/sweep/SweepRunner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../CliRunner.h"
#include "aimc_test_paths.h"

namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("aimc_sweeprun_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// A sweep over the quickstart with `batch` images per point (10: a point takes well under a second), its ADC
// a SAR (the axes sweep core.adc.bits, which the quickstart's CCO ignores: a sweep over it would be refused).
fs::path write_sweep(const fs::path& dir, const std::string& body, int batch = 10) {
  fs::path p = dir / "sweep.yaml";
  std::ofstream(p) << "name: t\nbase: " << fs::absolute("configs/quickstart.yaml").string()
                   << "\nset:\n  workload.batch: " << batch << "\n  core.adc.kind: sar\n"
                   << body
                   << "metrics:\n  latency: latency.first_sample_ns\n  energy: energy.per_inference_j\n"
                      "  accuracy: outputs.per_time.0.accuracy\n";
  return p;
}

struct CliResult {
  int status;
  std::string out;  // stdout and stderr
};

CliResult cli(const std::string& args) {
  CliResult r{};
  r.out = aimc_test::run_cli_all(args, &r.status);
  return r;
}

std::map<std::string, int> status_counts(const std::vector<aimc::PointRow>& rows) {
  std::map<std::string, int> c;
  for (const auto& r : rows) ++c[r.status];
  return c;
}

TEST(SweepRun, ParallelSweepStoresEveryPointExportsAndPlots) {
  const fs::path d = fresh_dir("basic");
  const fs::path sweep = write_sweep(d, "axes:\n  core.adc.bits: [6, 8]\n  seed: [1, 2]\n");
  const std::string db = (d / "r.db").string();
  CliResult r = cli("sweep " + sweep.string() + " --jobs 2 --progress lines --db " + db);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("[4/4]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ETA"), std::string::npos) << r.out;
  {
    const aimc::ResultStore store(db);
    const auto rows = store.rows();
    ASSERT_EQ(rows.size(), 4u);
    std::set<std::string> hashes;
    for (const auto& p : rows) {
      EXPECT_EQ(p.status, "ok") << p.error;
      hashes.insert(p.config_hash);
      EXPECT_EQ(p.tool_version, AIMCSIM_VERSION);
      ASSERT_TRUE(p.seed.has_value());
      EXPECT_EQ(std::to_string(*p.seed), p.params["seed"].get<std::string>());
      EXPECT_TRUE(p.metrics["latency"].is_number());
      EXPECT_GT(p.metrics["energy"].get<double>(), 0);
      EXPECT_TRUE(p.metrics["accuracy"].is_number());
      EXPECT_EQ(p.report["latency"]["first_sample_ns"], p.metrics["latency"]);
      // The stored configuration is the resolved one: the axis value reached the arch.
      EXPECT_EQ(p.config["arch"]["core.adc.bits"].dump(), p.params["core.adc.bits"].get<std::string>());
      EXPECT_EQ(p.config["run"]["workload.batch"], 10);
    }
    EXPECT_EQ(hashes.size(), 4u);
  }
  // Again: nothing left to run.
  r = cli("sweep " + sweep.string() + " --jobs 2 --progress lines --db " + db);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("4 already done, 0 to run"), std::string::npos) << r.out;

  r = cli("results export " + db + " --csv " + (d / "t.csv").string());
  ASSERT_EQ(r.status, 0) << r.out;
  std::ifstream csv(d / "t.csv");
  std::string line;
  std::getline(csv, line);
  EXPECT_NE(line.find("core.adc.bits,seed,latency,energy,accuracy"), std::string::npos) << line;
  int lines = 0;
  while (std::getline(csv, line)) lines += line.find(",ok,") != std::string::npos;
  EXPECT_EQ(lines, 4);

  r = cli("results plot " + db + " --x latency --y energy --color core.adc.bits --out " +
          (d / "p.png").string());
  ASSERT_EQ(r.status, 0) << r.out;
  std::ifstream png(d / "p.png", std::ios::binary);
  char magic[4] = {};
  png.read(magic, 4);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  r = cli("results plot " + db + " --x nonsense --y energy");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("'nonsense'"), std::string::npos) << r.out;
}

TEST(SweepRun, FailingPointsAreRecordedAndTheOthersGoOn) {
  const fs::path d = fresh_dir("isolation");
  // The children run through a wrapper that really crashes (SIGSEGV) at one value and hangs at another;
  // everything else is the real aimcsim.
  const fs::path wrapper = d / "aimcsim_wrapper.sh";
  std::ofstream(wrapper) << "#!/bin/sh\ncase \"$*\" in\n  *core.adc.bits=7*) kill -SEGV $$ ;;\n"
                         << "  *core.adc.bits=12*) exec sleep 60 ;;\nesac\nexec " << AIMCSIM_CLI
                         << " \"$@\"\n";
  fs::permissions(wrapper, fs::perms::owner_all);
  const fs::path sweep = write_sweep(d, "timeout: 8s\naxes:\n  core.adc.bits: [8, 99, 7, 12, 6]\n");
  aimc::SweepOptions opt;
  opt.db_path = (d / "r.db").string();
  opt.jobs = 2;
  opt.exe = wrapper.string();
  opt.progress = aimc::SweepOptions::Progress::kQuiet;
  std::ostringstream log;
  const aimc::SweepSummary s = aimc::SweepRunner(aimc::SweepSpec::load(sweep.string()), opt).run(log);
  EXPECT_EQ(s.ok, 2);
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(s.crashed, 1);
  EXPECT_EQ(s.timeout, 1);
  const aimc::ResultStore store(opt.db_path);
  std::map<std::string, aimc::PointRow> by_bits;
  for (const auto& r : store.rows()) by_bits[r.params["core.adc.bits"].get<std::string>()] = r;
  EXPECT_EQ(by_bits["8"].status, "ok");
  EXPECT_EQ(by_bits["6"].status, "ok");
  EXPECT_EQ(by_bits["99"].status, "failed");
  EXPECT_NE(by_bits["99"].error.find("'core.adc.bits'"), std::string::npos) << by_bits["99"].error;
  EXPECT_EQ(by_bits["7"].status, "crashed");
  EXPECT_NE(by_bits["7"].error.find("signal 11"), std::string::npos) << by_bits["7"].error;
  EXPECT_EQ(by_bits["12"].status, "timeout");
  EXPECT_TRUE(by_bits["12"].metrics.is_null());
  // --retry-failed runs exactly the three points that are not ok again.
  opt.retry_failed = true;
  opt.exe = AIMCSIM_CLI;
  const aimc::SweepSummary again = aimc::SweepRunner(aimc::SweepSpec::load(sweep.string()), opt).run(log);
  EXPECT_EQ(again.already, 2);
  EXPECT_EQ(again.ok, 2);  // 7 and 12 now run for real; 99 is still out of range
  EXPECT_EQ(again.failed, 1);
}

TEST(SweepRun, ResumesAfterSigkillWithoutLossOrDuplicates) {
  const fs::path d = fresh_dir("resume");
  // The whole test set per point, so that the points take long enough for this process to see two of them
  // stored and kill the sweep before it ends, even on a loaded host (with 10 images the sweep sometimes
  // finished between two polls).
  const fs::path sweep = write_sweep(d, "axes:\n  seed: {from: 1, to: 8}\n", 450);
  const std::string db = (d / "r.db").string();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(AIMCSIM_CLI, AIMCSIM_CLI, "sweep", sweep.c_str(), "--jobs", "1", "--db", db.c_str(), nullptr);
    _exit(127);
  }
  // Kill it (SIGKILL: no clean-up at all) once two points are stored.
  int done = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (done < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!fs::exists(db)) continue;
    const aimc::ResultStore store(db);
    done = status_counts(store.rows(false))["ok"];
  }
  kill(pid, SIGKILL);
  int st = 0;
  waitpid(pid, &st, 0);
  ASSERT_TRUE(WIFSIGNALED(st));
  std::map<std::string, std::string> before;  // hash -> finished_at of the points stored before the kill
  {
    const aimc::ResultStore store(db);
    const auto rows = store.rows(false);
    ASSERT_EQ(rows.size(), 8u);  // every point registered up front
    for (const auto& r : rows)
      if (r.status == "ok") before[r.config_hash] = r.finished_at + r.report.dump();
    ASSERT_GE(before.size(), 2u);
    ASSERT_LT(before.size(), 8u) << "the sweep finished before it could be killed; the test proves nothing";
  }
  const CliResult r = cli("sweep " + sweep.string() + " --jobs 2 --progress lines --db " + db);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find(std::to_string(before.size()) + " already done, " + std::to_string(8 - before.size()) +
                       " to run"),
            std::string::npos)
      << r.out;
  const aimc::ResultStore store(db);
  const auto rows = store.rows(false);
  ASSERT_EQ(rows.size(), 8u);
  std::set<std::string> seeds;
  for (const auto& row : rows) {
    EXPECT_EQ(row.status, "ok");
    EXPECT_EQ(row.attempts, 1) << "point " << row.point << " ran twice";
    seeds.insert(row.params["seed"].get<std::string>());
    if (before.count(row.config_hash))
      EXPECT_EQ(before[row.config_hash], row.finished_at + row.report.dump());
  }
  EXPECT_EQ(seeds.size(), 8u);
  EXPECT_FALSE(fs::exists(db + ".work")) << "left-over work directories";
}

TEST(SweepRun, MergeCombinesShardsFromTheCli) {
  const fs::path d = fresh_dir("merge");
  const fs::path sweep = write_sweep(d, "axes:\n  seed: [1, 2, 3]\n");
  std::ofstream(d / "a.points") << "0\n2\n";
  std::ofstream(d / "b.points") << "1\n";
  const std::string base = "sweep " + sweep.string() + " --jobs 2 --progress quiet ";
  ASSERT_EQ(
      cli(base + "--db " + (d / "a.db").string() + " --points-file " + (d / "a.points").string()).status, 0);
  ASSERT_EQ(
      cli(base + "--db " + (d / "b.db").string() + " --points-file " + (d / "b.points").string()).status, 0);
  const CliResult r = cli("results merge " + (d / "all.db").string() + " " + (d / "a.db").string() + " " +
                          (d / "b.db").string());
  ASSERT_EQ(r.status, 0) << r.out;
  const aimc::ResultStore store((d / "all.db").string());
  const auto rows = store.rows(false);
  ASSERT_EQ(rows.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(rows[i].point, i);
    EXPECT_EQ(rows[i].status, "ok");
  }
  EXPECT_EQ(cli("results merge " + (d / "x.db").string() + " " + (d / "missing.db").string()).status, 2);
}

TEST(SweepRun, BadSweepFileNamesFileLineAndKey) {
  const fs::path d = fresh_dir("bad");
  const fs::path sweep = write_sweep(d, "combine: diagonal\naxes:\n  seed: [1]\n");
  const CliResult r = cli("sweep " + sweep.string() + " --db " + (d / "r.db").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find(sweep.string() + ":6: 'combine': must be grid, zip or random"), std::string::npos)
      << r.out;
}

TEST(SweepRun, AreaPointsRunTheAreaCommand) {
  if (cli("area --help").status != 0) GTEST_SKIP() << "the `aimcsim area` command (issue 8) is not built";
  const fs::path d = fresh_dir("area");
  std::ofstream(d / "area.yaml")
      << "command: area\nbase: " << fs::absolute("arch/hermes.yaml").string()
      << "\naxes:\n  core.adc.counter_bits: [8, 12]\nmetrics:\n  area: area.total_mm2\n";
  const CliResult r = cli("sweep " + (d / "area.yaml").string() + " --jobs 2 --db " + (d / "r.db").string());
  ASSERT_EQ(r.status, 0) << r.out;
  const aimc::ResultStore store((d / "r.db").string());
  const auto rows = store.rows();
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.status, "ok") << row.error;
    EXPECT_FALSE(row.seed.has_value());
    EXPECT_EQ(row.config["command"], "area");
    EXPECT_TRUE(row.metrics["area"].is_number()) << row.metrics.dump();
  }
  // Fewer counter bits per ADC, less ADC area: the axis value reached the arch of the child.
  EXPECT_LT(rows[0].metrics["area"].get<double>(), rows[1].metrics["area"].get<double>());
}

}  // namespace
