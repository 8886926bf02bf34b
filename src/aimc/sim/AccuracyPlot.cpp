#include "aimc/sim/AccuracyPlot.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "aimc/base/Error.h"
#include "aimc/base/Subprocess.h"

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

// A score's mean, std, min and max over the repeats per time, as "--<metric>-repeats
// m,s,lo,hi;m,s,lo,hi;..."; empty when a time has none.
std::string join_repeats(const nlohmann::json& per_time, const char* metric) {
  std::string s;
  for (const auto& t : per_time) {
    if (!t.contains("repeats") || !t["repeats"].contains(metric)) return "";
    const nlohmann::json& r = t["repeats"][metric];
    s += (s.empty() ? "" : ";") + fmt::format("{:.17g},{:.17g},{:.17g},{:.17g}", r["mean"].get<double>(),
                                              r["std"].get<double>(), r["min"].get<double>(),
                                              r["max"].get<double>());
  }
  return s;
}

}  // namespace

std::string accuracy_plot_script() {
  return std::string(AIMCSIM_SOURCE_ROOT) + "/src/aimc/sim/plot_accuracy.py";
}

std::string write_accuracy_plot(const nlohmann::json& outputs, const std::string& png,
                                const std::string& title) {
  const nlohmann::json& per_time = outputs.at("per_time");
  // The script writes a temporary beside the PNG, renamed into place only after it exits 0: a failed or
  // killed plot never leaves a partial PNG under the final name.
  const std::filesystem::path final_png(png);
  const std::string temp =
      (final_png.parent_path() / ("." + final_png.filename().string() + ".tmp.png")).string();
  std::vector<std::string> args = {debian_python3(),
                                   accuracy_plot_script(),
                                   temp,
                                   "--t",
                                   join(per_time, "t_inference_s"),
                                   "--agreement",
                                   join(per_time, "agreement_with_float"),
                                   "--title",
                                   title};
  const std::string acc = join(per_time, "accuracy");
  if (!acc.empty()) args.insert(args.end(), {"--accuracy", acc});
  for (const char* metric : {"agreement_with_float", "accuracy"}) {
    const std::string spread = join_repeats(per_time, metric);
    if (!spread.empty())
      args.insert(args.end(),
                  {std::string(metric) == "accuracy" ? "--accuracy-repeats" : "--agreement-repeats", spread});
  }
  if (outputs.contains("float_accuracy"))
    args.insert(args.end(),
                {"--float-accuracy", fmt::format("{:.17g}", outputs["float_accuracy"].get<double>())});
  int rc = 0;
  std::error_code ec, ignored;
  try {
    rc = run_and_wait(args);
  } catch (const UserError& e) {
    std::filesystem::remove(temp, ignored);
    return std::string("no accuracy plot: ") + e.what();  // a plot is never worth failing the run for
  }
  if (rc == 0) std::filesystem::rename(temp, png, ec);
  std::filesystem::remove(temp, ignored);
  if (rc == 0 && ec) return "no accuracy plot: " + png + ": " + ec.message();
  if (rc == 0) return "";
  if (rc == 3)
    return "python3-matplotlib is not installed: no accuracy plot (apt-get install python3-matplotlib)";
  if (rc == 127) return "python3 not found: no accuracy plot";
  return fmt::format("the accuracy plot failed ({} exited with status {})", accuracy_plot_script(), rc);
}

}  // namespace aimc
