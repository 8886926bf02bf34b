#include "aimc/compiler/OnnxImporter.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "aimc/base/Error.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

const std::string kData = AIMCSIM_TEST_DATA;

std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Imports `file` and expects a UserError naming the file, keyed by `key`, whose message contains every
// fragment.
void expectImportError(const std::string& file, const std::string& key,
                       std::initializer_list<const char*> fragments) {
  std::string path = kData + "/onnx/" + file;
  try {
    OnnxImporter::load(path);
    FAIL() << "expected a UserError for " << file;
  } catch (const UserError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.key(), key) << e.what();
    for (const char* f : fragments) EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
  }
}

TEST(OnnxImporter, DigitsMlpNodesShapesAndWeights) {
  Graph g = OnnxImporter::load("models/digits_mlp.onnx");
  ASSERT_EQ(g.nodes.size(), 5u);
  const OpKind expected[] = {OpKind::kGemm, OpKind::kRelu, OpKind::kGemm, OpKind::kRelu, OpKind::kGemm};
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(g.nodes[i].op, expected[i]) << i;
  EXPECT_EQ(g.nodes[0].weight.rows(), 128);
  EXPECT_EQ(g.nodes[0].weight.cols(), 64);
  EXPECT_EQ(g.nodes[2].weight.rows(), 64);
  EXPECT_EQ(g.nodes[4].weight.rows(), 10);
  EXPECT_TRUE(g.nodes[4].has_bias);
  EXPECT_EQ(g.weightCount(), 17024);
  EXPECT_EQ(g.inputs, (std::vector<std::string>{"input"}));
  EXPECT_EQ(g.outputs, (std::vector<std::string>{"logits"}));
  EXPECT_EQ(g.tensor("input").shape, (std::vector<int64_t>{kBatch, 64}));
  EXPECT_EQ(g.tensor("logits").shape, (std::vector<int64_t>{kBatch, 10}));
  std::string summary = g.summary();
  EXPECT_NE(summary.find("/fc1/Gemm  Gemm  input -> /fc1/Gemm_output_0 [N,128]  W[128x64] +b"),
            std::string::npos)
      << summary;
}

