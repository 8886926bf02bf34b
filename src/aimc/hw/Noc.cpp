#include "aimc/hw/Noc.h"

#include <cstdlib>

namespace aimc {

Noc::Noc(const sc_core::sc_module_name& name, const ArchConfig& arch)
    : HwModule(name, arch.noc_period_ns()),
      cols_(arch.noc.mesh_cols),
      rows_(arch.noc.mesh_rows),
      torus_(arch.noc.topology == "torus2d"),
      router_latency_(static_cast<uint64_t>(arch.noc.router_latency_cycles)),
      link_width_bits_(static_cast<uint64_t>(arch.noc.link_width_bits)),
      header_bits_(static_cast<uint64_t>(arch.noc.header_bits)),
      pitch_mm_(arch.noc.core_pitch_um * 1e-3),
      links_(static_cast<size_t>(cols_ * rows_) * 4),
      packets_(stats().add("packets", "1", "Packets sent between different cores")),
      flit_hops_(stats().add("flit_hops", "1", "Flits times links crossed")),
      bit_hops_(stats().add("bit_hops", "bit", "Bits (header + payload) times links crossed")),
      link_busy_cycles_(stats().add("link_busy_cycles", "cycle", "Sum over links of cycles carrying flits")),
      contention_cycles_(
          stats().add("contention_cycles", "cycle", "Cycles packet heads waited for a busy link")) {
  stats().add_formula("link_count", "1", "Directed links in the network", [this] {
    const int64_t h = torus_ ? cols_ * rows_ : (cols_ - 1) * rows_;
    const int64_t v = torus_ ? cols_ * rows_ : cols_ * (rows_ - 1);
    return static_cast<double>(2 * (h + v));
  });
}

uint64_t Noc::flits(uint64_t bytes) const {
  return (header_bits_ + 8 * bytes + link_width_bits_ - 1) / link_width_bits_;
}

int Noc::hops(int src, int dst) const {
  const int64_t dx = std::llabs(src % cols_ - dst % cols_);
  const int64_t dy = std::llabs(src / cols_ - dst / cols_);
  if (!torus_) return static_cast<int>(dx + dy);
  return static_cast<int>(std::min(dx, cols_ - dx) + std::min(dy, rows_ - dy));
}

std::pair<int, int> Noc::next_hop(int at, int dst) const {
  const int64_t x = at % cols_, y = at / cols_;
  const int64_t tx = dst % cols_, ty = dst / cols_;
  auto step = [this](int64_t from, int64_t to, int64_t size) {
    if (from == to) return int64_t{0};
    if (!torus_) return to > from ? int64_t{1} : int64_t{-1};
    const int64_t fwd = (to - from + size) % size;
    return fwd <= size - fwd ? int64_t{1} : int64_t{-1};  // shorter way round; ties go forward
  };
  if (const int64_t sx = step(x, tx, cols_); sx != 0) {
    const int64_t nx = (x + sx + cols_) % cols_;
    return {static_cast<int>(y * cols_ + nx), sx > 0 ? 0 : 1};
  }
  const int64_t sy = step(y, ty, rows_);
  const int64_t ny = (y + sy + rows_) % rows_;
  return {static_cast<int>(ny * cols_ + x), sy > 0 ? 3 : 2};
}

uint64_t Noc::unloaded_cycles(int h, uint64_t bytes) const {
  if (h == 0) return 0;
  return static_cast<uint64_t>(h) * (router_latency_ + 1) + flits(bytes) - 1;
}

Noc::Transfer Noc::reserve(int src, int dst, uint64_t bytes) {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  if (src == dst) return {now, now, 0};
  const uint64_t f = flits(bytes);
  // The head leaves the source router on the next network clock edge.
  uint64_t head = static_cast<uint64_t>(std::ceil(now.to_seconds() * 1e9 / period_ns() - 1e-9));
  int at = src;
  uint64_t injected = 0;
  int h = 0;
  while (at != dst) {
    auto [next, dir] = next_hop(at, dst);
    Link& l = link(at, dir);
    const uint64_t enter = std::max(head + router_latency_, l.free_at_cycle);
    contention_cycles_ += static_cast<double>(enter - (head + router_latency_));
    l.free_at_cycle = enter + f;
    l.busy_cycles += f;
    link_busy_cycles_ += static_cast<double>(f);
    if (h++ == 0) injected = enter + f;
    head = enter + 1;
    at = next;
    flit_hops_ += static_cast<double>(f);
    bit_hops_ += static_cast<double>(header_bits_ + 8 * bytes);
  }
  ++packets_;
  auto at_cycle = [this](uint64_t c) {
    return sc_core::sc_time(static_cast<double>(c) * period_ns(), sc_core::SC_NS);
  };
  return {at_cycle(injected), at_cycle(head + f - 1), h};
}

}  // namespace aimc
