// The layer plan on its own: which nodes become layers, what each fuses, the INT8 steps, the maps it reads
// and makes, and the lowering of each operator kind.
#include <gtest/gtest.h>

#include <string>

#include "MappingTestSupport.h"
#include "aimc/base/Error.h"
#include "aimc/compiler/LayerLowering.h"
#include "aimc/compiler/LayerPlan.h"

namespace aimc {
namespace {

using mapping_test::absmax_of;
using mapping_test::gemm_graph;
using mapping_test::hermes;
using mapping_test::kOnnx;

LayerPlan plan_of(const Graph& g, std::initializer_list<const char*> sets = {}) {
  return plan_layers(g, hermes(sets), absmax_of(g));
}

TEST(LayerPlan, AGemmWithItsReluIsOneLayerReadingTheNetworkInput) {
  const Graph g = gemm_graph(64, 10, true);
  const auto absmax = absmax_of(g);
  const LayerPlan plan = plan_layers(g, hermes(), absmax);
  ASSERT_EQ(plan.layers.size(), 1u);
  const PlannedLayer& l = plan.layers[0];
  EXPECT_EQ(l.node, 0);
  EXPECT_TRUE(l.fusion.relu_pre && !l.fusion.relu_post && l.fusion.add < 0 && l.fusion.pool < 0);
  EXPECT_EQ(l.fusion.last, "z");
  EXPECT_TRUE(l.mapped.relu);
  EXPECT_EQ(l.input.layer, -1);
  EXPECT_EQ(plan.output.layer, 0);
  EXPECT_EQ(plan.maps.count("z"), 1u);
  EXPECT_EQ(plan.maps.count("y"), 0u);  // fused: never an INT8 map of its own
  EXPECT_FALSE(l.skip.has_value());
  // One piece per chain: partial sums never leave the crossbar, so their step is the output's.
  EXPECT_EQ(l.mapped.in_slices, 1);
  EXPECT_DOUBLE_EQ(l.steps.out, absmax.at("z") / 127);
  EXPECT_DOUBLE_EQ(l.steps.psum, l.steps.out);
  EXPECT_DOUBLE_EQ(plan.input.step, absmax.at("x") / 127);
}

TEST(LayerPlan, PartialSumsOfALongChainAreCalibratedOnTheSumBeforeTheRelu) {
  const Graph g = gemm_graph(600, 10, true);
  const auto absmax = absmax_of(g);
  const LayerPlan plan = plan_layers(g, hermes(), absmax);
  const PlannedLayer& l = plan.layers[0];
  EXPECT_EQ(l.mapped.in_slices, 3);
  EXPECT_DOUBLE_EQ(l.steps.psum, std::min(3.75 * l.steps.out, absmax.at("y") / 127));
}

TEST(LayerPlan, AClipSetsTheOutputStepSoThatInt8SaturatesAtItsMaximum) {
  const LayerPlan plan = plan_of(OnnxImporter::load(kOnnx + "map_clip.onnx"));
  ASSERT_EQ(plan.layers.size(), 1u);
  EXPECT_DOUBLE_EQ(plan.layers[0].fusion.clip_pre, 2.0);
  EXPECT_DOUBLE_EQ(plan.layers[0].steps.out, 2.0 / 127);
}

TEST(LayerPlan, ResNet9FusesItsResidualAddsWithAResidualPassOnLongChains) {
  const LayerPlan plan = plan_of(OnnxImporter::load("models/resnet9_cifar10.onnx"));
  ASSERT_EQ(plan.layers.size(), 9u);
  const PlannedLayer& res = plan.layers[3];
  EXPECT_GE(res.fusion.add, 0);
  EXPECT_TRUE(res.fusion.relu_pre && res.residual_pass);
  ASSERT_TRUE(res.skip.has_value());
  EXPECT_EQ(res.skip->layer, 1);  // the block's input: layer 1's pooled output
  EXPECT_NE(res.steps.mid, res.steps.out);
  EXPECT_TRUE(plan.layers[7].pool.enabled && plan.layers[7].pool.is_max);
  EXPECT_EQ(plan.layers[7].output.pixels(), 1);
  EXPECT_EQ(plan.output.layer, 8);
  EXPECT_EQ(plan.output.channels, 10);
}

TEST(LayerPlan, AnAddBeforeTheReluEntersTheChainWithoutAResidualPass) {
  const LayerPlan plan = plan_of(OnnxImporter::load(kOnnx + "map_res_before.onnx"));
  ASSERT_EQ(plan.layers.size(), 2u);
  const PlannedLayer& l = plan.layers[1];
  EXPECT_TRUE(l.fusion.add >= 0 && !l.fusion.relu_pre && l.fusion.relu_post && !l.residual_pass);
  EXPECT_DOUBLE_EQ(l.steps.skip, plan.layers[0].output.step);
  EXPECT_EQ(l.mapped.fused, "Add(add) before the ReLU");
}

TEST(LayerPlan, AnAveragePoolGetsItsOwnStepThroughAQ16Scale) {
  const LayerPlan plan = plan_of(OnnxImporter::load(kOnnx + "map_gap_gemm.onnx"));
  ASSERT_EQ(plan.layers.size(), 2u);
  const PlannedLayer& conv = plan.layers[0];
  ASSERT_TRUE(conv.pool.enabled);
  EXPECT_FALSE(conv.pool.is_max);
  EXPECT_NE(conv.pool.scale_q16, 65536);
  EXPECT_DOUBLE_EQ(conv.output.step, conv.steps.out * 65536.0 / static_cast<double>(conv.pool.scale_q16));
  EXPECT_EQ(plan.layers[1].input.layer, 0);
}

TEST(LayerPlan, AGemmAfterAFlattenReadsTheMapInHwcOrder) {
  const Graph g = OnnxImporter::load(kOnnx + "map_flatten_gemm.onnx");
  const LayerPlan plan = plan_of(g);
  ASSERT_EQ(plan.layers.size(), 2u);
  const PlannedLayer& fc = plan.layers[1];
  ASSERT_TRUE(fc.input.flattened);
  const int64_t channels = fc.input.channels, pixels = fc.input.pixels();
  ASSERT_GT(pixels, 1);
  const Eigen::MatrixXf& onnx = g.nodes[static_cast<size_t>(fc.node)].weight;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t px = 0; px < pixels; ++px)
      EXPECT_EQ(fc.weight.col(px * channels + c), onnx.col(c * pixels + px));
}

TEST(LayerPlan, ADepthwiseConvIsALayerOfTheDigitalUnits) {
  const LayerPlan plan = plan_of(OnnxImporter::load(kOnnx + "map_dw_block.onnx"));
  ASSERT_EQ(plan.layers.size(), 3u);
  EXPECT_TRUE(plan.layers[1].mapped.depthwise);
  EXPECT_EQ(plan.layers[1].mapped.in_slices, 1);
  EXPECT_EQ(plan.layers[1].mapped.fused, "depthwise on the digital unit (crossbar unused)");
}

TEST(LayerPlan, EachOperatorKindHasItsLowering) {
  EXPECT_EQ(lowering_for(OpKind::kConv), &lower_crossbar_layer);
  EXPECT_EQ(lowering_for(OpKind::kGemm), &lower_crossbar_layer);
  EXPECT_EQ(lowering_for(OpKind::kFlatten), &lower_flatten);
  EXPECT_EQ(lowering_for(OpKind::kReshape), &lower_flatten);
  EXPECT_EQ(lowering_for(OpKind::kSoftmax), &lower_final_softmax);
  EXPECT_EQ(lowering_for(OpKind::kAdd), &lower_add_of_maps);
  EXPECT_EQ(lowering_for(OpKind::kMaxPool), &refuse_unfused_pool);
  EXPECT_EQ(lowering_for(OpKind::kRelu), &refuse_unfused_relu);
  EXPECT_EQ(lowering_for(OpKind::kBatchNormalization), &lower_channel_affine);
}

TEST(LayerPlan, AReluOnTheNetworkInputIsRefusedNamingItsNode) {
  Graph g;
  g.name = g.source = "relu_first";
  g.inputs = {"x"};
  g.outputs = {"y"};
  g.setTensor({"x", {kBatch, 8}});
  GraphNode relu;
  relu.name = "relu_first";
  relu.op = OpKind::kRelu;
  relu.inputs = {"x"};
  relu.output = "r";
  g.nodes.push_back(relu);
  g.nodes.push_back(mapping_test::gemm_node("fc", "r", "y", 8, 4));
  g.inferShapes();
  try {
    plan_of(g);
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(e.key(), "relu_first");
    EXPECT_NE(std::string(e.what()).find("Relu cannot be fused"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace aimc
