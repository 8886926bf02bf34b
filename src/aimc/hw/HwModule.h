#pragma once
// Base of every hardware block: an sc_module that owns a StatGroup (walked into the report by StatsWalker)
// and converts its own clock cycles to SystemC time. Latencies are whole cycles of the block's clock.
#include <cmath>
#include <cstdint>
#include <string>

#include <systemc>

#include "aimc/base/Stats.h"
#include "aimc/hw/TraceRecorder.h"

namespace aimc {

class HwModule : public sc_core::sc_module {
 public:
  HwModule(const sc_core::sc_module_name& name, double period_ns)
      : sc_core::sc_module(name), stats_(basename()), period_ns_(period_ns) {}

  StatGroup& stats() { return stats_; }
  const StatGroup& stats() const { return stats_; }
  double period_ns() const { return period_ns_; }
  sc_core::sc_time cycles(uint64_t n) const {
    return sc_core::sc_time(static_cast<double>(n) * period_ns_, sc_core::SC_NS);
  }
  // Whole cycles needed to cover `ns` (a latency in ns rounded up to this block's clock).
  uint64_t cycles_for_ns(double ns) const { return static_cast<uint64_t>(std::ceil(ns / period_ns_ - 1e-9)); }
  // Records a busy span of this block on its own trace track (nothing when tracing is off).
  void trace_span(const std::string& what, sc_core::sc_time begin, sc_core::sc_time end) {
    if (TraceRecorder* t = TraceRecorder::active()) t->span(t->track(name()), what, begin, end);
  }
  // Waits until the next rising edge of this block's clock (blocks start work on an edge).
  void wait_for_edge() {
    const double now = sc_core::sc_time_stamp().to_seconds() * 1e9;
    const double next = std::ceil(now / period_ns_ - 1e-9) * period_ns_;
    if (next > now) wait(sc_core::sc_time(next - now, sc_core::SC_NS));
  }

 private:
  StatGroup stats_;
  double period_ns_;
};

}  // namespace aimc
