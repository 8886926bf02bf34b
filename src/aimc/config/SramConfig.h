#pragma once
// The local activation SRAM of a core (keys core.sram.*; ArchParamsSram.cpp).
#include <cstdint>

namespace aimc {

struct SramConfig {
  int64_t size_bytes = 0;
  int64_t width_bits = 0;
  int64_t latency_cycles = 0;
};

}  // namespace aimc
