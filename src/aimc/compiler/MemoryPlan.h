#pragma once
// Pass 6 of map_network, the memory plan: the activation SRAM the schedule needs on its fullest core, against
// core.sram.size. A piece holds its arriving maps (input slot, residual map, partial sums) double-buffered,
// as the cores do (hw/Core.cpp kBufferDepth), and its own output maps once; the pieces packed on one core
// add up. The chip model does not enforce
// the size: a schedule that streamed rows of a map instead of whole maps would need less (not modelled); the
// mapping report warns instead.
#include <cstdint>

#include "aimc/config/ArchConfig.h"
#include "aimc/isa/Mapping.h"

namespace aimc {

struct MemoryPlan {
  int64_t need_bytes = 0;  // on the fullest core
  int64_t size_bytes = 0;  // core.sram.size
  int need_core = -1;      // the fullest core (-1: no piece)
};

// The SRAM one piece's slots take on its core.
int64_t piece_sram_bytes(const CrossbarPiece& piece, const MappedLayer& layer);

MemoryPlan plan_memory(const Mapping& placed, const ArchConfig& arch);

}  // namespace aimc
