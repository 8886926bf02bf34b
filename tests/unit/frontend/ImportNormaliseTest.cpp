// Import normalisation (compiler/ImportNormalise.h): each pass on small hand-built ONNX graphs
// (normalise/make_normalise_graphs.py, expected outputs computed there with torch), the refusals with the
// node named, and the folding functions and graph passes on their own.
#include "aimc/compiler/ImportNormalise.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"

namespace aimc {
namespace {

const std::string kDir = "tests/unit/frontend/normalise/";

bool hasOp(const Graph& g, OpKind op) {
  return std::any_of(g.nodes.begin(), g.nodes.end(), [&](const GraphNode& n) { return n.op == op; });
}
const GraphNode& nodeNamed(const Graph& g, const std::string& name) {
  for (const GraphNode& n : g.nodes)
    if (n.name == name) return n;
  ADD_FAILURE() << "no node " << name << " in\n" << g.summary();
  return g.nodes.front();
}
bool folds(const GraphNode& n, const std::string& name) {
  return std::count(n.folded.begin(), n.folded.end(), name) > 0;
}

// The imported graph's float reference on <name>_x.npy against torch's <name>_y.npy: the two differ only in
// summation order (float32 in torch, double here), so 1e-5 of the largest output bounds the difference.
Graph expectFollowsTorch(const std::string& name) {
  const Graph g = OnnxImporter::load(kDir + name + ".onnx");
  const ReferenceTensor y =
      ReferenceExecutor(g).run(ReferenceTensor::fromNpy(Npy::read(kDir + name + "_x.npy"))).output();
  const NpyArray expected = Npy::read(kDir + name + "_y.npy");
  const std::vector<float> e = expected.toFloatVector();
  EXPECT_EQ(y.shape, expected.shape) << name;
  EXPECT_EQ(y.data.size(), e.size()) << name;
  double largest = 0.0, worst = 0.0;
  for (size_t i = 0; i < std::min(e.size(), y.data.size()); ++i) {
    largest = std::max(largest, std::fabs(static_cast<double>(e[i])));
    worst = std::max(worst, std::fabs(static_cast<double>(y.data[i]) - e[i]));
  }
  EXPECT_LE(worst, 1e-5 * largest) << name << "\n" << g.summary();
  return g;
}

void expectRefused(const std::string& name, const std::string& key,
                   std::initializer_list<const char*> fragments) {
  const std::string path = kDir + name + ".onnx";
  try {
    OnnxImporter::load(path);
    ADD_FAILURE() << "expected a UserError for " << name;
  } catch (const UserError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.key(), key) << e.what();
    for (const char* f : fragments) EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
  }
}

// ---- Pad
// ---------------------------------------------------------------------------------------------------
TEST(ImportNormalise, PadFoldsIntoTheConvPads) {
  const Graph g = expectFollowsTorch("pad_conv");
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.nodes[0].window.pads, (std::vector<int64_t>{1, 2, 1, 0}));
  EXPECT_TRUE(folds(g.nodes[0], "pad"));
}

TEST(ImportNormalise, PadBeforeAveragePoolCountsTheZeros) {
  const Graph g = expectFollowsTorch("pad_avgpool");
  const GraphNode& pool = nodeNamed(g, "pool");
  EXPECT_TRUE(pool.window.count_include_pad);
  EXPECT_EQ(pool.window.pads, (std::vector<int64_t>{1, 1, 1, 1}));
}

TEST(ImportNormalise, PadBeforeMaxPoolFoldsAfterARelu) {
  const Graph g = expectFollowsTorch("pad_maxpool");
  EXPECT_EQ(nodeNamed(g, "pool").window.pads, (std::vector<int64_t>{1, 1, 1, 1}));
  expectRefused("pad_maxpool_signed", "pool", {"non-negative", "'pad'"});
}

TEST(ImportNormalise, OtherPadsAreRefusedNamingTheNode) {
  expectRefused("pad_reflect", "pad", {"Pad", "reflect"});
  expectRefused("pad_value", "pad", {"Pad", "1.5", "zero padding"});
  expectRefused("pad_channels", "pad", {"Pad", "channel axis"});
  expectRefused("pad_then_relu", "relu", {"Pad 'pad'", "Conv, AveragePool or MaxPool"});
}

