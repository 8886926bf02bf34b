// map_network on Conv networks, without simulating: the pieces, chains, fusions and command tables the
// compiler makes, and the errors for what it cannot map.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "MappingTestSupport.h"
#include "aimc/base/Error.h"
#include "aimc/compiler/Mapping.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"
#include "aimc/config/ArchConfig.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

const std::string kData = AIMCSIM_TEST_DATA;

// The HERMES arch with overrides and the calibration every mapping test uses (MappingTestSupport.h).
ArchConfig arch_with(std::initializer_list<const char*> sets = {}) {
  return mapping_test::hermes(sets);
}
using mapping_test::absmax_of;

TEST(MapNetwork, ResNet9TakesThirtySixCrossbarsWithFusedAddsAndPools) {
  const Graph g = OnnxImporter::load("models/resnet9_cifar10.onnx");
  const Mapping m = map_network(g, arch_with(), absmax_of(g));
  EXPECT_EQ(m.pieces.size(), 36u);
  EXPECT_EQ(m.cores_used, 36);
  ASSERT_EQ(m.layers.size(), 9u);
  EXPECT_EQ(m.layers[0].pixels, 1024);
  EXPECT_EQ(m.layers[6].in_slices, 9);  // res3 branch 0: 256 x 2304
  EXPECT_NE(m.layers[3].fused.find("Add(/res1/Add) after the ReLU (residual pass)"), std::string::npos);
  EXPECT_NE(m.layers[7].fused.find("MaxPool 4x4"), std::string::npos);
  EXPECT_EQ(m.output_features, 10);
  EXPECT_EQ(m.input_channels, 3);
  EXPECT_EQ(m.input_pixels, 1024);
  // The residual pass runs on the last piece of the chain, which also receives the skip map.
  const CrossbarPiece& last = m.pieces[static_cast<size_t>(m.layers[3].pieces.back())];
  EXPECT_TRUE(last.residual_pass && last.skip_input && last.relu2);
  // Every conv piece loops over its pixels.
  const auto& table = m.commands[static_cast<size_t>(m.pieces[0].core)];
  EXPECT_TRUE(std::any_of(table.begin(), table.end(),
                          [](const Command& c) { return c.op == CommandOp::kLoop && c.a == 1024; }));
  EXPECT_NE(m.summary().find("conv 3x3 s1 p1 d1 32x32->32x32, 1024 pixels"), std::string::npos)
      << m.summary();
}

TEST(MapNetwork, DigitsCnnFusesTheAddBeforeTheReluIntoOnePass) {
  const Graph g = OnnxImporter::load("models/digits_cnn.onnx");
  const Mapping m = map_network(g, arch_with(), absmax_of(g));
  ASSERT_EQ(m.layers.size(), 4u);
  const CrossbarPiece& p = m.pieces[static_cast<size_t>(m.layers[2].pieces[0])];
  EXPECT_TRUE(p.skip_input && !p.relu1 && p.relu2 && !p.residual_pass);
  EXPECT_TRUE(p.pool.enabled && p.pool.is_max);
  EXPECT_NE(p.side_scale, 1.0);  // the skip's step differs from the output's
}

TEST(MapNetwork, ReadersOfTheSameBytesShareAMulticastGroup) {
  const Graph g = OnnxImporter::load(kData + "/onnx/map_multicast.onnx");
  const Mapping m = map_network(g, arch_with({"core.crossbar.rows=16", "core.adc.count=16"}), absmax_of(g));
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_EQ(m.layers[1].out_slices, 3);
  ASSERT_EQ(m.multicast_groups.size(), 1u);
  EXPECT_EQ(m.multicast_groups[0].size(), 3u);
  const auto& table = m.commands[static_cast<size_t>(m.pieces[0].core)];
  EXPECT_EQ(std::count_if(table.begin(), table.end(),
                          [](const Command& c) { return c.op == CommandOp::kMulticast; }),
            1);
  EXPECT_EQ(std::count_if(
                table.begin(), table.end(),
                [](const Command& c) { return c.op == CommandOp::kSend || c.op == CommandOp::kSendRows; }),
            0);
}

TEST(MapNetwork, TooLargeForTheChipSaysHowManyCrossbars) {
  const Graph g = OnnxImporter::load("models/resnet9_cifar10.onnx");
  const ArchConfig arch = arch_with({"chip.cores=16", "noc.mesh_cols=4", "noc.mesh_rows=4"});
  // Packed as far as it goes (the default, auto, tries), and one piece per core (packing off).
  const std::pair<PackingPolicy, const char*> cases[] = {
      {PackingPolicy::kAuto, "needs 28 crossbars of 256x256 but the chip has 16 cores"},
      {PackingPolicy::kOff, "needs 36 crossbars of 256x256 but the chip has 16 cores"}};
  for (const auto& [policy, message] : cases) {
    try {
      map_network(g, arch, absmax_of(g), policy);
      FAIL() << "expected a UserError";
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
}

void expect_refused(const std::string& file, const std::string& node, const std::string& fragment) {
  const Graph g = OnnxImporter::load(kData + "/onnx/" + file);
  try {
    map_network(g, arch_with(), absmax_of(g));
    FAIL() << "expected a UserError for " << file;
  } catch (const UserError& e) {
    EXPECT_EQ(e.key(), node) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(MapNetwork, UnfusablePoolNamesTheNode) {
  expect_refused("bad_map_pool.onnx", "pool_input", "MaxPool cannot be fused");
}

// An Add no Conv fuses (here of the network input with itself) is a layer of its own on the digital units:
// the map enters once as the input and once as the side input of one crossbar-less piece.
TEST(MapNetwork, AnAddNoConvFusesIsADigitalLayerWithASideInput) {
  const Graph g = OnnxImporter::load(kData + "/onnx/bad_map_add.onnx");
  const Mapping m = map_network(g, arch_with(), absmax_of(g));
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_TRUE(m.layers[0].affine);
  EXPECT_EQ(m.layers[0].name, "add_twice");
  const CrossbarPiece& add = m.pieces[static_cast<size_t>(m.layers[0].pieces.at(0))];
  EXPECT_TRUE(add.skip_input);
  EXPECT_FALSE(add.uses_crossbar());
}

}  // namespace
}  // namespace aimc
