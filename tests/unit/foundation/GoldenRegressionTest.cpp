// Golden end-to-end regression: `aimcsim run configs/quickstart.yaml` twice gives bit-identical deterministic
// sections, equal (within tolerance) to tests/golden/quickstart_expected.json. Regenerate:
// tests/golden/README.md.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include "aimc_test_paths.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const kSections[] = {"latency", "energy", "area", "outputs", "mapping", "stats"};
const char* const kExpected = "tests/golden/quickstart_expected.json";

json run_quickstart(const std::string& tag) {
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("aimcsim_golden_" + std::to_string(::getpid()) + "_" + tag);
  fs::remove_all(dir);
  const std::string cmd =
      std::string(AIMCSIM_CLI) + " run configs/quickstart.yaml --out " + dir.string() + " >/dev/null";
  const int rc = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << cmd;
  std::ifstream f(dir / "report.json");
  EXPECT_TRUE(f.good()) << "no report.json in " << dir;
  json j = json::parse(f, nullptr, /*allow_exceptions=*/false);
  fs::remove_all(dir);
  return j;
}

json deterministic_sections(const json& report) {
  json j = json::object();
  for (const char* s : kSections)
    if (report.contains(s)) j[s] = report[s];
  return j;
}

// Recursive comparison; every difference is reported with its JSON path. Integers must match exactly; floats
// within `rel` (relative, with an absolute floor of 1e-300 for zeros).
void compare(const json& want, const json& got, const std::string& path, double rel,
             std::vector<std::string>& diffs) {
  if (want.is_number() && got.is_number()) {
    if (want.is_number_integer() && got.is_number_integer()) {
      if (want.get<int64_t>() != got.get<int64_t>())
        diffs.push_back(path + ": expected " + want.dump() + ", got " + got.dump());
      return;
    }
    if (want.is_number_integer() != got.is_number_integer()) {
      diffs.push_back(path + ": integer/float mismatch: expected " + want.dump() + ", got " + got.dump());
      return;
    }
    const double a = want.get<double>(), b = got.get<double>();
    if (std::fabs(a - b) > rel * std::max(std::fabs(a), std::fabs(b)) + 1e-300)
      diffs.push_back(path + ": expected " + want.dump() + ", got " + got.dump() + " (relative tolerance " +
                      std::to_string(rel) + ")");
    return;
  }
  if (want.type() != got.type()) {
    diffs.push_back(path + ": expected " + std::string(want.type_name()) + " " + want.dump() + ", got " +
                    got.type_name() + " " + got.dump());
    return;
  }
  if (want.is_object()) {
    for (auto it = want.begin(); it != want.end(); ++it) {
      if (!got.contains(it.key()))
        diffs.push_back(path + "." + it.key() + ": missing");
      else
        compare(it.value(), got[it.key()], path + "." + it.key(), rel, diffs);
    }
    for (auto it = got.begin(); it != got.end(); ++it)
      if (!want.contains(it.key()))
        diffs.push_back(path + "." + it.key() + ": unexpected (not in the golden file)");
    return;
  }
  if (want.is_array()) {
    if (want.size() != got.size())
      diffs.push_back(path + ": expected " + std::to_string(want.size()) + " items, got " +
                      std::to_string(got.size()));
    for (size_t i = 0; i < std::min(want.size(), got.size()); ++i)
      compare(want[i], got[i], path + "[" + std::to_string(i) + "]", rel, diffs);
    return;
  }
  if (want != got) diffs.push_back(path + ": expected " + want.dump() + ", got " + got.dump());
}

double tolerance_of(const std::string& section) {
  // Timing, energy and area are exact arithmetic on the configuration and the event counts.
  return (section == "latency" || section == "energy" || section == "area") ? 1e-9 : 1e-6;
}

