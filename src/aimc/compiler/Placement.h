#pragma once
// Pass 3 of map_network, the placement: which core holds each piece. One piece per core (one crossbar, one
// slot-tag space, one register set), in piece order along a boustrophedon walk over the mesh, so that
// consecutive pieces (a partial-sum chain, a layer and the next) sit on neighbouring cores.
#include <string>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/isa/Mapping.h"

namespace aimc {

struct Placement {
  std::vector<int> piece_core;    // per piece: its core
  int cores_used = 0;             // every piece takes a core
  int crossbars_used = 0;         // cores whose crossbar holds a piece (depthwise pieces use none)
  double cell_utilisation = 0.0;  // crossbar weights / cells of the crossbars used
};

// Cores in boustrophedon order over the mesh.
std::vector<int> snake_order(const ArchConfig& arch);

// Places `pieces`; a UserError (file `source`) when they need more cores than the chip has.
Placement place_pieces(const std::vector<CrossbarPiece>& pieces, const ArchConfig& arch,
                       const std::string& source);

}  // namespace aimc
