#pragma once
// The on-chip network section of an arch (keys noc.*, declared in ArchParamsNoc.cpp).
#include <cstdint>
#include <string>

namespace aimc {

struct NocConfig {
  std::string topology;  // mesh2d | torus2d
  int64_t mesh_cols = 0;
  int64_t mesh_rows = 0;
  int64_t link_width_bits = 0;  // bits per link clock
  double clock_mhz = 0;
  int64_t router_latency_cycles = 0;
  int64_t header_bits = 0;
  double core_pitch_um = 0;  // link length between neighbouring cores
};

}  // namespace aimc
