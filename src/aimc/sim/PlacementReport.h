#pragma once
// Where a mapped network runs, for report.json and the mapping report: every graph node's place (crossbar,
// digital unit, host, a layout, folded at import), the host's output steps, and per used core the crossbar
// cells its pieces use and the activation SRAM its pieces' slots need.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aimc/config/ArchConfig.h"
#include "aimc/isa/Mapping.h"

namespace aimc {

struct CoreUse {
  int core = 0;
  int64_t weights = 0;      // crossbar cells holding weights (0: the crossbar is unused)
  double cell_use = 0;      // weights / (rows x cols)
  int64_t sram_bytes = 0;   // its pieces' slots (compiler/MemoryPlan's rule)
  std::vector<int> pieces;  // indices into Mapping::pieces
};

// Per used core, in core order.
std::vector<CoreUse> core_use(const Mapping& mapping, const ArchConfig& arch);

// report["mapping"]["placement"]: {"nodes": [...], "host_steps": [...], "cores": [...]}.
nlohmann::json placement_report(const Mapping& mapping, const ArchConfig& arch);

// The mapping report's lines on cores: cell use of each crossbar and SRAM of each core.
std::string core_use_summary(const Mapping& mapping, const ArchConfig& arch);

}  // namespace aimc
