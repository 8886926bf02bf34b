#pragma once
// The on-chip network: a 2-D mesh or torus of routers with one link per direction between neighbours, XY
// (dimension-order) routing, and virtual cut-through timing with link reservations:
//   a packet of B payload bytes is F = ceil((header_bits + 8 B) / link_width_bits) flits; its head spends
//   router_latency + 1 cycles per hop (switch, then link); each link it crosses is busy for F cycles from the
//   cycle the head enters it, so a later packet on the same link waits; the tail arrives F - 1 cycles after
//   the head. Unloaded latency over h hops: h (router_latency + 1) + F - 1 network cycles.
// Event-driven: a transfer computes its reservations when it is injected; nothing ticks while idle.
#include <cstdint>
#include <functional>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/HwModule.h"

namespace aimc {

class Noc : public HwModule {
 public:
  Noc(const sc_core::sc_module_name& name, const ArchConfig& arch);

  // Routers are numbered like cores; `terminals` adds the chip I/O port at router 0 (index cores()).
  int cores() const { return static_cast<int>(cols_ * rows_); }
  int hops(int src, int dst) const;
  // Number of flits of a packet carrying `bytes` bytes.
  uint64_t flits(uint64_t bytes) const;
  struct Transfer {
    sc_core::sc_time injected;   // the tail has left the source router: the sender is free again
    sc_core::sc_time delivered;  // the tail has arrived at the destination
    int hops = 0;
  };
  // Reserves the path from src to dst for a packet injected now. Counts flit-hops, bits and busy time.
  // src == dst is a local copy: both times are now.
  Transfer reserve(int src, int dst, uint64_t bytes);
  // Closed form of the unloaded latency in network cycles (for tests and reports).
  uint64_t unloaded_cycles(int hops, uint64_t bytes) const;

  double wire_mm_per_hop() const { return pitch_mm_; }

 private:
  struct Link {
    uint64_t free_at_cycle = 0;
    uint64_t busy_cycles = 0;
  };
  // Output link index of router r in direction d (0 east, 1 west, 2 north, 3 south).
  Link& link(int router, int dir) { return links_[static_cast<size_t>(router) * 4 + dir]; }
  // Next router and direction taken from `at` towards `dst` under XY routing (wrapping on a torus).
  std::pair<int, int> next_hop(int at, int dst) const;

  int64_t cols_, rows_;
  bool torus_;
  uint64_t router_latency_;
  uint64_t link_width_bits_;
  uint64_t header_bits_;
  double pitch_mm_;
  std::vector<Link> links_;
  Stat& packets_;
  Stat& flit_hops_;
  Stat& bit_hops_;
  Stat& link_busy_cycles_;
  Stat& contention_cycles_;
};

}  // namespace aimc
