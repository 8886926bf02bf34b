// The piece tiling on its own: slices of the weight matrix, partial-sum chains, where the bias, ReLU,
// residual pass and pooling go along a chain, and depthwise pieces.
#include <gtest/gtest.h>

#include "MappingTestSupport.h"
#include "aimc/compiler/PieceTiling.h"

namespace aimc {
namespace {

using mapping_test::absmax_of;
using mapping_test::gemm_graph;
using mapping_test::hermes;
using mapping_test::kOnnx;

struct Tiled {
  LayerPlan plan;
  PieceTiling tiling;
};

Tiled tile(const Graph& g) {
  const ArchConfig arch = hermes();
  Tiled t{plan_layers(g, arch, absmax_of(g)), {}};
  t.tiling = tile_pieces(t.plan, arch);
  return t;
}

TEST(PieceTiling, AGemmOf600x300IsThreeChainsOfTwoPiecesOf256x256) {
  const Graph g = gemm_graph(300, 600, true);
  const Tiled t = tile(g);
  const auto& pieces = t.tiling.pieces;
  ASSERT_EQ(pieces.size(), 6u);
  EXPECT_EQ(t.tiling.layer_pieces, (std::vector<std::vector<int>>{{0, 1, 2, 3, 4, 5}}));
  const int64_t out_begin[] = {0, 0, 256, 256, 512, 512}, out_count[] = {256, 256, 256, 256, 88, 88};
  for (size_t k = 0; k < pieces.size(); ++k) {
    const CrossbarPiece& p = pieces[k];
    const int i = static_cast<int>(k % 2);
    EXPECT_EQ(p.layer, 0);
    EXPECT_EQ(p.out_begin, out_begin[k]);
    EXPECT_EQ(p.out_count, out_count[k]);
    EXPECT_EQ(p.in_begin, 256 * i);
    EXPECT_EQ(p.in_count, i == 0 ? 256 : 44);
    EXPECT_EQ(p.chain_index, i);
    EXPECT_EQ(p.chain_length, 2);
    EXPECT_EQ(p.weight, g.nodes[0].weight.block(p.out_begin, p.in_begin, p.out_count, p.in_count));
    // A Gemm's slot holds exactly its columns.
    EXPECT_EQ(p.geometry.channel_begin, p.in_begin);
    EXPECT_EQ(p.geometry.channel_count, p.in_count);
    // Only the last piece of a chain holds the full sum: the bias and the ReLU are its.
    EXPECT_EQ(p.relu2, i == 1);
    EXPECT_EQ(p.bias_lsb.size(), p.out_count);
    if (i == 0) EXPECT_TRUE(p.bias_lsb.isZero());
    if (i == 1) EXPECT_FLOAT_EQ(p.bias_lsb[0], static_cast<float>(g.nodes[0].bias[p.out_begin] / p.out_step));
  }
  const LayerSteps& s = t.plan.layers[0].steps;
  EXPECT_DOUBLE_EQ(pieces[0].out_step, s.psum);
  EXPECT_DOUBLE_EQ(pieces[1].out_step, s.out);
  EXPECT_DOUBLE_EQ(pieces[1].side_scale, s.psum / s.out);
}

TEST(PieceTiling, ConvPiecesHoldTheInputChannelsOfTheirIm2colColumns) {
  const Tiled t = tile(OnnxImporter::load(kOnnx + "map_conv_big.onnx"));
  const auto& conv_b = t.tiling.layer_pieces[1];
  ASSERT_EQ(conv_b.size(), 6u);  // 1350 columns of 150 channels x 3x3
  for (int pi : conv_b) {
    const CrossbarPiece& p = t.tiling.pieces[static_cast<size_t>(pi)];
    EXPECT_EQ(p.geometry.channel_begin, p.in_begin / 9);
    EXPECT_EQ(p.geometry.channel_begin + p.geometry.channel_count - 1, (p.in_begin + p.in_count - 1) / 9);
  }
}

TEST(PieceTiling, TheResidualPassAndThePoolGoToTheLastPieceOfAChain) {
  const Tiled t = tile(OnnxImporter::load("models/resnet9_cifar10.onnx"));
  const PlannedLayer& res = t.plan.layers[3];
  const auto& chain = t.tiling.layer_pieces[3];
  ASSERT_GT(chain.size(), 1u);
  for (size_t k = 0; k < chain.size(); ++k) {
    const CrossbarPiece& p = t.tiling.pieces[static_cast<size_t>(chain[k])];
    const bool last = p.chain_index + 1 == p.chain_length;
    EXPECT_EQ(p.residual_pass, last);
    EXPECT_EQ(p.skip_input, last);
    if (last) {
      EXPECT_DOUBLE_EQ(p.residual_scale, res.steps.mid / res.steps.out);
      EXPECT_DOUBLE_EQ(p.residual_side_scale, res.steps.skip / res.steps.out);
    }
  }
  for (int pi : t.tiling.layer_pieces[7]) {
    const CrossbarPiece& p = t.tiling.pieces[static_cast<size_t>(pi)];
    EXPECT_EQ(p.pool.enabled, p.chain_index + 1 == p.chain_length);
    if (p.pool.enabled) EXPECT_EQ(p.pool.channels, p.out_count);
  }
}

TEST(PieceTiling, DepthwisePiecesTakeRowsChannelsEachOnTheDigitalUnit) {
  const Tiled t = tile(OnnxImporter::load(kOnnx + "map_dw_block.onnx"));
  ASSERT_EQ(t.tiling.layer_pieces[1].size(), 1u);
  const CrossbarPiece& p = t.tiling.pieces[static_cast<size_t>(t.tiling.layer_pieces[1][0])];
  EXPECT_TRUE(p.depthwise.enabled);
  EXPECT_EQ(p.weight.size(), 0);
  EXPECT_EQ(p.out_count, 20);
  EXPECT_EQ(p.in_count, 20 * 9);
  EXPECT_EQ(p.geometry.channel_begin, 0);
  EXPECT_EQ(p.geometry.channel_count, 20);
  EXPECT_EQ(p.depthwise.taps, 9);
}

}  // namespace
}  // namespace aimc
