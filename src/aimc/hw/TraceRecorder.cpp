#include "aimc/hw/TraceRecorder.h"

#include <cstdlib>

#include "aimc/base/AtomicFile.h"
#include "aimc/base/Error.h"

namespace aimc {

TraceRecorder* TraceRecorder::active_ = nullptr;

TraceRecorder::TraceRecorder() {
  AIMC_ASSERT_MSG(active_ == nullptr, "only one TraceRecorder may be active");
  active_ = this;
}

TraceRecorder::~TraceRecorder() {
  if (active_ == this) active_ = nullptr;
}

int TraceRecorder::track(const std::string& full_name) {
  if (auto it = by_name_.find(full_name); it != by_name_.end()) return it->second;
  // "chip.core3.tile" -> group "core3", name "tile"; "chip.noc.link 0->1" -> group "noc".
  std::string rest = full_name;
  if (auto dot = rest.find('.'); dot != std::string::npos) rest = rest.substr(dot + 1);
  std::string group = rest, name = rest;
  if (auto dot = rest.find('.'); dot != std::string::npos) {
    group = rest.substr(0, dot);
    name = rest.substr(dot + 1);
  }
  auto [git, inserted] = group_pid_.emplace(group, static_cast<int>(group_pid_.size()) + 1);
  (void)inserted;
  const int id = static_cast<int>(tracks_.size());
  tracks_.push_back({full_name, group, name, git->second, id + 1});
  by_name_[full_name] = id;
  return id;
}

void TraceRecorder::span(int track, const std::string& name, sc_core::sc_time begin, sc_core::sc_time end) {
  spans_.push_back({track, name, begin.to_seconds() * 1e9, end.to_seconds() * 1e9});
}

nlohmann::json TraceRecorder::to_json() const {
  nlohmann::json events = nlohmann::json::array();
  for (const auto& [group, pid] : group_pid_) {
    events.push_back(
        {{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"tid", 0}, {"args", {{"name", group}}}});
    // Cores sort by number, the network after them.
    const int order = group.rfind("core", 0) == 0 ? std::atoi(group.c_str() + 4) : 1 << 20;
    events.push_back({{"name", "process_sort_index"},
                      {"ph", "M"},
                      {"pid", pid},
                      {"tid", 0},
                      {"args", {{"sort_index", order}}}});
  }
  for (const Track& t : tracks_)
    events.push_back(
        {{"name", "thread_name"}, {"ph", "M"}, {"pid", t.pid}, {"tid", t.tid}, {"args", {{"name", t.name}}}});
  for (const Span& s : spans_) {
    const Track& t = tracks_[static_cast<size_t>(s.track)];
    // Trace timestamps are microseconds; fractions keep the ns resolution.
    events.push_back({{"name", s.name},
                      {"ph", "X"},
                      {"pid", t.pid},
                      {"tid", t.tid},
                      {"ts", s.begin_ns * 1e-3},
                      {"dur", (s.end_ns - s.begin_ns) * 1e-3}});
  }
  return {{"traceEvents", events}, {"displayTimeUnit", "ns"}};
}

void TraceRecorder::write(const std::string& path, const std::string& key) const {
  write_file_atomically(path, to_json().dump() + '\n', key);
}

}  // namespace aimc