TEST(GoldenComparer, ReportsPaths) {
  std::vector<std::string> d;
  compare(json::parse(R"({"a":{"b":[1,2.0,"x"]},"c":1})"), json::parse(R"({"a":{"b":[1,2.5,"y"]},"d":1})"),
          "$", 1e-6, d);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_NE(d[0].find("$.a.b[1]"), std::string::npos) << d[0];
  EXPECT_NE(d[1].find("$.a.b[2]"), std::string::npos) << d[1];
  EXPECT_NE(d[2].find("$.c: missing"), std::string::npos) << d[2];
  EXPECT_NE(d[3].find("$.d: unexpected"), std::string::npos) << d[3];
  d.clear();
  compare(json(1.0), json(1.0 + 1e-12), "$", 1e-9, d);
  compare(json(3), json(3), "$", 1e-9, d);
  EXPECT_TRUE(d.empty());
  compare(json(3), json(4), "$", 1.0, d);  // integers exactly, whatever the tolerance
  EXPECT_EQ(d.size(), 1u);
}

TEST(Golden, QuickstartIsDeterministicAndMatchesTheGoldenFile) {
  const json r1 = run_quickstart("a");
  const json r2 = run_quickstart("b");
  ASSERT_TRUE(r1.is_object() && r2.is_object());
  for (const char* s : kSections) {
    ASSERT_TRUE(r1.contains(s)) << "report.json has no section " << s;
    EXPECT_EQ(r1[s].dump(), r2[s].dump())
        << "section '" << s << "' differs between two runs with the same seed";
  }

  std::ifstream f(kExpected);
  ASSERT_TRUE(f.good()) << kExpected << " is missing; see tests/golden/README.md";
  const json expected = json::parse(f);
  const json got = deterministic_sections(r1);
  std::vector<std::string> diffs;
  for (const char* s : kSections) {
    ASSERT_TRUE(expected.contains(s)) << kExpected << " has no section " << s;
    compare(expected[s], got[s], std::string("$.") + s, tolerance_of(s), diffs);
  }
  std::string all;
  for (size_t i = 0; i < diffs.size() && i < 50; ++i) all += "  " + diffs[i] + "\n";
  EXPECT_TRUE(diffs.empty()) << diffs.size() << " difference(s) from " << kExpected
                             << " (if intended, regenerate it as tests/golden/README.md says):\n"
                             << all;

  // Sanity of the quickstart itself: the MLP maps and runs well one hour after programming.
  const json& lat = r1["latency"];
  EXPECT_EQ(lat["samples"].get<int64_t>(), 100);
  EXPECT_EQ(lat["first_sample_core_cycles"].get<int64_t>(),
            std::llround(lat["first_sample_ns"].get<double>() / 1.0));  // 1 GHz core clock
  EXPECT_GT(lat["first_sample_ns"].get<double>(), 0.0);
  EXPECT_GE(lat["batch_makespan_ns"].get<double>(), lat["first_sample_ns"].get<double>());
  const json& m = r1["mapping"];
  ASSERT_EQ(m["layers"].size(), 3u);  // 64-128-64-10
  EXPECT_EQ(m["layers"][0]["in_features"].get<int64_t>(), 64);
  EXPECT_EQ(m["layers"][0]["out_features"].get<int64_t>(), 128);
  EXPECT_EQ(m["layers"][1]["out_features"].get<int64_t>(), 64);
  EXPECT_EQ(m["layers"][2]["out_features"].get<int64_t>(), 10);
  EXPECT_GE(m["cores_used"].get<int64_t>(), 3);
  EXPECT_LE(m["cores_used"].get<int64_t>(), 64);
  const json& out = r1["outputs"];
  EXPECT_EQ(out["samples"].get<int64_t>(), 100);
  ASSERT_EQ(out["per_time"].size(), 1u);
  EXPECT_EQ(out["per_time"][0]["t_inference_s"].get<double>(), 3600.0);
  EXPECT_GE(out["per_time"][0]["agreement_with_float"].get<double>(), 0.9);
  EXPECT_GE(out["per_time"][0]["accuracy"].get<double>(), 0.9);
  double e_sum = 0;
  for (const auto& row : r1["energy"]["breakdown"])
    e_sum += row["dynamic_j"].get<double>() + row["leakage_j"].get<double>();
  EXPECT_NEAR(e_sum, r1["energy"]["total_j"].get<double>(), 1e-9 * r1["energy"]["total_j"].get<double>());
  double a_sum = 0;
  for (const auto& row : r1["area"]["breakdown"]) a_sum += row["area_mm2"].get<double>();
  EXPECT_NEAR(a_sum, r1["area"]["total_mm2"].get<double>(), 1e-9 * r1["area"]["total_mm2"].get<double>());
}

}  // namespace
