#include "aimc/sim/AccuracyPlot.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

namespace aimc {

namespace {

std::string join(const nlohmann::json& per_time, const char* key) {
  std::string s;
  for (const auto& t : per_time) {
    if (!t.contains(key)) return "";
    s += (s.empty() ? "" : ",") + fmt::format("{:.17g}", t[key].get<double>());
  }
  return s;
}

// fork + exec (no shell: paths and titles are passed as they are); the exit status, 127 if exec failed.
int run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    execvp(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string accuracy_plot_script() {
  return std::string(AIMCSIM_SOURCE_ROOT) + "/src/aimc/sim/plot_accuracy.py";
}

std::string write_accuracy_plot(const nlohmann::json& outputs, const std::string& png,
                                const std::string& title) {
  const nlohmann::json& per_time = outputs.at("per_time");
  // Debian's interpreter, where python3-matplotlib installs; a pyenv python3 earlier on PATH may lack it.
  const std::string python = std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  std::vector<std::string> args = {python,
                                   accuracy_plot_script(),
                                   png,
                                   "--t",
                                   join(per_time, "t_inference_s"),
                                   "--agreement",
                                   join(per_time, "agreement_with_float"),
                                   "--title",
                                   title};
  const std::string acc = join(per_time, "accuracy");
  if (!acc.empty()) args.insert(args.end(), {"--accuracy", acc});
  if (outputs.contains("float_accuracy"))
    args.insert(args.end(),
                {"--float-accuracy", fmt::format("{:.17g}", outputs["float_accuracy"].get<double>())});
  const int rc = run(args);
  if (rc == 0) return "";
  if (rc == 3)
    return "python3-matplotlib is not installed: no accuracy plot (apt-get install python3-matplotlib)";
  if (rc == 127) return "python3 not found: no accuracy plot";
  return fmt::format("the accuracy plot failed ({} exited with status {})", accuracy_plot_script(), rc);
}

}  // namespace aimc
