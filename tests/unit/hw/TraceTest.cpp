// `aimcsim run --trace out.json` writes Chrome/Perfetto trace events: valid JSON with a track per core,
// tile, ADC bank, digital unit and link, and spans whose times make sense.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>
#include "aimc_test_paths.h"

namespace {

TEST(Trace, QuickstartTraceParsesAndHasTheTracks) {
  const auto dir = std::filesystem::temp_directory_path() / ("aimcsim_trace_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto trace = dir / "trace.json";
  const std::string cmd = std::string(AIMCSIM_CLI) + " run configs/quickstart.yaml --batch 5 --out " +
                          dir.string() + " --trace " + trace.string() + " >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(trace);
  ASSERT_TRUE(in.good());
  const nlohmann::json j = nlohmann::json::parse(in);  // throws on invalid JSON
  ASSERT_TRUE(j.contains("traceEvents"));
  std::map<std::pair<int, int>, std::string> thread;
  std::map<int, std::string> process;
  for (const auto& e : j["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "thread_name") thread[{e["pid"], e["tid"]}] = e["args"]["name"];
    if (e["ph"] == "M" && e["name"] == "process_name") process[e["pid"]] = e["args"]["name"];
  }
  std::set<std::string> kinds;
  int spans = 0;
  for (const auto& e : j["traceEvents"]) {
    if (e["ph"] != "X") continue;
    ++spans;
    ASSERT_TRUE(thread.count({e["pid"], e["tid"]})) << e.dump();
    EXPECT_GE(e["ts"].get<double>(), 0.0);
    EXPECT_GT(e["dur"].get<double>(), 0.0) << e.dump();
    const std::string& t = thread[{e["pid"], e["tid"]}];
    const std::string& p = process[e["pid"]];
    kinds.insert(t.rfind("link", 0) == 0 ? "link" : t == p ? "core" : t);
  }
  EXPECT_GT(spans, 0);
  for (const char* k : {"core", "tile", "adc_bank", "digital_unit", "network_interface", "link"})
    EXPECT_TRUE(kinds.count(k)) << "no spans on a " << k << " track";
  std::filesystem::remove_all(dir);
}

TEST(Trace, UnwritableTraceIsAUserError) {
  const std::string cmd = std::string(AIMCSIM_CLI) +
                          " run configs/quickstart.yaml --batch 1 --out /tmp/aimcsim_trace_bad --trace "
                          "/nonexistent/dir/t.json >/dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 2);
}

}  // namespace
