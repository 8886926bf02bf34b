// The shape-faithful MobileNet-style CNN (models/gen_mobilenet.py): the importer keeps its depthwise convs
// (group = channels) and folds its BNs, the float reference reproduces torch's logits and is deterministic,
// a depthwise conv on a tiny graph gives the values worked out by hand, and `aimcsim run` maps depthwise
// convs (onto the digital units) but stops at other grouped convs with an error naming the node.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <string>

#include "../CliRunner.h"

#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

const std::string kData = AIMCSIM_TEST_DATA;

TEST(MobileNet, ImportsDepthwiseConvsAndFoldsBatchNorm) {
  const Graph g = OnnxImporter::load("models/mobilenet_cifar10.onnx");
  int convs = 0, depthwise = 0, bns = 0, gemms = 0;
  for (const GraphNode& n : g.nodes) {
    convs += n.op == OpKind::kConv;
    bns += n.op == OpKind::kBatchNormalization;
    gemms += n.op == OpKind::kGemm;
    if (n.op == OpKind::kConv && n.group > 1) {
      ++depthwise;
      EXPECT_EQ(n.group, n.weight.rows()) << n.name;  // one filter per channel
      EXPECT_EQ(n.weight.cols(), 9) << n.name;        // [channels, 1 * 3 * 3]
    }
  }
  EXPECT_EQ(convs, 13);  // stem + 6 x (depthwise + pointwise)
  EXPECT_EQ(depthwise, 6);
  EXPECT_EQ(bns, 0);  // every BN follows a Conv and is folded
  EXPECT_EQ(gemms, 1);
  const YAML::Node m = YAML::LoadFile("models/manifest.yaml")["models"]["mobilenet_cifar10"];
  EXPECT_EQ(g.weightCount(), m["weight_count"].as<int64_t>());
  EXPECT_EQ(g.weightCount(), 269760);
  EXPECT_EQ(m["weights"].as<std::string>(), "generated");
}

TEST(MobileNet, FloatReferenceMatchesTorchAndIsDeterministic) {
  const Graph g = OnnxImporter::load("models/mobilenet_cifar10.onnx");
  const ReferenceTensor x = ReferenceTensor::fromNpy(Npy::read(kData + "/onnx/mobilenet_x4.npy"));
  const ReferenceExecutor exec(g);
  const ReferenceTensor y = exec.run(x).output();
  EXPECT_EQ(y.shape, (std::vector<int64_t>{4, 10}));
  const std::vector<float> want = Npy::read(kData + "/onnx/mobilenet_logits4.npy", 2).toFloatVector();
  ASSERT_EQ(y.data.size(), want.size());
  float scale = 0;
  for (float v : want) scale = std::max(scale, std::fabs(v));
  ASSERT_GT(scale, 0.0f);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(y.data[i], want[i], 1e-4f * scale) << i;
  EXPECT_EQ(exec.run(x).output().data, y.data);  // same inputs, same bits
}

TEST(MobileNet, DepthwiseConvByHand) {
  // x: channel 0 = 1..9, channel 1 = 10..18 (row-major 3x3); w0 = [[1, 0], [0, -1]], b0 = 0.5;
  // w1 = all 0.5, b1 = -1 (tests/data/onnx/make_depthwise.py). Channel 0: x(i,j) - x(i+1,j+1) + 0.5 = -3.5
  // everywhere; channel 1: half the 2x2 window sum minus 1 = 23, 25, 29, 31.
  const Graph g = OnnxImporter::load(kData + "/onnx/op_conv_depthwise_hand.onnx");
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.nodes[0].group, 2);
  ReferenceTensor x;
  x.shape = {1, 2, 3, 3};
  for (int i = 1; i <= 18; ++i) x.data.push_back(static_cast<float>(i));
  const ReferenceTensor y = ReferenceExecutor(g).run(x).output();
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 2, 2, 2}));
  EXPECT_EQ(y.data, (std::vector<float>{-3.5f, -3.5f, -3.5f, -3.5f, 23, 25, 29, 31}));
}

// Depthwise convs run on the digital units (tests/unit/mapping/DepthwiseTest runs this model end to end);
// other grouped convs (here group 2 of 4 input and 6 output channels) still stop with the node named.
TEST(MobileNet, RunStopsAtAGroupedConvThatIsNotDepthwise) {
  int status = 0;
  const std::string out = aimc_test::run_cli_all(
      std::string("run --arch arch/hermes.yaml --model ") + kData + "/onnx/op_conv_group.onnx --inputs " +
          kData + "/onnx/op_conv_group_x.npy --out /tmp/aimcsim_group_never",
      &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("'conv'"), std::string::npos) << out;  // the node
  EXPECT_NE(out.find("group 2"), std::string::npos) << out;
  EXPECT_NE(out.find("not mapped"), std::string::npos) << out;
}

}  // namespace
}  // namespace aimc
