#pragma once
// Pass 5 of map_network, the schedule: the static per-core command tables, executed once per sample, and the
// per-controller programs. A piece waits for its input (and residual) slot, loops its MVM and digital-unit
// steps over the pixels, passes partial sums along its chain, and its chain's last piece pools and sends the
// layer's output slice as the transfer plan says. A controller's program merges the tables of its cores in
// the global (layer, piece) order, so that a controller never waits on work it has not issued yet (no
// deadlock); the configuration of the digital units comes first, a batch-end barrier last.
#include <string>
#include <vector>

#include "aimc/compiler/TransferPlan.h"

namespace aimc {

struct Schedule {
  std::vector<std::vector<Command>> commands;             // per core
  std::vector<std::vector<Command>> controller_commands;  // per controller, each command with its core slot
};

// Schedules `placed` (layers tiled, pieces placed) with the sends of `transfers`; UserErrors (file `source`)
// when a transfer or a table exceeds the command fields.
Schedule schedule_pieces(const Mapping& placed, const TransferPlan& transfers, const ArchConfig& arch,
                         const std::string& source);

}  // namespace aimc
