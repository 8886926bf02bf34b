#include "aimc/sweep/ResultTable.h"

#include <algorithm>
#include <ostream>
#include <sstream>

#include <fmt/format.h>

#include "aimc/base/AtomicFile.h"
#include "aimc/base/Error.h"

namespace aimc {
namespace {

std::string cell(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();  // numbers: the shortest text that reads back to the same double
}

std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// Keys in the order first met, so that the columns follow the sweep file's axes and metrics.
void add_keys(std::vector<std::string>& keys, const std::vector<std::string>& more) {
  for (const auto& k : more)
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
}

}  // namespace

ResultTable::ResultTable(const ResultStore& store) {
  const std::vector<PointRow> points = store.rows(false);
  std::vector<std::string> axes, metrics;
  if (const auto a = store.meta("axes")) {
    const auto j = nlohmann::json::parse(*a, nullptr, false);
    if (j.is_array())
      for (const auto& k : j) add_keys(axes, {k.get<std::string>()});
  }
  if (const auto m = store.meta("metrics")) {
    const auto j = nlohmann::json::parse(*m, nullptr, false);
    if (j.is_array())
      for (const auto& k : j) add_keys(metrics, {k.value("name", "")});
  }
  for (const auto& p : points) {
    if (p.params.is_object())
      for (auto it = p.params.begin(); it != p.params.end(); ++it) add_keys(axes, {it.key()});
    if (p.metrics.is_object())
      for (auto it = p.metrics.begin(); it != p.metrics.end(); ++it) add_keys(metrics, {it.key()});
  }
  columns_ = {"sweep", "point", "config_hash", "status", "run_seed"};  // run_seed: the simulation seed
  columns_.insert(columns_.end(), axes.begin(), axes.end());
  columns_.insert(columns_.end(), metrics.begin(), metrics.end());
  columns_.insert(columns_.end(), {"wall_s", "tool_version", "host", "finished_at", "error"});
  for (const auto& p : points) {
    std::vector<std::string> r = {p.sweep, std::to_string(p.point), p.config_hash, p.status,
                                  p.seed ? std::to_string(*p.seed) : ""};
    for (const auto& a : axes)
      r.push_back(p.params.is_object() && p.params.contains(a) ? cell(p.params[a]) : "");
    for (const auto& m : metrics)
      r.push_back(p.metrics.is_object() && p.metrics.contains(m) ? cell(p.metrics[m]) : "");
    r.insert(r.end(), {p.status == "pending" ? "" : fmt::format("{:.3f}", p.wall_s), p.tool_version, p.host,
                       p.finished_at, p.error});
    rows_.push_back(std::move(r));
  }
}

void ResultTable::write_csv(std::ostream& out) const {
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << quoted(cells[i]);
    out << '\n';
  };
  line(columns_);
  for (const auto& r : rows_) line(r);
}

void ResultTable::write_csv(const std::string& path) const {
  std::ostringstream out;
  write_csv(out);
  write_file_atomically(path, out.str(), "--csv");
}

}  // namespace aimc
