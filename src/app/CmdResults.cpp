// aimcsim results export|merge|plot: the SQLite results of sweeps as CSV, shards combined, Pareto plots.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "CommandRegistry.h"
#include "aimc/base/Error.h"
#include "aimc/base/Subprocess.h"
#include "aimc/sweep/ResultStore.h"
#include "aimc/sweep/ResultStoreLock.h"
#include "aimc/sweep/ResultTable.h"

namespace aimcsim {
namespace {

namespace fs = std::filesystem;

struct ResultsOptions {
  std::string db, csv, out_db, x, y, color, out, x_goal = "min", y_goal = "min";
  std::vector<std::string> shards;
};

void require_file(const std::string& path) {
  if (!fs::is_regular_file(path)) throw aimc::UserError(path, 0, "", "no such results file");
}

// The plotting script lives beside the sweep code (python3 + matplotlib, both Debian packages).
std::string plot_script() {
  return std::string(AIMCSIM_SOURCE_ROOT) + "/src/aimc/sweep/plot_pareto.py";
}

const RegisterCommand kResults(31, [](CLI::App& app, CLI::App*& sub) -> CommandAction {
  sub = app.add_subcommand("results",
                           "Sweep results (SQLite): export as CSV, merge shards, plot Pareto fronts");
  sub->require_subcommand(1);
  auto o = std::make_shared<ResultsOptions>();
  CLI::App* exp = sub->add_subcommand("export", "Write a table, one row per point");
  exp->add_option("db", o->db, "Results file")->required();
  exp->add_option("--csv", o->csv, "CSV file to write ('-' = stdout)")->required();
  CLI::App* merge = sub->add_subcommand("merge", "Combine results files (e.g. Slurm shards) into one");
  merge->add_option("out", o->out_db, "Results file to merge into (created if absent)")->required();
  merge->add_option("shards", o->shards, "Results files to read")->required();
  CLI::App* plot =
      sub->add_subcommand("plot", "Pareto front of two metrics, a third as colour (PNG per sweep)");
  plot->add_option("db", o->db, "Results file")->required();
  plot->add_option("--x", o->x, "Metric (or axis key) on x")->required();
  plot->add_option("--y", o->y, "Metric (or axis key) on y")->required();
  plot->add_option("--color", o->color, "Metric (or axis key) as colour");
  plot->add_option("--x-goal", o->x_goal, "min or max: which way is better on x")
      ->check(CLI::IsMember({"min", "max"}));
  plot->add_option("--y-goal", o->y_goal, "min or max: which way is better on y")
      ->check(CLI::IsMember({"min", "max"}));
  plot->add_option("--out", o->out, "PNG file (one sweep) or directory (default: beside the results file)");
  return [o, exp, merge, plot]() -> int {
    if (exp->parsed()) {
      require_file(o->db);
      const aimc::ResultStore store(o->db);
      const aimc::ResultTable table(store);
      if (o->csv == "-")
        table.write_csv(std::cout);
      else
        table.write_csv(o->csv);
      if (o->csv != "-") std::cerr << fmt::format("{} points -> {}\n", table.rows().size(), o->csv);
      return 0;
    }
    if (merge->parsed()) {
      for (const auto& s : o->shards) require_file(s);
      const aimc::ResultStoreLock lock(o->out_db, "results merge");  // not while a sweep writes to it
      aimc::ResultStore out(o->out_db);
      int total = 0;
      for (const auto& s : o->shards) {
        if (fs::exists(o->out_db) && fs::equivalent(s, o->out_db))
          throw aimc::UserError(s, 0, "", "is the output file itself");
        total += out.merge_from(s);
      }
      std::cerr << fmt::format("merged {} file{}: {} points added or completed -> {}\n", o->shards.size(),
                               o->shards.size() == 1 ? "" : "s", total, o->out_db);
      return 0;
    }
    if (plot->parsed()) {
      require_file(o->db);
      { const aimc::ResultStore check(o->db); }  // a clear error for a file that is not a results file
      const std::string python = aimc::debian_python3();
      std::vector<std::string> args = {python, plot_script(), o->db,     "--x",      o->x,     "--y",
                                       o->y,   "--x-goal",    o->x_goal, "--y-goal", o->y_goal};
      if (!o->color.empty()) args.insert(args.end(), {"--color", o->color});
      if (!o->out.empty()) args.insert(args.end(), {"--out", o->out});
      const int rc = aimc::run_and_wait(args);
      if (rc == 2) return 2;  // the script printed a user error (unknown metric, no points)
      if (rc != 0)
        throw aimc::UserError(plot_script(), 0, "", fmt::format("plotting failed (status {})", rc));
      return 0;
    }
    return 2;
  };
});

}  // namespace
}  // namespace aimcsim
