#include "aimc/sim/PlacementReport.h"

#include <map>
#include <sstream>

#include <fmt/format.h>

#include "aimc/compiler/MemoryPlan.h"

namespace aimc {

std::vector<CoreUse> core_use(const Mapping& mapping, const ArchConfig& arch) {
  std::map<int, CoreUse> by_core;
  const auto cells = static_cast<double>(arch.core.tile.rows * arch.core.tile.cols);
  for (size_t pi = 0; pi < mapping.pieces.size(); ++pi) {
    const CrossbarPiece& p = mapping.pieces[pi];
    CoreUse& use = by_core[p.core];
    use.core = p.core;
    use.pieces.push_back(static_cast<int>(pi));
    if (p.uses_crossbar()) use.weights += p.weight.size();
    use.sram_bytes += piece_sram_bytes(p, mapping.layers[static_cast<size_t>(p.layer)]);
  }
  std::vector<CoreUse> uses;
  for (auto& [core, use] : by_core) {
    use.cell_use = static_cast<double>(use.weights) / cells;
    uses.push_back(use);
  }
  return uses;
}

nlohmann::json placement_report(const Mapping& mapping, const ArchConfig& arch) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const NodePlacement& n : mapping.node_placements) {
    nlohmann::json e = {{"node", n.node}, {"op", n.op}, {"where", n.where}, {"note", n.note}};
    e["layer"] = n.layer >= 0 ? nlohmann::json(mapping.layers[static_cast<size_t>(n.layer)].name) : nullptr;
    nodes.push_back(e);
  }
  nlohmann::json host = nlohmann::json::array();
  for (const HostOutputStep& h : mapping.host_steps)
    host.push_back({{"node", h.node}, {"op", h.op}, {"input", h.input}, {"output", h.output}});
  nlohmann::json cores = nlohmann::json::array();
  for (const CoreUse& c : core_use(mapping, arch))
    cores.push_back({{"core", c.core},
                     {"pieces", c.pieces},
                     {"crossbar_weights", c.weights},
                     {"cell_use", c.cell_use},
                     {"sram_bytes", c.sram_bytes},
                     {"sram_size_bytes", arch.core.sram.size_bytes}});
  return {{"nodes", nodes}, {"host_steps", host}, {"cores", cores}};
}

std::string core_use_summary(const Mapping& mapping, const ArchConfig& arch) {
  std::ostringstream os;
  os << fmt::format("  cores (crossbar cell use, activation SRAM of {:.1f} KiB):",
                    static_cast<double>(arch.core.sram.size_bytes) / 1024);
  int column = 0;
  for (const CoreUse& c : core_use(mapping, arch)) {
    if (column++ % 6 == 0) os << "\n   ";
    os << fmt::format(" {:>3}: {}{:.1f} KiB", c.core,
                      c.weights > 0 ? fmt::format("{:5.1f} %, ", 100 * c.cell_use) : std::string("  --  , "),
                      static_cast<double>(c.sram_bytes) / 1024);
  }
  os << '\n';
  return os.str();
}

}  // namespace aimc
