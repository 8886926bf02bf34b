// The placement on its own: one piece per core along the snake, the counts it reports, and the chip's limit.
#include <gtest/gtest.h>

#include "MappingTestSupport.h"
#include "aimc/base/Error.h"
#include "aimc/compiler/PieceTiling.h"
#include "aimc/compiler/Placement.h"

namespace aimc {
namespace {

using mapping_test::absmax_of;
using mapping_test::gemm_graph;
using mapping_test::hermes;
using mapping_test::kOnnx;

std::vector<CrossbarPiece> pieces_of(const Graph& g, const ArchConfig& arch) {
  return tile_pieces(plan_layers(g, arch, absmax_of(g)), arch).pieces;
}

TEST(Placement, TheSnakeRunsRowsAlternatelyLeftAndRight) {
  const std::vector<int> order = snake_order(hermes({"chip.cores=16", "noc.mesh_cols=4", "noc.mesh_rows=4"}));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 7, 6, 5, 4, 8, 9, 10, 11, 15, 14, 13, 12}));
}

TEST(Placement, PiecesTakeCoresInSnakeOrderAndCountTheirCells) {
  const ArchConfig arch = hermes();
  const std::vector<CrossbarPiece> pieces = pieces_of(gemm_graph(300, 600), arch);
  const Placement placement = place_pieces(pieces, arch, "gemm_graph");
  EXPECT_EQ(placement.piece_core, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(placement.cores_used, 6);
  EXPECT_EQ(placement.crossbars_used, 6);
  EXPECT_DOUBLE_EQ(placement.cell_utilisation, 600.0 * 300.0 / (6 * 256 * 256));
}

TEST(Placement, DepthwisePiecesTakeACoreButNoCrossbar) {
  const ArchConfig arch = hermes();
  const Placement placement =
      place_pieces(pieces_of(OnnxImporter::load(kOnnx + "map_dw_block.onnx"), arch), arch, "");
  EXPECT_EQ(placement.cores_used, 3);
  EXPECT_EQ(placement.crossbars_used, 2);
}

TEST(Placement, MorePiecesThanCoresIsAUserErrorSayingHowMany) {
  const ArchConfig arch = hermes({"chip.cores=4", "noc.mesh_cols=2", "noc.mesh_rows=2"});
  const std::vector<CrossbarPiece> pieces = pieces_of(gemm_graph(300, 600), arch);
  try {
    place_pieces(pieces, arch, "gemm_graph");
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("needs 6 crossbars of 256x256 but the chip has 4 cores"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace aimc
