#include "aimc/compiler/Placement.h"

#include <fmt/format.h>

#include "aimc/base/Error.h"

namespace aimc {

std::vector<int> snake_order(const ArchConfig& arch) {
  std::vector<int> order;
  for (int64_t r = 0; r < arch.noc.mesh_rows; ++r)
    for (int64_t k = 0; k < arch.noc.mesh_cols; ++k) {
      const int64_t c = (r % 2 == 0) ? k : arch.noc.mesh_cols - 1 - k;
      order.push_back(static_cast<int>(r * arch.noc.mesh_cols + c));
    }
  return order;
}

Placement place_pieces(const std::vector<CrossbarPiece>& pieces, const ArchConfig& arch,
                       const std::string& source) {
  const int64_t rows = arch.core.tile.rows, cols = arch.core.tile.cols;
  if (static_cast<int64_t>(pieces.size()) > arch.chip.cores)
    throw UserError(
        source, 0, "",
        fmt::format("the network needs {} crossbars of {}x{} but the chip has {} cores with one each",
                    pieces.size(), rows, cols, arch.chip.cores));
  // The slot tags (isa/Mapping.h) give a piece index 13 bits.
  if (pieces.size() >= 0x2000)
    throw UserError(source, 0, "", "more than 8191 crossbar pieces do not fit the 16-bit slot tags");
  const std::vector<int> order = snake_order(arch);
  Placement placement;
  int64_t weights = 0;
  for (size_t p = 0; p < pieces.size(); ++p) {
    placement.piece_core.push_back(order[p]);
    if (!pieces[p].uses_crossbar()) continue;
    weights += pieces[p].out_count * pieces[p].in_count;
    ++placement.crossbars_used;
  }
  placement.cores_used = static_cast<int>(pieces.size());
  placement.cell_utilisation =
      placement.crossbars_used == 0
          ? 0.0
          : static_cast<double>(weights) / (static_cast<double>(placement.crossbars_used) * rows * cols);
  return placement;
}

}  // namespace aimc
