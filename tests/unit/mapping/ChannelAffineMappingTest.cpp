// The lowering of a BatchNormalization on its own: one affine piece per `rows` channels on a core of its own,
// the scale register in output steps per input step, a fused ReLU, and the kAffine command in its table.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "MappingTestSupport.h"
#include "aimc/base/Error.h"
#include "aimc/compiler/Mapping.h"

namespace aimc {
namespace {

using mapping_test::absmax_of;
using mapping_test::hermes;
using mapping_test::kOnnx;

const GraphNode& node_named(const Graph& g, const std::string& name) {
  for (const GraphNode& n : g.nodes)
    if (n.name == name) return n;
  throw std::runtime_error("no node " + name);
}

TEST(ChannelAffineMapping, PreActivationBatchNormsBecomeAffinePiecesWithoutCrossbars) {
  const Graph g = OnnxImporter::load(kOnnx + "preact_cnn.onnx");
  const Mapping m = map_network(g, hermes(), absmax_of(g));
  ASSERT_EQ(m.layers.size(), 5u);
  EXPECT_TRUE(m.layers[0].affine);
  EXPECT_TRUE(m.layers[2].affine);
  EXPECT_TRUE(m.layers[2].relu);  // bn2's ReLU runs in the same pass
  EXPECT_FALSE(m.layers[1].affine);
  EXPECT_EQ(m.cores_used, 5);
  EXPECT_EQ(m.crossbars_used, 3);
  const CrossbarPiece& p = m.pieces[static_cast<size_t>(m.layers[2].pieces[0])];
  EXPECT_TRUE(p.affine);
  EXPECT_FALSE(p.uses_crossbar());
  EXPECT_TRUE(p.relu2);
  EXPECT_EQ(p.out_count, 8);
  EXPECT_EQ(p.geometry.slot_bytes(), 64 * 8);
  // scale register = BN scale * input step / output step; bias register = BN shift / output step.
  const GraphNode& bn = node_named(g, m.layers[2].name);
  for (int64_t c = 0; c < p.out_count; ++c) {
    EXPECT_NEAR(p.affine_scale[c], bn.scale(c) * m.layers[2].in_step / p.out_step, 1e-9);
    EXPECT_NEAR(p.bias_lsb[c], bn.shift(c) / p.out_step, 1e-4);
  }
  const std::vector<Command>& table = m.commands[static_cast<size_t>(p.core)];
  const auto it =
      std::find_if(table.begin(), table.end(), [](const Command& c) { return c.op == CommandOp::kAffine; });
  ASSERT_NE(it, table.end());
  const isa::Affine a = isa::Affine::decode(*it);
  EXPECT_EQ(a.pixels, 64u);
  EXPECT_EQ(a.channels, 8u);
  EXPECT_NE(m.summary().find("per-channel affine"), std::string::npos);
}

TEST(ChannelAffineMapping, ChannelsBeyondTheRowsSplitIntoPiecesOnTheirOwnCores) {
  const Graph g = OnnxImporter::load(kOnnx + "preact_mlp.onnx");
  const Mapping m = map_network(g, hermes({"core.crossbar.rows=12", "core.adc.count=12"}), absmax_of(g));
  const MappedLayer& bn1 = m.layers[2];  // 32 channels on 12-row cores: 12 + 12 + 8
  ASSERT_TRUE(bn1.affine);
  ASSERT_EQ(bn1.pieces.size(), 3u);
  EXPECT_EQ(m.pieces[static_cast<size_t>(bn1.pieces[2])].out_begin, 24);
  EXPECT_EQ(m.pieces[static_cast<size_t>(bn1.pieces[2])].out_count, 8);
}

TEST(ChannelAffineMapping, ABatchNormOverAFlattenedMapIsRefusedNamingTheNode) {
  const Graph g = OnnxImporter::load(kOnnx + "bad_flat_bn.onnx");
  try {
    map_network(g, hermes(), absmax_of(g));
    FAIL() << "mapped a BatchNormalization over a flattened map";
  } catch (const UserError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/bn/BatchNormalization"), std::string::npos) << what;
    EXPECT_NE(what.find("flattened map"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace aimc
