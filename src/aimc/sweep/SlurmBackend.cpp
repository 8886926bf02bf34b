#include "aimc/sweep/SlurmBackend.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <fmt/format.h>

#include "aimc/base/AtomicFile.h"
#include "aimc/base/Error.h"
#include "aimc/base/Subprocess.h"
#include "aimc/sweep/ResultStoreLock.h"

namespace aimc {
namespace {

namespace fs = std::filesystem;

// Single-quoted for /bin/sh.
std::string sh_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

SlurmBackend::SlurmBackend(SweepSpec spec, SweepOptions options, SlurmOptions slurm)
    : spec_(std::move(spec)), opt_(std::move(options)), slurm_(std::move(slurm)) {
  if (opt_.exe.empty()) opt_.exe = self_executable();
  opt_.exe = fs::absolute(opt_.exe).string();
  opt_.db_path = fs::absolute(opt_.db_path).string();
  if (slurm_.jobs_per_task < 1) slurm_.jobs_per_task = 1;
}

SweepSummary SlurmBackend::run(std::ostream& log) {
  const auto t0 = std::chrono::steady_clock::now();
  const ResultStoreLock lock(opt_.db_path, "sweep " + spec_.file + " on Slurm");
  SweepSummary sum;
  const SweepRunner planner(spec_, opt_);
  std::vector<PointRow> planned = planner.plan();
  std::vector<int> todo;
  {
    ResultStore store(opt_.db_path);
    planner.register_points(store, planned);
    for (const auto& p : planned) {
      const auto stored = store.row(p.config_hash);
      const bool rerun = stored->status == "pending" || (opt_.retry_failed && stored->status != "ok");
      if (rerun)
        todo.push_back(p.point);
      else
        ++sum.already;
    }
  }
  sum.points = static_cast<int>(planned.size());
  if (todo.empty()) {
    log << fmt::format("sweep '{}': all {} points already done in {}\n", spec_.name, sum.points,
                       opt_.db_path);
    return sum;
  }
  // Default chunk: enough points per task that scheduling overhead stays small, at most 1000 tasks.
  const int chunk =
      slurm_.chunk > 0 ? slurm_.chunk : std::max<int>(1, static_cast<int>((todo.size() + 999) / 1000));
  const int tasks = static_cast<int>((todo.size() + chunk - 1) / chunk);

  const fs::path dir = work_dir();
  fs::create_directories(dir);
  for (int t = 0; t < tasks; ++t) {
    std::string points;
    for (int i = t * chunk; i < std::min<int>((t + 1) * chunk, static_cast<int>(todo.size())); ++i)
      points += std::to_string(todo[static_cast<size_t>(i)]) + '\n';
    write_file_atomically((dir / fmt::format("task_{}.points", t)).string(), points);
    std::error_code ec;
    fs::remove(dir / fmt::format("shard_{}.db", t), ec);  // a shard of an earlier submission is stale
  }
  const fs::path script = dir / "task.sh";
  {
    std::ostringstream f;
    f << "#!/bin/sh\n"
      << "# One task of the aimcsim sweep '" << spec_.name << "': the points listed in task_N.points, into\n"
      << "# its own shard (merged by the submitting `aimcsim sweep --backend slurm`).\n"
      << "d=" << sh_quote(dir.string()) << "\n"
      << "exec " << sh_quote(opt_.exe) << " sweep " << sh_quote(spec_.file) << " --backend local --jobs "
      << slurm_.jobs_per_task << (opt_.retry_failed ? " --retry-failed" : "")
      << " --progress lines --db \"$d/shard_${SLURM_ARRAY_TASK_ID}.db\""
      << " --points-file \"$d/task_${SLURM_ARRAY_TASK_ID}.points\"\n";
    write_file_atomically(script.string(), f.str());
  }
  fs::permissions(script, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);

  std::vector<std::string> args = {slurm_.sbatch,
                                   "--wait",
                                   "--parsable",
                                   fmt::format("--array=0-{}", tasks - 1),
                                   "--job-name=aimcsim-" + spec_.name,
                                   fmt::format("--cpus-per-task={}", slurm_.jobs_per_task),
                                   "--output=" + (dir / "task_%a.log").string(),
                                   "--chdir=" + dir.string()};
  args.insert(args.end(), slurm_.sbatch_args.begin(), slurm_.sbatch_args.end());
  args.push_back(script.string());
  log << fmt::format(
             "sweep '{}': {} points, {} already done; submitting {} to run as a job array of {} task{} "
             "({} point{} each)\n",
             spec_.name, sum.points, sum.already, todo.size(), tasks, tasks == 1 ? "" : "s", chunk,
             chunk == 1 ? "" : "s")
      << std::flush;
  const std::string sbatch_log = (dir / "sbatch.log").string();
  const int rc = run_and_wait(args, sbatch_log);
  if (rc == 127)
    throw UserError("", 0, "--backend", "cannot run '" + slurm_.sbatch + "' (is Slurm installed?)");
  if (rc != 0)
    log << fmt::format("sbatch ended with status {} (some task failed or the job was cancelled): {}\n", rc,
                       read_text(sbatch_log));

  // Merge whatever the tasks stored, even after a partial failure: finished points are never lost.
  ResultStore store(opt_.db_path);
  int merged = 0, shards = 0;
  for (int t = 0; t < tasks; ++t) {
    const fs::path shard = dir / fmt::format("shard_{}.db", t);
    if (!fs::exists(shard)) {
      log << fmt::format("task {} wrote no shard (see {})\n", t,
                         (dir / fmt::format("task_{}.log", t)).string());
      continue;
    }
    merged += store.merge_from(shard.string());
    ++shards;
  }
  for (const auto& p : planned) {
    const auto r = store.row(p.config_hash);
    if (!r || std::find(todo.begin(), todo.end(), p.point) == todo.end()) continue;
    if (r->status == "ok")
      ++sum.ok;
    else if (r->status == "crashed")
      ++sum.crashed;
    else if (r->status == "timeout")
      ++sum.timeout;
    else if (r->status != "pending")
      ++sum.failed;
  }
  log << fmt::format("merged {} shard{} ({} points) into {}\n", shards, shards == 1 ? "" : "s", merged,
                     opt_.db_path);
  sum.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (rc != 0 && merged == 0)
    throw UserError("", 0, "--backend",
                    fmt::format("the Slurm job array failed (sbatch status {}); see {}", rc, dir.string()));
  return sum;
}

}  // namespace aimc
