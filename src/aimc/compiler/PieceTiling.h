#pragma once
// Pass 2 of map_network, the piece tiling: each planned layer's weight matrix cut into crossbar pieces of at
// most rows x cols (one crossbar, one core each), and the digital unit's coefficients of every piece. Pieces
// sharing an output slice form a partial-sum chain (isa/Mapping.h): only the last applies the bias, the fused
// ReLU, the residual add or pass and the pooling, because only it holds the full sum. A depthwise layer
// becomes pieces of `rows` channels each on the digital units instead (the unit's per-channel register sets).
#include <vector>

#include "aimc/compiler/LayerPlan.h"

namespace aimc {

struct PieceTiling {
  std::vector<CrossbarPiece> pieces;           // in layer order, then output slice, then chain position
  std::vector<std::vector<int>> layer_pieces;  // per planned layer: its pieces' indices
};

PieceTiling tile_pieces(const LayerPlan& plan, const ArchConfig& arch);

}  // namespace aimc
