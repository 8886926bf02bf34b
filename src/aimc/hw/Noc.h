#pragma once
// The on-chip network: routers connected by the directed links of a NocTopology (2-D mesh or torus with XY
// routing, or an explicit link list with routing tables), virtual cut-through timing with link reservations:
//   a packet of B payload bytes is F = ceil((header_bits + 8 B) / link_width_bits) flits (HERMES: 8 bits
//   per 400 MHz clock = 3.2 Gbit/s per link, REFERENCE A); its head spends router_latency + 1 cycles per hop
//   (switch, then link); each link it crosses is busy for F cycles from the cycle the head enters it, so a
//   later packet on the same link waits; the tail arrives F - 1 cycles after the head. Unloaded latency over
//   h hops: h (router_latency + 1) + F - 1 network cycles.
// Multicast: one activation vector to several destinations travels as a tree, one copy per link: the
// routes to the destinations are followed from the source and a link shared by several of them is reserved
// once; each router forwards the head on every branch in parallel.
// Event-driven: a transfer computes its reservations when it is injected; nothing ticks while idle.
#include <cstdint>
#include <string>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/HwModule.h"
#include "aimc/hw/NocTopology.h"

namespace aimc {

class Noc : public HwModule {
 public:
  Noc(const sc_core::sc_module_name& name, const ArchConfig& arch);

  int cores() const { return topology_.routers(); }
  const NocTopology& topology() const { return topology_; }
  int hops(int src, int dst) const { return topology_.hops(src, dst); }
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
  struct MulticastTransfer {
    sc_core::sc_time injected;                // every copy has left the source router
    std::vector<sc_core::sc_time> delivered;  // per destination, in the order given
    int links = 0;                            // links of the tree (copies sent)
  };
  // Reserves the multicast tree from src to `dsts` (distinct routers) for one packet injected now.
  MulticastTransfer reserve_multicast(int src, const std::vector<int>& dsts, uint64_t bytes);
  // Closed form of the unloaded latency in network cycles (for tests and reports).
  uint64_t unloaded_cycles(int hops, uint64_t bytes) const;
  // Cycles the link has carried flits so far.
  uint64_t link_busy_cycles(int link) const { return links_[static_cast<size_t>(link)].busy_cycles; }

  double wire_mm_per_hop() const { return pitch_mm_; }

 private:
  struct Link {
    uint64_t free_at_cycle = 0;
    uint64_t busy_cycles = 0;
    int trace_track = -1;
  };
  // Sends a packet of `f` flits over `link` whose head is at its source router at cycle `head`: returns the
  // cycle the head enters the link (after the router and any earlier packet on it).
  uint64_t cross(int link, uint64_t head, uint64_t f, uint64_t bytes);
  uint64_t now_cycle() const;

  NocTopology topology_;
  uint64_t router_latency_;
  uint64_t link_width_bits_;
  uint64_t header_bits_;
  double pitch_mm_;
  std::vector<Link> links_;
  Stat& packets_;
  Stat& multicasts_;
  Stat& flit_hops_;
  Stat& bit_hops_;
  Stat& link_busy_cycles_;
  Stat& contention_cycles_;
};

}  // namespace aimc
