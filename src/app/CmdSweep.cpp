// aimcsim sweep SWEEP.yaml: every point of an architecture sweep as its own child process, results in SQLite.
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "CliChecks.h"
#include "CommandRegistry.h"
#include "aimc/base/Error.h"
#include "aimc/base/InputFile.h"
#include "aimc/base/Subprocess.h"
#include "aimc/sweep/ResultStore.h"
#include "aimc/sweep/ResultTable.h"
#include "aimc/sweep/SlurmBackend.h"
#include "aimc/sweep/SweepRunner.h"

namespace aimcsim {
namespace {

struct SweepCliOptions {
  std::string file, db, backend = "local", progress = "auto", points_file;
  int jobs = 0, chunk = 0, jobs_per_task = 1;
  bool retry_failed = false;
  std::vector<std::string> sbatch_args;
};

std::vector<int> read_points_file(const std::string& path) {
  std::istringstream in(aimc::read_regular_file(path, "--points-file"));
  std::vector<int> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    try {
      out.push_back(std::stoi(line));
    } catch (const std::exception&) {
      throw aimc::UserError(path, n, "--points-file", "'" + line + "' is not a point index");
    }
  }
  return out;
}

// The sweep file's `plot:` figures, drawn from the results beside the database: <stem>.csv, then <stem>.png
// (<stem>-2.png, ... for further plots) by src/aimc/sweep/plot_lines.py.
void draw_plots(const aimc::SweepSpec& spec, const std::string& db_path, bool quiet) {
  if (spec.plots.empty()) return;
  const std::filesystem::path stem = std::filesystem::path(db_path).replace_extension();
  const std::string csv = stem.string() + ".csv";
  {
    const aimc::ResultStore store(db_path);
    aimc::ResultTable(store).write_csv(csv);
  }
  const std::string script = std::string(AIMCSIM_SOURCE_ROOT) + "/src/aimc/sweep/plot_lines.py";
  for (size_t i = 0; i < spec.plots.size(); ++i) {
    const std::string png = stem.string() + (i == 0 ? "" : fmt::format("-{}", i + 1)) + ".png";
    std::vector<std::string> args = {aimc::debian_python3(), script, csv};
    const std::vector<std::string> plot_args = spec.plots[i].script_args();
    args.insert(args.end(), plot_args.begin(), plot_args.end());
    args.insert(args.end(), {"--out", png});
    const int rc = aimc::run_and_wait(args, quiet ? "/dev/null" : "");
    if (rc != 0)
      throw aimc::UserError(spec.file, 0, "plot", fmt::format("plotting failed (status {}): {}", rc, script));
  }
}

const RegisterCommand kSweep(30, [](CLI::App& app, CLI::App*& sub) -> CommandAction {
  sub =
      app.add_subcommand("sweep",
                         "Run an architecture sweep (configs/sweeps/*.yaml): parallel, resumable, results in "
                         "SQLite; format in configs/sweeps/README.md");
  auto o = std::make_shared<SweepCliOptions>();
  sub->add_option("sweep", o->file, "Sweep file")->required();
  sub->add_option("--jobs,-j", o->jobs, "Worker processes (default 0: all cores)")->check(at_least(0));
  sub->add_option("--db", o->db, "Results file (default: out/sweeps/<sweep name>.db)");
  sub->add_option("--backend", o->backend, "local (worker processes here) or slurm (a job array via sbatch)")
      ->check(CLI::IsMember({"local", "slurm"}));
  sub->add_flag("--retry-failed", o->retry_failed,
                "Also re-run points recorded as failed, crashed or timed out");
  sub->add_option("--progress", o->progress, "auto (a bar on a terminal, lines otherwise), bar, lines, quiet")
      ->check(CLI::IsMember({"auto", "bar", "lines", "quiet"}));
  sub->add_option("--chunk", o->chunk, "Slurm: points per array task (default 0: automatic)")
      ->check(at_least(0));
  sub->add_option("--jobs-per-task", o->jobs_per_task, "Slurm: worker processes (CPUs) per array task")
      ->check(at_least(1));
  sub->add_option("--sbatch-arg", o->sbatch_args,
                  "Slurm: extra sbatch argument, e.g. --sbatch-arg=--partition=x")
      ->allow_extra_args(false);
  // Internal: a Slurm task runs the point indices of its chunk.
  sub->add_option("--points-file", o->points_file, "Run only the point indices listed (one per line)")
      ->group("");
  return [o] {
    aimc::SweepSpec spec = aimc::SweepSpec::load(o->file);
    aimc::SweepOptions opt;
    opt.db_path =
        o->db.empty() ? (std::filesystem::path("out") / "sweeps" / (spec.name + ".db")).string() : o->db;
    opt.jobs = o->jobs;
    opt.retry_failed = o->retry_failed;
    if (!o->points_file.empty()) opt.only_points = read_points_file(o->points_file);
    using P = aimc::SweepOptions::Progress;
    opt.progress = o->progress == "bar"     ? P::kBar
                   : o->progress == "lines" ? P::kLines
                   : o->progress == "quiet" ? P::kQuiet
                                            : P::kAuto;
    aimc::SweepSummary s;
    if (o->backend == "slurm") {
      aimc::SlurmOptions so;
      so.chunk = o->chunk;
      so.jobs_per_task = o->jobs_per_task;
      so.sbatch_args = o->sbatch_args;
      s = aimc::SlurmBackend(std::move(spec), opt, so).run(std::cerr);
    } else {
      const aimc::SweepSpec plotted = spec;
      s = aimc::SweepRunner(std::move(spec), opt).run(std::cerr);
      if (s.ok > 0) draw_plots(plotted, opt.db_path, opt.progress == P::kQuiet);
    }
    if (opt.progress != P::kQuiet)
      std::cerr << fmt::format(
          "done: {} points ({} done before); now {} ok, {} failed, {} crashed, {} timed out in {:.1f} s -> "
          "{}\n",
          s.points, s.already, s.ok, s.failed, s.crashed, s.timeout, s.wall_s, opt.db_path);
    return 0;
  };
});

}  // namespace
}  // namespace aimcsim
