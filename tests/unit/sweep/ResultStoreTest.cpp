// The SQLite results file: pending rows never overwrite results, a merge completes pending rows and never
// duplicates a point, the CSV table has one row per point with proper quoting.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/sweep/ResultStore.h"
#include "aimc/sweep/ResultTable.h"

#include <unistd.h>

namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("aimc_store_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

aimc::PointRow row(int point, const std::string& status) {
  aimc::PointRow r;
  r.sweep = "s";
  r.point = point;
  r.config = {{"seed", point}};
  r.config_hash = aimc::config_hash(r.config.dump());
  r.params = {{"seed", std::to_string(point)}};
  r.tool_version = "test";
  r.seed = point;
  r.status = status;
  if (status == "ok") {
    r.metrics = {{"lat", 10.5 * (point + 1)}, {"name", "a,\"b\""}};
    r.report = {{"latency", {{"ns", 10.5 * (point + 1)}}}};
  } else if (status != "pending") {
    r.error = "line one\nline two";
  }
  return r;
}

TEST(ResultStore, PendingNeverOverwritesAFinishedRow) {
  const fs::path d = fresh_dir("pending");
  aimc::ResultStore s((d / "r.db").string());
  EXPECT_EQ(s.add_pending(row(1, "pending")), "pending");
  s.record(row(1, "ok"));
  EXPECT_EQ(s.add_pending(row(1, "pending")), "ok");
  ASSERT_EQ(s.rows().size(), 1u);
  EXPECT_EQ(s.rows()[0].metrics["lat"], 21.0);
  EXPECT_EQ(s.rows()[0].report["latency"]["ns"], 21.0);
  EXPECT_EQ(*s.rows()[0].seed, 1);
}

TEST(ResultStore, MergeCompletesPendingRowsWithoutDuplicates) {
  const fs::path d = fresh_dir("merge");
  {
    aimc::ResultStore out((d / "out.db").string());
    out.add_pending(row(0, "pending"));
    out.add_pending(row(1, "pending"));
    out.record(row(2, "ok"));
    aimc::ResultStore a((d / "a.db").string());
    a.record(row(0, "ok"));
    a.record(row(2, "failed"));  // a finished row here is never replaced
    aimc::ResultStore b((d / "b.db").string());
    b.record(row(1, "crashed"));
    b.add_pending(row(0, "pending"));
    b.record(row(3, "ok"));
  }
  aimc::ResultStore out((d / "out.db").string());
  EXPECT_EQ(out.merge_from((d / "a.db").string()), 1);
  EXPECT_EQ(out.merge_from((d / "b.db").string()), 2);
  EXPECT_EQ(out.merge_from((d / "b.db").string()), 0);  // idempotent
  const auto rows = out.rows();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].status, "ok");
  EXPECT_EQ(rows[1].status, "crashed");
  EXPECT_EQ(rows[1].error, "line one\nline two");
  EXPECT_EQ(rows[2].status, "ok");
  EXPECT_EQ(rows[3].status, "ok");
}

TEST(ResultStore, RejectsAFileThatIsNotAResultsFile) {
  const fs::path d = fresh_dir("bad");
  std::ofstream(d / "junk.db")
      << "this is not SQLite, but long enough to have a header of sorts.............";
  EXPECT_THROW(aimc::ResultStore((d / "junk.db").string()), aimc::UserError);
  aimc::ResultStore s((d / "r.db").string());
  EXPECT_THROW(s.merge_from((d / "missing.db").string()), aimc::UserError);
}

TEST(ResultTable, OneCsvRowPerPointWithQuoting) {
  const fs::path d = fresh_dir("csv");
  aimc::ResultStore s((d / "r.db").string());
  s.set_meta("axes", R"(["seed"])");
  s.set_meta("metrics",
             R"([{"name": "lat", "path": "latency.ns", "unit": "ns"}, {"name": "name", "path": "x"}])");
  s.record(row(0, "ok"));
  s.record(row(1, "failed"));
  s.add_pending(row(2, "pending"));
  const aimc::ResultTable t(s);
  ASSERT_EQ(t.rows().size(), 3u);
  std::ostringstream csv;
  t.write_csv(csv);
  std::istringstream in(csv.str());
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("sweep,point,config_hash,status,run_seed,seed,lat,name,wall_s", 0), 0u) << header;
  EXPECT_NE(csv.str().find("\"a,\"\"b\"\"\""), std::string::npos) << csv.str();
  EXPECT_NE(csv.str().find("\"line one\nline two\""), std::string::npos);
  EXPECT_NE(csv.str().find(",10.5,"), std::string::npos) << csv.str();
}

}  // namespace
