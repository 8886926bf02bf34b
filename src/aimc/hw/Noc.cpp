#include "aimc/hw/Noc.h"

#include <algorithm>
#include <map>

namespace aimc {

Noc::Noc(const sc_core::sc_module_name& name, const ArchConfig& arch)
    : HwModule(name, arch.noc_period_ns()),
      topology_(arch.noc, arch.chip.cores),
      router_latency_(static_cast<uint64_t>(arch.noc.router_latency_cycles)),
      link_width_bits_(static_cast<uint64_t>(arch.noc.link_width_bits)),
      header_bits_(static_cast<uint64_t>(arch.noc.header_bits)),
      pitch_mm_(arch.noc.core_pitch_um * 1e-3),
      links_(topology_.link_slots()),
      packets_(stats().add("packets", "1", "Packets sent between different cores")),
      multicasts_(
          stats().add("multicast_packets", "1", "Packets sent as a multicast tree (also in packets)")),
      flit_hops_(stats().add("flit_hops", "1", "Flits times links crossed")),
      bit_hops_(stats().add("bit_hops", "bit", "Bits (header + payload) times links crossed")),
      link_busy_cycles_(stats().add("link_busy_cycles", "cycle", "Sum over links of cycles carrying flits")),
      contention_cycles_(
          stats().add("contention_cycles", "cycle", "Cycles packet heads waited for a busy link")) {
  stats().add_formula("link_count", "1", "Directed links in the network",
                      [this] { return static_cast<double>(topology_.link_count()); });
}

uint64_t Noc::flits(uint64_t bytes) const {
  return (header_bits_ + 8 * bytes + link_width_bits_ - 1) / link_width_bits_;
}

uint64_t Noc::unloaded_cycles(int h, uint64_t bytes) const {
  if (h == 0) return 0;
  return static_cast<uint64_t>(h) * (router_latency_ + 1) + flits(bytes) - 1;
}

uint64_t Noc::now_cycle() const {
  // The head leaves the source router on the next network clock edge.
  return static_cast<uint64_t>(std::ceil(sc_core::sc_time_stamp().to_seconds() * 1e9 / period_ns() - 1e-9));
}

uint64_t Noc::cross(int link, uint64_t head, uint64_t f, uint64_t bytes) {
  Link& l = links_[static_cast<size_t>(link)];
  const uint64_t ready = head + router_latency_;
  const uint64_t enter = std::max(ready, l.free_at_cycle);
  contention_cycles_ += static_cast<double>(enter - ready);
  l.free_at_cycle = enter + f;
  l.busy_cycles += f;
  link_busy_cycles_ += static_cast<double>(f);
  flit_hops_ += static_cast<double>(f);
  bit_hops_ += static_cast<double>(header_bits_ + 8 * bytes);
  if (TraceRecorder* t = TraceRecorder::active()) {
    if (l.trace_track < 0)
      l.trace_track = t->track(std::string(name()) + ".link " + std::to_string(topology_.link_from(link)) +
                               "->" + std::to_string(topology_.link_to(link)));
    t->span(l.trace_track, std::to_string(bytes) + " B", cycles(enter), cycles(enter + f));
  }
  return enter;
}

Noc::Transfer Noc::reserve(int src, int dst, uint64_t bytes) {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  if (src == dst) return {now, now, 0};
  const uint64_t f = flits(bytes);
  uint64_t head = now_cycle();
  uint64_t injected = 0;
  int h = 0;
  for (int at = src; at != dst;) {
    const NocTopology::Hop hop = topology_.next_hop(at, dst);
    const uint64_t enter = cross(hop.link, head, f, bytes);
    if (h++ == 0) injected = enter + f;
    head = enter + 1;
    at = hop.next;
  }
  ++packets_;
  return {cycles(injected), cycles(head + f - 1), h};
}

Noc::MulticastTransfer Noc::reserve_multicast(int src, const std::vector<int>& dsts, uint64_t bytes) {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const uint64_t f = flits(bytes);
  MulticastTransfer r;
  // Cycle the head reaches each router of the tree, and the links already carrying this packet.
  std::map<int, uint64_t> head_at{{src, now_cycle()}};
  std::map<int, uint64_t> link_enter;
  uint64_t injected = head_at[src];
  for (int dst : dsts) {
    for (int at = src; at != dst;) {
      const NocTopology::Hop hop = topology_.next_hop(at, dst);
      if (link_enter.count(hop.link) == 0) {
        const uint64_t enter = cross(hop.link, head_at.at(at), f, bytes);
        link_enter[hop.link] = enter;
        if (at == src) injected = std::max(injected, enter + f);
        // Routes that meet again keep the earliest head.
        auto [it, inserted] = head_at.emplace(hop.next, enter + 1);
        if (!inserted) it->second = std::min(it->second, enter + 1);
      }
      at = hop.next;
    }
    r.delivered.push_back(dst == src ? now : cycles(head_at.at(dst) + f - 1));
  }
  r.injected = cycles(injected);
  r.links = static_cast<int>(link_enter.size());
  if (r.links > 0) {
    ++packets_;
    ++multicasts_;
  }
  return r;
}

}  // namespace aimc
