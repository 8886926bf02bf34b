#pragma once
// Runs a sweep on a Slurm cluster: the unfinished points are cut into chunks, one job-array task per chunk
// (`sbatch --array`); each task runs its chunk with the local runner into its own shard file (no two
// processes ever write one SQLite file), and the shards are merged into the sweep's results file once the
// array ends. Started again, it submits only the chunks of points still unfinished.
#include <iosfwd>
#include <string>
#include <vector>

#include "aimc/sweep/SweepRunner.h"

namespace aimc {

struct SlurmOptions {
  int chunk = 0;                         // points per task; 0 = automatic (one per task, at most 1000 tasks)
  int jobs_per_task = 1;                 // worker processes (and --cpus-per-task) of each task
  std::string sbatch = "sbatch";         // the sbatch program
  std::vector<std::string> sbatch_args;  // passed through (partition, time limit, account, ...)
};

class SlurmBackend {
 public:
  SlurmBackend(SweepSpec spec, SweepOptions options, SlurmOptions slurm);
  // Submits, waits for the array (sbatch --wait), merges the shards. Returns the sweep's totals.
  SweepSummary run(std::ostream& log);
  // Directory of the job script, chunk lists, task logs and shards: <db>.slurm
  std::string work_dir() const { return opt_.db_path + ".slurm"; }

 private:
  SweepSpec spec_;
  SweepOptions opt_;
  SlurmOptions slurm_;
};

}  // namespace aimc
