#pragma once
// Running a helper program (python3 plot scripts, sbatch/squeue) and waiting for it: fork + exec without a
// shell, so paths and titles reach it as they are.
#include <string>
#include <vector>

namespace aimc {

// Runs args[0] (searched on PATH) with args and returns its exit status (128 + signal if it was killed; 127
// if it could not be executed). `log_file`, if not empty, receives its stdout and stderr. Throws UserError if
// the process cannot be started at all.
int run_and_wait(const std::vector<std::string>& args, const std::string& log_file = "");

// Debian's interpreter, where python3-matplotlib installs (a pyenv python3 earlier on PATH may lack it), else
// whatever python3 is on PATH.
std::string debian_python3();

}  // namespace aimc