// ---- constant arithmetic
// -----------------------------------------------------------------------------------
TEST(ImportNormalise, ConstantScaleFoldsIntoTheFollowingConvAndAFinalSubStaysAnAffine) {
  const Graph g = expectFollowsTorch("affine_into_reader");
  EXPECT_TRUE(folds(nodeNamed(g, "conv"), "scale")) << g.summary();
  const GraphNode& flip = nodeNamed(g, "flip");
  EXPECT_EQ(flip.op, OpKind::kBatchNormalization);
  EXPECT_EQ(flip.scale, Eigen::VectorXf::Constant(3, -1.0f));
  EXPECT_EQ(flip.shift, Eigen::VectorXf::Constant(3, 2.0f));
}

TEST(ImportNormalise, ConstantArithmeticThatIsNotPerChannelIsRefused) {
  expectRefused("mul_spatial", "mul", {"Mul", "[1,1,5,5]", "one per channel"});
  expectRefused("div_by_activation", "div", {"Div", "not an affine"});
}

// ---- views, shapes, reductions
// -----------------------------------------------------------------------------
TEST(ImportNormalise, LayoutOnlyTransposeIsAView) {
  const Graph g = expectFollowsTorch("transpose_layout");
  EXPECT_EQ(nodeNamed(g, "flat").op, OpKind::kFlatten);  // the Transpose view merged into the Flatten
  EXPECT_TRUE(folds(nodeNamed(g, "flat"), "tr"));
  expectRefused("transpose_data", "tr", {"Transpose", "reorders data", "[0,2,3,1]"});
}

TEST(ImportNormalise, ShapeArithmeticFoldsAndKeepsTheBatchSymbolic) {
  const Graph g = expectFollowsTorch("shape_arith");
  EXPECT_EQ(nodeNamed(g, "reshape").reshape, (std::vector<int64_t>{kBatch, 50}));
  EXPECT_TRUE(folds(nodeNamed(g, "fc"), "mul"));
  expectRefused("batch_not_first", "reshape", {"batch size in dimension 1"});
}

TEST(ImportNormalise, ReduceMeanOverHeightAndWidthIsAGlobalPool) {
  const Graph g = expectFollowsTorch("reduce_mean_keep");
  EXPECT_TRUE(hasOp(g, OpKind::kGlobalAveragePool));
  expectRefused("reduce_mean_channels", "mean", {"ReduceMean", "[1]", "global average pool"});
}

