#include "aimc/compiler/MemoryPlan.h"

#include <vector>

namespace aimc {

int64_t piece_sram_bytes(const CrossbarPiece& p, const MappedLayer& layer) {
  const int64_t map = layer.pixels * p.out_count;
  const int64_t arriving = p.geometry.slot_bytes() + (p.skip_input ? map : 0) + (p.chain_index > 0 ? map : 0);
  const int64_t own = map + (p.residual_pass ? map : 0) + (p.pool.enabled ? p.pool.out_bytes() : 0);
  return 2 * arriving + own;
}

MemoryPlan plan_memory(const Mapping& placed, const ArchConfig& arch) {
  MemoryPlan plan;
  plan.size_bytes = arch.core.sram.size_bytes;
  // The pieces packed on one core (Placement) hold their slots side by side (distinct tags).
  std::vector<int64_t> per_core(static_cast<size_t>(arch.chip.cores), 0);
  for (const CrossbarPiece& p : placed.pieces) {
    int64_t& need = per_core[static_cast<size_t>(p.core)];
    need += piece_sram_bytes(p, placed.layers[static_cast<size_t>(p.layer)]);
    if (need > plan.need_bytes) {
      plan.need_bytes = need;
      plan.need_core = p.core;
    }
  }
  return plan;
}

}  // namespace aimc
