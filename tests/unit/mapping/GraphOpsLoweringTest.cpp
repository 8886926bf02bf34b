// The lowerings of the graph operators PyTorch exports (models/pytorch/export_graph_ops.py): a Concat as a
// map of parts read where their producers hold them, activations in the digital units' activation stage
// (fused into the layer before them, or on their own as the identity affine), sequences [N, T, D] as a loop
// over the positions, and an Embedding on int64 token ids as the host's input step.
#include <gtest/gtest.h>

#include <string>

#include "MappingTestSupport.h"
#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/compiler/LayerPlan.h"
#include "aimc/compiler/Mapping.h"
#include "aimc/compiler/TransferPlan.h"

namespace aimc {
namespace {

using mapping_test::absmax_of;
using mapping_test::hermes;

const std::string kModels = "models/pytorch/";

ArchConfig ideal() {
  return load_arch("arch/ideal.yaml");
}

int layer_named(const LayerPlan& plan, const std::string& name) {
  for (size_t i = 0; i < plan.layers.size(); ++i)
    if (plan.layers[i].mapped.name == name) return static_cast<int>(i);
  return -1;
}

// DenseNet-style: relu(a(s)) [4 channels] and relu(b(s)) [2 channels] concatenated, flattened, then a Gemm.
TEST(GraphOpsLowering, ConcatIsAMapOfPartsSharingOneStep) {
  const Graph g = OnnxImporter::load(kModels + "cat_dense_conv.onnx");
  const LayerPlan plan = plan_layers(g, ideal(), absmax_of(g));
  const int a = layer_named(plan, "/a/Conv"), b = layer_named(plan, "/b/Conv");
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  const MapInfo& cat = plan.maps.at("/Concat_output_0");
  EXPECT_EQ(cat.layer, kConcatenatedMap);
  EXPECT_EQ(cat.channels, 6);
  ASSERT_EQ(cat.parts.size(), 2u);
  EXPECT_EQ(cat.parts[0].layer, a);
  EXPECT_EQ(cat.parts[0].offset, 0);
  EXPECT_EQ(cat.parts[1].layer, b);
  EXPECT_EQ(cat.parts[1].offset, 4);
  EXPECT_EQ(cat.parts[1].channels, 2);
  // One INT8 step for both producers and the concatenated map: the largest of their calibrated steps.
  const double step_a = plan.layers[static_cast<size_t>(a)].output.step;
  EXPECT_EQ(step_a, plan.layers[static_cast<size_t>(b)].output.step);
  EXPECT_EQ(step_a, cat.step);
}

// The Gemm reads the flattened concatenated map in HWC order: channel c of pixel px is index 6 px + c. Each
// part's producer sends its channels to those indices (its view shifted by its offset).
TEST(GraphOpsLowering, EachPartLandsAtItsChannelOffsetInTheReader) {
  const Graph g = OnnxImporter::load(kModels + "cat_dense_conv.onnx");
  const ArchConfig arch = ideal();
  const auto absmax = absmax_of(g);
  const LayerPlan plan = plan_layers(g, arch, absmax);
  const Mapping m = map_network(g, arch, absmax);
  const TransferPlan t = plan_transfers(plan, m);
  const int b = layer_named(plan, "/b/Conv");
  const int fc = layer_named(plan, "/fc/Gemm");
  // Part b (2 channels) to the first Gemm piece (HWC indices [0, 256)): pixel px's 2 bytes at 6 px + 4.
  const std::vector<MapReader>& readers = t.readers[static_cast<size_t>(b) + 1];
  const int first_fc_piece = m.layers[static_cast<size_t>(fc)].pieces[0];
  bool found = false;
  for (const MapReader& r : readers) {
    if (r.piece != first_fc_piece) continue;
    found = true;
    const std::vector<TransferRun> runs = transfer_runs(64, 0, 2, r.view);
    ASSERT_FALSE(runs.empty());
    EXPECT_EQ(runs[0].dst, 4);
    EXPECT_EQ(runs[0].src, 0);
    EXPECT_EQ(runs[0].len, 2);
    EXPECT_EQ(runs[0].dst_stride, 6);
  }
  EXPECT_TRUE(found);
}

// nn.GELU after a Linear: fused into it; the last piece works in the step of the sum before the activation
// and its activation stage maps to the output map's step.
TEST(GraphOpsLowering, AnActivationAfterALayerRunsInItsLastPiece) {
  const Graph g = OnnxImporter::load(kModels + "act_gelu.onnx");
  const LayerPlan plan = plan_layers(g, ideal(), absmax_of(g));
  const PlannedLayer& fc1 = plan.layers.at(0);
  ASSERT_GE(fc1.fusion.activation, 0);
  EXPECT_EQ(fc1.fusion.activation_spec.kind, ActivationKind::kGelu);
  EXPECT_NE(fc1.steps.pre, fc1.steps.out);
  EXPECT_EQ(fc1.output.step, fc1.steps.out);
  const Mapping m = map_network(g, ideal(), absmax_of(g));
  const CrossbarPiece& last = m.pieces.at(static_cast<size_t>(m.layers[0].pieces.back()));
  EXPECT_TRUE(last.activation.enabled);
  EXPECT_EQ(last.out_step, fc1.steps.pre);
  EXPECT_EQ(last.activation.out_step, fc1.steps.out);
  EXPECT_FALSE(last.relu2);
}

// nn.PReLU(4) after a Conv: each channel's own slope reaches its piece.
TEST(GraphOpsLowering, PReluSlopesAreCarriedPerChannel) {
  const Graph g = OnnxImporter::load(kModels + "act_prelu.onnx");
  const Mapping m = map_network(g, ideal(), absmax_of(g));
  const CrossbarPiece& conv = m.pieces.at(static_cast<size_t>(m.layers[0].pieces.back()));
  ASSERT_TRUE(conv.activation.enabled);
  ASSERT_EQ(conv.activation.alpha.size(), 4u);
  const GraphNode* prelu = nullptr;
  for (const GraphNode& n : g.nodes)
    if (n.op == OpKind::kActivation) prelu = &n;
  ASSERT_NE(prelu, nullptr);
  for (int c = 0; c < 4; ++c)
    EXPECT_EQ(conv.activation.alpha[static_cast<size_t>(c)], static_cast<double>(prelu->slope[c]));
}

// cos and sin of one Linear's output: two readers, so neither fuses; each is the identity affine (scale
// exactly 1: the input's step is the stage's pre-activation step) with the activation stage.
TEST(GraphOpsLowering, AnActivationOnItsOwnIsTheIdentityAffine) {
  const Graph g = OnnxImporter::load(kModels + "cat_cos_sin.onnx");
  const Mapping m = map_network(g, ideal(), absmax_of(g));
  int stages = 0;
  for (const MappedLayer& l : m.layers) {
    if (!l.affine) continue;
    const CrossbarPiece& p = m.pieces.at(static_cast<size_t>(l.pieces[0]));
    ASSERT_TRUE(p.activation.enabled) << l.name;
    for (Eigen::Index c = 0; c < p.affine_scale.size(); ++c) EXPECT_EQ(p.affine_scale[c], 1.0) << l.name;
    ++stages;
  }
  EXPECT_EQ(stages, 2);
}

// x [N, 2, 2, 2] -> Flatten -> activation -> Gemm 8 -> 3: one function for every feature runs on the
// flattened map as the chip holds it; PReLU's per-channel slopes would not match the HWC order and are
// refused.
Graph flatten_activation_gemm(ActivationKind kind) {
  Graph g;
  g.name = g.source = "flatten_activation_gemm";
  g.inputs = {"x"};
  g.setTensor({"x", {kBatch, 2, 2, 2}});
  GraphNode flatten;
  flatten.name = "flatten";
  flatten.op = OpKind::kFlatten;
  flatten.inputs = {"x"};
  flatten.output = "f";
  GraphNode act;
  act.name = "act";
  act.op = OpKind::kActivation;
  act.activation.kind = kind;
  act.slope = Eigen::VectorXf::Constant(8, 0.1f);
  act.inputs = {"f"};
  act.output = "a";
  g.nodes = {flatten, act, mapping_test::gemm_node("fc", "a", "y", 8, 3)};
  g.outputs = {"y"};
  g.inferShapes();
  return g;
}

TEST(GraphOpsLowering, AnActivationOnAFlattenedMapRunsUnlessItsCoefficientsArePerFeature) {
  const Graph sig = flatten_activation_gemm(ActivationKind::kSigmoid);
  const Mapping m = map_network(sig, ideal(), absmax_of(sig));
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_TRUE(m.layers[0].affine);
  EXPECT_EQ(m.layers[1].in_features, 8);
  const Graph prelu = flatten_activation_gemm(ActivationKind::kPRelu);
  EXPECT_THROW(map_network(prelu, ideal(), absmax_of(prelu)), UserError);
}

// HERMES's digital units have no activation stage: the mapping says which file, key and node.
TEST(GraphOpsLowering, AnArchWithoutTheStageNamesItsKey) {
  const Graph g = OnnxImporter::load(kModels + "act_sigmoid.onnx");
  try {
    map_network(g, hermes(), absmax_of(g));
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("arch/hermes.yaml"), std::string::npos) << what;
    EXPECT_NE(what.find("core.digital_unit.activation.enabled"), std::string::npos) << what;
    EXPECT_NE(what.find("sigmoid"), std::string::npos) << what;
  }
}

// nn.Linear on the 8 rows of an image [N, 8, 8]: the Gemm loops over 8 positions, input held as it is.
TEST(GraphOpsLowering, ASequenceIsALoopOverItsPositions) {
  const Graph g = OnnxImporter::load(kModels + "seq_linear.onnx");
  const Mapping m = map_network(g, ideal(), absmax_of(g));
  EXPECT_TRUE(m.input_sequence);
  EXPECT_EQ(m.input_channels, 8);
  EXPECT_EQ(m.input_pixels, 8);
  EXPECT_TRUE(m.layers[0].conv);
  EXPECT_EQ(m.layers[0].pixels, 8);
  EXPECT_EQ(m.layers[0].in_features, 8);
  EXPECT_FALSE(m.output_sequence);  // the head reads the flattened sequence
}

// int64 tokens through nn.Embedding: the host runs the lookup and streams its output [N, 8, 8] in.
TEST(GraphOpsLowering, AnEmbeddingOnTokenIdsIsTheHostsInputStep) {
  const Graph g = OnnxImporter::load(kModels + "token_embedding.onnx");
  ReferenceTensor tokens = ReferenceTensor::fromNpy(Npy::read(kModels + "token_embedding_x.npy"));
  const Mapping m = map_network(g, ideal(), ReferenceExecutor(g).run(tokens).absmax());
  EXPECT_EQ(m.input_host_step, "/embed/Gather");
  EXPECT_NE(m.input_tensor, g.inputs[0]);
  EXPECT_TRUE(m.input_sequence);
  EXPECT_EQ(m.input_features, 64);
}

}  // namespace
}  // namespace aimc
