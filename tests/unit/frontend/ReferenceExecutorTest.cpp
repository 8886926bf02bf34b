#include "aimc/compiler/ReferenceExecutor.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

const std::string kData = AIMCSIM_TEST_DATA;

int correctOnDigits(const std::string& model, const std::string& inputs) {
  Graph g = OnnxImporter::load(model);
  ReferenceExecutor executor(g);
  ReferenceExecutor::Result r = executor.run(ReferenceTensor::fromNpy(Npy::read(inputs)));
  std::vector<int32_t> predicted = ReferenceExecutor::argmax(r.output());
  std::vector<int32_t> labels = Npy::read("traces/digits_test_y.npy", 1).toInt32Vector();
  EXPECT_EQ(predicted.size(), labels.size());
  int correct = 0;
  for (size_t i = 0; i < labels.size(); ++i) correct += predicted[i] == labels[i];
  return correct;
}

// The manifest's float accuracy (from torch at export time) is reproduced exactly, and the first logits match
// the values the training script saved within 1e-4.
TEST(ReferenceExecutor, DigitsModelsReproduceManifestAccuracyAndLogits) {
  YAML::Node manifest = YAML::LoadFile("models/manifest.yaml")["models"];
  struct Case {
    const char* name;
    const char* inputs;
  };
  for (Case c : {Case{"digits_mlp", "traces/digits_test_x.npy"},
                 Case{"digits_cnn", "traces/digits_test_x_nchw.npy"}}) {
    SCOPED_TRACE(c.name);
    std::string model = "models/" + std::string(c.name) + ".onnx";
    EXPECT_EQ(correctOnDigits(model, c.inputs), manifest[c.name]["test_correct"].as<int>());

    Graph g = OnnxImporter::load(model);
    NpyArray all = Npy::read(c.inputs);
    all.shape[0] = 8;
    all.bytes.resize(static_cast<size_t>(all.elementCount()) * 4);
    ReferenceTensor logits = ReferenceExecutor(g).run(ReferenceTensor::fromNpy(all)).output();
    std::vector<float> expected =
        Npy::read(kData + "/onnx/" + std::string(c.name) + "_logits_first8.npy", 2).toFloatVector();
    ASSERT_EQ(logits.data.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(logits.data[i], expected[i], 1e-4) << i;
  }
}

TEST(ReferenceExecutor, ReturnsEveryIntermediateTensor) {
  Graph g = OnnxImporter::load("models/digits_cnn.onnx");
  NpyArray x = Npy::read("traces/digits_test_x_nchw.npy");
  x.shape[0] = 2;
  x.bytes.resize(2 * 64 * 4);
  ReferenceExecutor::Result r = ReferenceExecutor(g).run(ReferenceTensor::fromNpy(x));
  EXPECT_EQ(r.tensors.size(), g.nodes.size() + 1);
  for (const GraphNode& n : g.nodes) {
    ASSERT_TRUE(r.tensors.count(n.output)) << n.output;
    std::vector<int64_t> shape = g.tensor(n.output).shape;
    shape[0] = 2;
    EXPECT_EQ(r.tensors.at(n.output).shape, shape) << n.name;
  }
  // Relu outputs are non-negative and not all zero.
  const ReferenceTensor& relu = r.tensors.at(g.nodes[1].output);
  float peak = 0.0f;
  for (float v : relu.data) {
    ASSERT_GE(v, 0.0f);
    peak = std::max(peak, v);
  }
  EXPECT_GT(peak, 0.0f);
}

TEST(ReferenceExecutor, RejectsInputsOfTheWrongShape) {
  Graph g = OnnxImporter::load("models/digits_mlp.onnx");
  ReferenceExecutor executor(g);
  EXPECT_THROW(executor.run(ReferenceTensor{{2, 63}, std::vector<float>(126)}), UserError);
  EXPECT_THROW(executor.run(ReferenceTensor{{2, 64}, std::vector<float>(127)}), UserError);
  EXPECT_THROW(executor.run(std::map<std::string, ReferenceTensor>{}), UserError);
}

// Every operator against PyTorch's functional implementation (tests/data/onnx/make_cases.py), float32 outputs
// within 1e-5 relative + 1e-5 absolute.
class OperatorCase : public ::testing::TestWithParam<const char*> {};

TEST_P(OperatorCase, MatchesPyTorch) {
  std::string base = kData + "/onnx/" + GetParam();
  Graph g = OnnxImporter::load(base + ".onnx");
  ReferenceTensor x = ReferenceTensor::fromNpy(Npy::read(base + "_x.npy"));
  NpyArray expected = Npy::read(base + "_y.npy");
  ReferenceTensor y = ReferenceExecutor(g).run(x).output();
  ASSERT_EQ(y.shape, expected.shape);
  std::vector<float> want = expected.toFloatVector();
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(y.data[i], want[i], 1e-5 + 1e-5 * std::fabs(want[i])) << "element " << i;
}

INSTANTIATE_TEST_SUITE_P(Onnx, OperatorCase,
                         ::testing::Values("op_gemm_transb", "op_gemm_plain", "op_matmul_add",
                                           "op_conv_stride_pad_dilation", "op_conv_group",
                                           "op_conv_same_upper", "op_relu", "op_clip", "op_clip_opset9",
                                           "op_conv_bn", "op_bn_affine", "op_add", "op_maxpool", "op_avgpool",
                                           "op_avgpool_include_pad_ceil", "op_global_avgpool",
                                           "op_flatten_gemm", "op_reshape", "op_softmax", "op_softmax_axis1",
                                           "op_identity_dropout"));

}  // namespace
}  // namespace aimc
