#pragma once
// Chrome/Perfetto trace events (the JSON "traceEvents" format that ui.perfetto.dev and chrome://tracing
// open): one track (thread) per hardware block, grouped into one process per core, plus one for the network
// with a track per link. Blocks record complete spans ("ph": "X") of their busy time; nothing is recorded
// unless a recorder is active, so tracing costs nothing when it is off.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <systemc>

namespace aimc {

class TraceRecorder {
 public:
  struct Span {
    int track;
    std::string name;
    double begin_ns, end_ns;
  };

  TraceRecorder();
  ~TraceRecorder();
  TraceRecorder(const TraceRecorder&) = delete;
  TraceRecorder& operator=(const TraceRecorder&) = delete;

  // The recorder spans are sent to, or nullptr when tracing is off. At most one is active (one SystemC
  // kernel per process); constructing one makes it active until it is destroyed.
  static TraceRecorder* active() { return active_; }

  // Track id for a hierarchical block name like "chip.core3.tile" (created on first use). The group (trace
  // process) is the second path element ("core3", "noc"), the track name the rest.
  int track(const std::string& full_name);
  void span(int track, const std::string& name, sc_core::sc_time begin, sc_core::sc_time end);

  const std::vector<Span>& spans() const { return spans_; }
  const std::string& track_name(int track) const { return tracks_[static_cast<size_t>(track)].full_name; }
  nlohmann::json to_json() const;
  // Writes the trace; an unwritable path is a UserError naming `key`.
  void write(const std::string& path, const std::string& key) const;

 private:
  struct Track {
    std::string full_name, group, name;
    int pid, tid;
  };
  static TraceRecorder* active_;
  std::vector<Track> tracks_;
  std::map<std::string, int> by_name_;
  std::map<std::string, int> group_pid_;
  std::vector<Span> spans_;
};

}  // namespace aimc
