#pragma once
// The on-chip network section of an arch (keys noc.*, declared in ArchParamsNoc.cpp).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "aimc/base/EnumNames.h"

namespace aimc {

// noc.topology: how the routers are connected (hw/NocTopology).
enum class NocTopologyKind : uint8_t {
  kMesh2d,   // XY routing on a mesh_cols x mesh_rows grid
  kTorus2d,  // the same grid with wrap-around links
  kLinks,    // the explicit noc.links list, shortest-path routing tables
};
inline constexpr EnumName<NocTopologyKind> kNocTopologyKindNames[] = {{NocTopologyKind::kMesh2d, "mesh2d"},
                                                                      {NocTopologyKind::kTorus2d, "torus2d"},
                                                                      {NocTopologyKind::kLinks, "links"}};
constexpr const auto& enum_names(NocTopologyKind) {
  return kNocTopologyKindNames;
}

struct NocConfig {
  NocTopologyKind topology{};  // the declaration sets it
  int64_t mesh_cols = 0;
  int64_t mesh_rows = 0;
  // topology links: bidirectional router pairs "a-b" separated by spaces, e.g. "0-1 0-8 1-9".
  std::string links;
  int64_t link_width_bits = 0;  // bits per link clock
  double clock_mhz = 0;
  int64_t router_latency_cycles = 0;
  int64_t header_bits = 0;
  double core_pitch_um = 0;  // link length between neighbouring cores
};

// Parses noc.links for `routers` routers into bidirectional pairs (a, b), a != b, each pair once. On a
// malformed list returns false and says why in `error` (the caller names the key).
bool parse_noc_links(const std::string& text, int64_t routers, std::vector<std::pair<int, int>>& pairs,
                     std::string& error);

}  // namespace aimc