TEST(OnnxImporter, DigitsCnnFoldsBatchNormAndKeepsResidual) {
  Graph g = OnnxImporter::load("models/digits_cnn.onnx");
  std::vector<OpKind> ops;
  for (const GraphNode& n : g.nodes) ops.push_back(n.op);
  // Conv-BN-ReLU, Conv-BN-ReLU, Conv-BN, Add, ReLU, MaxPool, Flatten, Gemm: the three BN are folded away.
  EXPECT_EQ(ops, (std::vector<OpKind>{OpKind::kConv, OpKind::kRelu, OpKind::kConv, OpKind::kRelu,
                                      OpKind::kConv, OpKind::kAdd, OpKind::kRelu, OpKind::kMaxPool,
                                      OpKind::kFlatten, OpKind::kGemm}));
  EXPECT_EQ(g.nodes[0].folded, (std::vector<std::string>{"/bn0/BatchNormalization"}));
  EXPECT_EQ(g.nodes[0].output, "/bn0/BatchNormalization_output_0");
  EXPECT_EQ(g.nodes[0].weight.rows(), 8);
  EXPECT_EQ(g.nodes[0].weight.cols(), 9);
  EXPECT_EQ(g.nodes[2].weight.cols(), 72);  // [out, in * 3 * 3] im2col layout
  EXPECT_EQ(g.nodes[2].window.pads, (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(g.tensor(g.nodes[5].output).shape, (std::vector<int64_t>{kBatch, 8, 8, 8}));
  EXPECT_EQ(g.tensor(g.nodes[7].output).shape, (std::vector<int64_t>{kBatch, 8, 4, 4}));
  EXPECT_EQ(g.tensor(g.nodes[8].output).shape, (std::vector<int64_t>{kBatch, 128}));
  EXPECT_EQ(g.weightCount(), 2504);
}

TEST(OnnxImporter, ResNet9ShapeFaithful) {
  Graph g = OnnxImporter::load("models/resnet9_cifar10.onnx");
  int convs = 0, adds = 0, bns = 0;
  for (const GraphNode& n : g.nodes) {
    convs += n.op == OpKind::kConv;
    adds += n.op == OpKind::kAdd;
    bns += n.op == OpKind::kBatchNormalization;
  }
  EXPECT_EQ(convs, 8);
  EXPECT_EQ(adds, 2);
  EXPECT_EQ(bns, 0);  // every BN follows a Conv and is folded
  EXPECT_EQ(g.weightCount(), 1643872);
  EXPECT_EQ(g.tensor(g.outputs[0]).shape, (std::vector<int64_t>{kBatch, 10}));
}

TEST(OnnxImporter, OperatorNormalForms) {
  Graph mm = OnnxImporter::load(kData + "/onnx/op_matmul_add.onnx");
  ASSERT_EQ(mm.nodes.size(), 1u);
  EXPECT_EQ(mm.nodes[0].op, OpKind::kGemm);
  EXPECT_EQ(mm.nodes[0].weight.rows(), 5);  // W [out, in] from the MatMul's [in, out]
  EXPECT_EQ(mm.nodes[0].folded, (std::vector<std::string>{"bias_add"}));
  EXPECT_EQ(mm.nodes[0].output, "y");
  Graph bn = OnnxImporter::load(kData + "/onnx/op_bn_affine.onnx");
  ASSERT_EQ(bn.nodes.size(), 2u);
  EXPECT_EQ(bn.nodes[1].op, OpKind::kBatchNormalization);  // after a Relu: not foldable
  Graph same = OnnxImporter::load(kData + "/onnx/op_conv_same_upper.onnx");
  EXPECT_EQ(same.nodes[0].window.pads, (std::vector<int64_t>{0, 0, 1, 1}));
  Graph id = OnnxImporter::load(kData + "/onnx/op_identity_dropout.onnx");
  ASSERT_EQ(id.nodes.size(), 1u);
  EXPECT_EQ(id.nodes[0].op, OpKind::kRelu);
  EXPECT_EQ(id.nodes[0].inputs, (std::vector<std::string>{"x"}));
  Graph group = OnnxImporter::load(kData + "/onnx/op_conv_group.onnx");
  EXPECT_EQ(group.nodes[0].group, 2);
  EXPECT_EQ(group.nodes[0].weight.cols(), 18);
}

TEST(OnnxImporter, BadFilesNameFileNodeAndReason) {
  expectImportError("bad_missing_initializer.onnx", "fc", {"Gemm", "missing initializer", "'w'"});
  expectImportError("bad_wrong_shapes.onnx", "fc", {"Gemm", "8 inputs", "[N,9]"});
  expectImportError("bad_add_shapes.onnx", "residual", {"Add", "[N,4]", "[N,8]"});
  expectImportError("bad_unknown_input.onnx", "add", {"Add", "'ghost'", "unknown"});
  expectImportError("bad_cycle.onnx", "graph", {"cycle", "add_b", "relu_c"});
  expectImportError("bad_storage_order.onnx", "pool", {"MaxPool", "storage_order"});
  expectImportError("bad_output_shape.onnx", "y", {"declared", "[?,5]", "[N,4]"});
  expectImportError("does_not_exist.onnx", "file", {"no such file"});
  expectImportError("", "file", {"not a regular file"});
}

// Malformed models of issue 21 (tests/data/onnx/make_malformed.py): a UserError naming the file, the tensor
// and the reason, never a crash, an assertion or an overflow.
TEST(OnnxImporter, GraphWithoutOutputIsRefused) {
  expectImportError("bad_no_output.onnx", "graph.output", {"no output"});
}

TEST(OnnxImporter, EmptyDimensionsAreRefused) {
  expectImportError("bad_gemm_zero_out.onnx", "w", {"empty dimension [0,8]"});
  expectImportError("bad_output_zero_dim.onnx", "y", {"empty or negative dimension 1"});
}

TEST(OnnxImporter, HugeDimensionsAreRefusedWithoutOverflow) {
  expectImportError("bad_input_huge_dims.onnx", "x", {"4611686018427387904"});
  expectImportError("bad_initializer_huge_dims.onnx", "w", {"4611686018427387904"});
}

TEST(OnnxImporter, TruncatedAndGarbageInput) {
  std::string model = fileBytes("models/digits_mlp.onnx");
  ASSERT_GT(model.size(), 1000u);
  // Cut inside the weights: the protobuf no longer parses, or what remains lacks initializers/nodes.
  for (size_t cut : {model.size() / 2, model.size() - 7, size_t{5}, size_t{100}}) {
    try {
      OnnxImporter::parse("cut.onnx", model.substr(0, cut));
      FAIL() << "cut at " << cut << " bytes imported";
    } catch (const UserError& e) {
      EXPECT_EQ(e.file(), "cut.onnx");
    }
  }
  try {
    OnnxImporter::parse("cut.onnx", model.substr(0, model.size() / 2));
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  EXPECT_THROW(OnnxImporter::parse("garbage.onnx", std::string(300, '\xff')), UserError);
  EXPECT_THROW(OnnxImporter::parse("empty.onnx", ""), UserError);
  EXPECT_THROW(OnnxImporter::parse("text.onnx", "name: \"not a model\"\n"), UserError);
}

}  // namespace
}  // namespace aimc

namespace aimc {
namespace {

// Corrupted models never crash the importer: each single-byte change either still imports or is a UserError.
TEST(OnnxImporter, CorruptedBytesAreRejectedCleanly) {
  const std::string model = fileBytes("models/digits_cnn.onnx");
  int rejected = 0;
  for (size_t step = 0; step < 400; ++step) {
    std::string bad = model;
    size_t at = (step * 7919) % bad.size();  // spread over header, graph and weights
    bad[at] = static_cast<char>(bad[at] ^ static_cast<char>(1 + step % 255));
    try {
      Graph g = OnnxImporter::parse("corrupt.onnx", bad);
      EXPECT_FALSE(g.nodes.empty());
    } catch (const UserError&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace aimc
