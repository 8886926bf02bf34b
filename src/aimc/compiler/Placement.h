#pragma once
// Pass 3 of map_network, the placement: which core holds each piece, and where in its core's crossbar.
//
// Unpacked (mapping.packing off, and auto when the network fits), every piece takes a core of its own (one
// crossbar, one register set), in piece order along a boustrophedon walk over the mesh, so that consecutive
// pieces (a partial-sum chain, a layer and the next) sit on neighbouring cores.
//
// Packed, several crossbar pieces share one crossbar in disjoint output-line blocks (rows: each has its own
// ADCs and digital-unit channel registers, isa/Mapping.h). A crossbar is filled like a staircase, each new
// piece at the row where the previous one ended and, while the columns have room, at the column where it
// ended (block diagonal); when they have none, its input lines are the first columns, shared with the pieces
// above it (stacked). Both are exact: an MVM drives only the input lines of its own piece, with its own input
// (the others at code 0), and its digital pass reads only its own output lines, which have weights in its
// own columns only; on shared input lines the other pieces' devices carry current nobody reads (energy the
// array spends, not an error). One MVM serving two pieces that read the same vector is not built: each piece
// still runs its own MVMs. A piece fits a crossbar when its output lines do.
//   - on: first-fit decreasing over all packable pieces (largest of rows/R, cols/C first): as few crossbars
//     as possible.
//   - auto: the smallest packable pieces first, only as many as needed for the cores to fit the chip (the k
//     smallest pieces packed first-fit decreasing, k growing from 0); with k = 0 the mapping is the
//     unpacked one, so a network that fits today keeps its mapping, timing and outputs.
// Packable: crossbar pieces without a residual pass; two pieces of one partial-sum chain never share. The
// groups (a packed crossbar, or a piece alone) take cores in the order of their first piece, so the snake
// order still follows the network. When even full packing does not fit, the UserError gives both counts.
#include <string>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/config/RunConfig.h"
#include "aimc/isa/Mapping.h"

namespace aimc {

struct Placement {
  std::vector<int> piece_core;                     // per piece: its core
  std::vector<int64_t> out_offset, in_offset;      // per piece: its block in the core's crossbar
  int cores_used = 0;                              // cores holding a piece
  int crossbars_used = 0;                          // cores whose crossbar holds a piece (depthwise: none)
  double cell_utilisation = 0.0;                   // crossbar weights / cells of the crossbars used
  std::vector<Mapping::CrossbarUse> crossbar_use;  // per used crossbar, in core order
};

// Cores in boustrophedon order over the mesh.
std::vector<int> snake_order(const ArchConfig& arch);

// Places `pieces` under `packing`; a UserError (file `source`) when they need more cores than the chip has.
Placement place_pieces(const std::vector<CrossbarPiece>& pieces, const ArchConfig& arch,
                       const std::string& source, PackingPolicy packing = PackingPolicy::kAuto);

}  // namespace aimc