TEST(ImportNormalise, OneDimensionalLayersRunAsOneByKWindows) {
  const Graph g = expectFollowsTorch("conv1d_inner");
  const GraphNode& conv = nodeNamed(g, "conv");
  EXPECT_EQ(conv.window.kernel, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(conv.window.pads, (std::vector<int64_t>{0, 1, 0, 1}));
  EXPECT_EQ(g.tensor(conv.inputs[0]).shape, (std::vector<int64_t>{kBatch, 2, 1, 12}));
  EXPECT_EQ(nodeNamed(g, "pool").window.strides, (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(hasOp(g, OpKind::kGlobalAveragePool));
}

TEST(ImportNormalise, ElementTypesAreNamedInWords) {
  expectFollowsTorch("bool_constant");  // Dropout's training_mode is a bool constant
  expectRefused("float16_input", "x", {"float16", "float32"});
  expectRefused("float16_constant", "h", {"float16"});
}

// ---- folding functions
// -------------------------------------------------------------------------------------
ConstTensor ints(std::vector<int64_t> dims, std::vector<int64_t> values) {
  ConstTensor c;
  c.is_float = false;
  c.dims = std::move(dims);
  c.ints = std::move(values);
  return c;
}

TEST(ImportNormaliseFold, GatherSliceConcatFollowOnnx) {
  const ConstTensor m = ints({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(foldGather(m, ints({}, {-1}), 1).ints, (std::vector<int64_t>{3, 6}));
  EXPECT_EQ(foldGather(m, ints({}, {-1}), 1).dims, (std::vector<int64_t>{2}));
  EXPECT_EQ(foldGather(m, ints({1}, {1}), 0).ints, (std::vector<int64_t>{4, 5, 6}));
  EXPECT_EQ(foldSlice(m, {-1}, {INT64_MIN}, {1}, {-1}).ints, (std::vector<int64_t>{3, 2, 1, 6, 5, 4}));
  EXPECT_EQ(foldSlice(m, {1}, {100}, {0}, {}).ints, (std::vector<int64_t>{4, 5, 6}));
  const ConstTensor a = ints({2, 1}, {7, 8});
  const ConstTensor joined = foldConcat({&m, &a}, 1);
  EXPECT_EQ(joined.dims, (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(joined.ints, (std::vector<int64_t>{1, 2, 3, 7, 4, 5, 6, 8}));
  EXPECT_THROW(foldGather(m, ints({}, {3}), 1), Refusal);
  const ConstTensor mt = foldTranspose(m, {});
  EXPECT_EQ(mt.dims, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(mt.ints, (std::vector<int64_t>{1, 4, 2, 5, 3, 6}));
}

TEST(ImportNormaliseFold, TheBatchSizeStaysSymbolic) {
  const ConstTensor shape = ints({2}, {kSymbolicBatch, 8});
  EXPECT_EQ(foldGather(shape, ints({}, {0}), 0).ints, (std::vector<int64_t>{kSymbolicBatch}));
  EXPECT_THROW(foldArithmetic("Mul", shape, ints({}, {2})), Refusal);
  EXPECT_THROW(foldConstantOfShape(shape, ints({1}, {0})), Refusal);
  EXPECT_EQ(foldArithmetic("Mul", ints({2}, {3, 8}), ints({}, {2})).ints, (std::vector<int64_t>{6, 16}));
}

TEST(ImportNormaliseFold, ViewShapes) {
  EXPECT_EQ(squeezeShape({kBatch, 4, 1, 1}, {-1, 2}), (std::vector<int64_t>{kBatch, 4}));
  EXPECT_THROW(squeezeShape({kBatch, 4, 1}, {1}), Refusal);
  EXPECT_THROW(squeezeShape({kBatch, 4}, {0}), Refusal);  // the batch
  EXPECT_EQ(unsqueezeShape({kBatch, 4}, {-1}), (std::vector<int64_t>{kBatch, 4, 1}));
  EXPECT_THROW(unsqueezeShape({kBatch, 4}, {0}), Refusal);
  EXPECT_EQ(transposeShape({kBatch, 1, 6, 1}, {0, 3, 2, 1}), (std::vector<int64_t>{kBatch, 1, 6, 1}));
  EXPECT_THROW(transposeShape({kBatch, 2, 6}, {0, 2, 1}), Refusal);
}

TEST(ImportNormaliseFold, ConstantAffineBroadcastsPerChannel) {
  ConstTensor c;
  c.dims = {3, 1, 1};
  c.floats = {1, 2, 4};
  const ChannelAffine div = constantAffine("Div", false, c, {kBatch, 3, 5, 5});
  EXPECT_EQ(div.scale, (Eigen::VectorXf(3) << 1.0f, 0.5f, 0.25f).finished());
  const ChannelAffine sub = constantAffine("Sub", true, c, {kBatch, 3, 5, 5});
  EXPECT_EQ(sub.scale, Eigen::VectorXf::Constant(3, -1.0f));
  EXPECT_EQ(sub.shift, (Eigen::VectorXf(3) << 1, 2, 4).finished());
  EXPECT_THROW(constantAffine("Mul", false, c, {kBatch, 3}), Refusal);  // [3,1,1] on [N,3]: not axis 1
}

// ---- graph passes
// ------------------------------------------------------------------------------------------
Graph convPoolRelu(std::mt19937& rng) {
  std::normal_distribution<float> normal;
  Graph g;
  g.source = "test";
  g.inputs = {"x"};
  g.setTensor(GraphTensor{"x", {kBatch, 2, 6, 6}});
  GraphNode conv;
  conv.name = "conv";
  conv.op = OpKind::kConv;
  conv.inputs = {"x"};
  conv.output = "c";
  conv.weight = Eigen::MatrixXf::NullaryExpr(3, 18, [&] { return normal(rng); });
  conv.bias = Eigen::VectorXf::NullaryExpr(3, [&] { return normal(rng); });
  conv.window.kernel = {3, 3};
  conv.window.pads = {1, 1, 1, 1};
  GraphNode pool;
  pool.name = "pool";
  pool.op = OpKind::kMaxPool;
  pool.inputs = {"c"};
  pool.output = "p";
  pool.window.kernel = {2, 2};
  pool.window.strides = {2, 2};
  GraphNode relu;
  relu.name = "relu";
  relu.op = OpKind::kRelu;
  relu.inputs = {"p"};
  relu.output = "y";
  g.nodes = {conv, pool, relu};
  g.outputs = {"y"};
  g.inferShapes();
  return g;
}

ReferenceTensor randomInput(std::mt19937& rng, std::vector<int64_t> shape) {
  std::normal_distribution<float> normal;
  ReferenceTensor x;
  x.shape = std::move(shape);
  x.data.resize(static_cast<size_t>(x.batch() * x.sampleSize()));
  for (float& v : x.data) v = normal(rng);
  return x;
}

// max(relu(a), relu(b)) == relu(max(a, b)) exactly: the outputs are bit-identical.
TEST(ImportNormalisePass, ReluAfterMaxPoolMovesBeforeIt) {
  std::mt19937 rng(3);
  Graph g = convPoolRelu(rng);
  const ReferenceTensor x = randomInput(rng, {4, 2, 6, 6});
  const ReferenceTensor before = ReferenceExecutor(g).run(x).output();
  EXPECT_EQ(commuteActivationBeforeMaxPool(g), 1);
  g.validate();
  EXPECT_EQ(g.nodes[1].op, OpKind::kRelu);
  EXPECT_EQ(g.nodes[1].inputs[0], "c");
  EXPECT_EQ(g.nodes[2].op, OpKind::kMaxPool);
  EXPECT_EQ(g.nodes[2].output, "y");
  EXPECT_EQ(ReferenceExecutor(g).run(x).output().data, before.data);
}

// An affine before an unpadded Conv folds into it; before a padded Conv only a pure scale does (a shift would
// also land on the padding).
TEST(ImportNormalisePass, AffineFoldsIntoTheReadingConv) {
  std::mt19937 rng(5);
  for (bool padded : {false, true}) {
    Graph g = convPoolRelu(rng);
    g.nodes.resize(1);
    g.nodes[0].window.pads = padded ? std::vector<int64_t>{1, 1, 1, 1} : std::vector<int64_t>{0, 0, 0, 0};
    g.nodes[0].inputs = {"a"};
    GraphNode affine;
    affine.name = "affine";
    affine.op = OpKind::kBatchNormalization;
    affine.inputs = {"x"};
    affine.output = "a";
    affine.scale = (Eigen::VectorXf(2) << 0.5f, -2.0f).finished();
    affine.shift = (Eigen::VectorXf(2) << 0.25f, 1.0f).finished();
    g.nodes.insert(g.nodes.begin(), affine);
    g.outputs = {"c"};
    g.inferShapes();
    const ReferenceTensor x = randomInput(rng, {2, 2, 6, 6});
    const ReferenceTensor before = ReferenceExecutor(g).run(x).output();
    EXPECT_EQ(foldAffinesIntoReaders(g, {"affine"}), padded ? 0 : 1);
    const ReferenceTensor after = ReferenceExecutor(g).run(x).output();
    ASSERT_EQ(after.data.size(), before.data.size());
    for (size_t i = 0; i < before.data.size(); ++i)
      EXPECT_NEAR(after.data[i], before.data[i], 1e-5 * (1.0 + std::fabs(before.data[i])));
  }
}

}  // namespace
}  // namespace aimc
