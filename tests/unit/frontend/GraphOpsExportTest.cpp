// The networks of models/pytorch/export_graph_ops.py (standard torch.nn modules exported by torch 1.13 with
// torch.onnx.export defaults): each imports into the expected graph operators, and the float reference
// reproduces torch's outputs on 128 inputs within 1e-4 absolute + 1e-4 relative (torch computes in float32,
// the reference accumulates in double; the largest difference seen is 4.2e-5, on cat_dense_conv whose logits
// reach tens) with the same argmax on every
// input. Until the lead's lowerings land, `aimcsim run` stops at each new operator with an error naming the
// node, the operator in words and what would run it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../CliRunner.h"

#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"

namespace aimc {
namespace {

const std::string kModels = "models/pytorch/";

struct ExportCase {
  const char* name;
  OpKind op;                  // the new operator the network must import into
  ActivationKind activation;  // for op == kActivation
  size_t folded;              // ONNX nodes merged into that node (the matched pattern's other nodes)
};

std::ostream& operator<<(std::ostream& os, const ExportCase& c) {
  return os << c.name;
}

class GraphOpsExport : public ::testing::TestWithParam<ExportCase> {};

const GraphNode* findNode(const Graph& g, const ExportCase& c) {
  for (const GraphNode& n : g.nodes)
    if (n.op == c.op && (c.op != OpKind::kActivation || n.activation.kind == c.activation)) return &n;
  return nullptr;
}

TEST_P(GraphOpsExport, ImportsTheOperator) {
  const ExportCase& c = GetParam();
  Graph g = OnnxImporter::load(kModels + c.name + ".onnx");
  const GraphNode* node = findNode(g, c);
  ASSERT_NE(node, nullptr) << g.summary();
  EXPECT_EQ(node->folded.size(), c.folded) << g.summary();
}

TEST_P(GraphOpsExport, FloatReferenceMatchesTorch) {
  const ExportCase& c = GetParam();
  const std::string base = kModels + c.name;
  Graph g = OnnxImporter::load(base + ".onnx");
  ReferenceTensor x = ReferenceTensor::fromNpy(Npy::read(base + "_x.npy"));
  NpyArray expected = Npy::read(base + "_logits.npy");
  ReferenceTensor y = ReferenceExecutor(g).run(x).output();
  ASSERT_EQ(y.shape, expected.shape);
  ASSERT_GE(y.batch(), 64);
  std::vector<float> want = expected.toFloatVector();
  double worst = 0.0;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(y.data[i], want[i], 1e-4 + 1e-4 * std::fabs(want[i])) << "element " << i;
    worst = std::max(worst, std::fabs(static_cast<double>(y.data[i]) - want[i]));
  }
  ReferenceTensor torch_logits{expected.shape, want};
  EXPECT_EQ(ReferenceExecutor::argmax(y), ReferenceExecutor::argmax(torch_logits));
  RecordProperty("max_abs_difference", std::to_string(worst));
}

INSTANTIATE_TEST_SUITE_P(
    Torch, GraphOpsExport,
    ::testing::Values(ExportCase{"act_sigmoid", OpKind::kActivation, ActivationKind::kSigmoid, 0},
                      ExportCase{"act_tanh", OpKind::kActivation, ActivationKind::kTanh, 0},
                      ExportCase{"act_gelu", OpKind::kActivation, ActivationKind::kGelu, 4},
                      ExportCase{"act_gelu_tanh", OpKind::kActivation, ActivationKind::kGeluTanh, 8},
                      ExportCase{"act_silu", OpKind::kActivation, ActivationKind::kSilu, 1},
                      ExportCase{"act_leaky_relu", OpKind::kActivation, ActivationKind::kLeakyRelu, 0},
                      ExportCase{"act_prelu", OpKind::kActivation, ActivationKind::kPRelu, 0},
                      ExportCase{"act_elu", OpKind::kActivation, ActivationKind::kElu, 0},
                      ExportCase{"act_hardsigmoid", OpKind::kActivation, ActivationKind::kHardSigmoid, 0},
                      ExportCase{"act_hardswish", OpKind::kActivation, ActivationKind::kHardSwish, 0},
                      ExportCase{"act_hardswish_opset13", OpKind::kActivation, ActivationKind::kHardSwish, 1},
                      ExportCase{"act_hardtanh", OpKind::kActivation, ActivationKind::kHardtanh, 0},
                      ExportCase{"cat_cos_sin", OpKind::kConcat, ActivationKind::kRelu, 0},
                      ExportCase{"cat_dense_conv", OpKind::kConcat, ActivationKind::kRelu, 0},
                      ExportCase{"mul_gating", OpKind::kMul, ActivationKind::kRelu, 0},
                      ExportCase{"log_softmax_head", OpKind::kLogSoftmax, ActivationKind::kRelu, 0},
                      ExportCase{"seq_linear", OpKind::kGemm, ActivationKind::kRelu, 1},
                      ExportCase{"token_embedding", OpKind::kEmbedding, ActivationKind::kRelu, 0}),
    [](const ::testing::TestParamInfo<ExportCase>& info) { return std::string(info.param.name); });

TEST(GraphOpsExport, GraphsHaveTheExpectedShapesAndParameters) {
  Graph prelu = OnnxImporter::load(kModels + "act_prelu.onnx");
  ASSERT_EQ(prelu.nodes[1].op, OpKind::kActivation);
  EXPECT_EQ(prelu.nodes[1].slope.size(), 4);  // nn.PReLU(4): one slope per conv channel

  Graph hardtanh = OnnxImporter::load(kModels + "act_hardtanh.onnx");
  EXPECT_EQ(hardtanh.nodes[1].activation, (ActivationSpec{ActivationKind::kHardtanh, -1.0, 1.0}));

  Graph leaky = OnnxImporter::load(kModels + "act_leaky_relu.onnx");
  EXPECT_NEAR(leaky.nodes[1].activation.alpha, 0.1, 1e-7);

  Graph dense = OnnxImporter::load(kModels + "cat_dense_conv.onnx");
  const GraphNode* cat = findNode(dense, ExportCase{"", OpKind::kConcat, ActivationKind::kRelu, 0});
  ASSERT_NE(cat, nullptr);
  EXPECT_EQ(dense.tensor(cat->output).shape, (std::vector<int64_t>{kBatch, 6, 8, 8}));

  Graph seq = OnnxImporter::load(kModels + "seq_linear.onnx");
  EXPECT_EQ(seq.tensor(seq.nodes[0].output).shape, (std::vector<int64_t>{kBatch, 8, 16}));
  EXPECT_TRUE(seq.nodes[0].has_bias);  // MatMul + Add folded

  Graph tokens = OnnxImporter::load(kModels + "token_embedding.onnx");
  EXPECT_TRUE(tokens.tensor(tokens.inputs[0]).token_ids);
  EXPECT_EQ(tokens.nodes[0].weight.rows(), 16);  // nn.Embedding(16, 8)
  EXPECT_EQ(tokens.tensor(tokens.nodes[0].output).shape, (std::vector<int64_t>{kBatch, 8, 8}));
  EXPECT_EQ(tokens.tensor(tokens.nodes[1].output).shape, (std::vector<int64_t>{kBatch, 8, 8}));
}

// Until the lowerings exist, the chip run stops with the node, the operator in words and what would run it.
TEST(GraphOpsExport, ChipRunRefusesTheNewOperatorsInWords) {
  struct Refusal {
    const char* model;
    const char* words;
  };
  for (const Refusal& r : {Refusal{"mul_gating", "element-wise product of two activations"}}) {
    int status = 0;
    const std::string out = aimc_test::run_cli_all(std::string("run --arch arch/ideal.yaml --model ") +
                                                       kModels + r.model + ".onnx --inputs " + kModels +
                                                       r.model + "_x.npy --out /tmp/aimcsim_graph_ops_never",
                                                   &status);
    EXPECT_EQ(status, 2) << r.model << ": " << out;
    EXPECT_NE(out.find("not yet mapped onto the chip"), std::string::npos) << r.model << ": " << out;
    EXPECT_NE(out.find(r.words), std::string::npos) << r.model << ": " << out;
  }
}

}  // namespace
}  // namespace aimc
