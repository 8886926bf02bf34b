// The recurrent networks of models/pytorch/export_rnn.py (nn.LSTM, nn.GRU and hand-written cells exported by
// torch 1.13 with torch.onnx.export defaults): each imports into one LSTM/GRU node per layer (the Transpose,
// Squeeze, Shape, Gather, Slice and Expand boilerplate folded away), and the float reference reproduces
// torch's outputs on 16 sequences within 1e-6 absolute + 1e-6 relative (torch computes in float32, the
// reference in double with float32 states between timesteps; the largest difference seen is 8.9e-8, on
// gru_tf1_seq; each case reports its own as max_abs_difference).
#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"

namespace aimc {
namespace {

const std::string kModels = "models/pytorch/";

struct RecurrentCase {
  const char* name;
  OpKind op;      // kLstm, kGru, or kMul for a hand-written cell (generic nodes)
  size_t layers;  // recurrent nodes expected (a read cell state adds one)
  bool states;    // initial states as graph inputs
};

std::ostream& operator<<(std::ostream& os, const RecurrentCase& c) {
  return os << c.name;
}

class RecurrentExport : public ::testing::TestWithParam<RecurrentCase> {};

size_t count(const Graph& g, OpKind op) {
  size_t n = 0;
  for (const GraphNode& node : g.nodes) n += node.op == op;
  return n;
}

std::map<std::string, ReferenceTensor> inputs(const Graph& g, const std::string& base) {
  std::map<std::string, ReferenceTensor> in;
  for (const std::string& name : g.inputs)
    in[name] = ReferenceTensor::fromNpy(Npy::read(base + "_" + name + ".npy"));
  return in;
}

TEST_P(RecurrentExport, ImportsOneNodePerLayer) {
  const RecurrentCase& c = GetParam();
  const Graph g = OnnxImporter::load(kModels + c.name + ".onnx");
  if (c.op == OpKind::kMul) {
    EXPECT_EQ(count(g, OpKind::kLstm) + count(g, OpKind::kGru), 0u) << g.summary();
    EXPECT_GT(count(g, OpKind::kMul), 0u) << g.summary();
  } else {
    EXPECT_EQ(count(g, c.op), c.layers) << g.summary();
  }
  EXPECT_EQ(g.inputs.size(), c.states ? (c.op == OpKind::kLstm ? 3u : 2u) : 1u) << g.summary();
  for (const GraphNode& node : g.nodes)  // no identity view left over from the Squeeze of Y
    if (node.op == OpKind::kReshape) {
      EXPECT_NE(g.tensor(node.inputs[0]).shape, g.tensor(node.output).shape) << g.summary();
    }
}

TEST_P(RecurrentExport, FloatReferenceMatchesTorch) {
  const RecurrentCase& c = GetParam();
  const std::string base = kModels + c.name;
  const Graph g = OnnxImporter::load(base + ".onnx");
  const ReferenceTensor y = ReferenceExecutor(g).run(inputs(g, base)).output();
  const NpyArray expected = Npy::read(base + "_y.npy");
  ASSERT_EQ(y.shape, expected.shape);
  const std::vector<float> want = expected.toFloatVector();
  double worst = 0.0;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(y.data[i], want[i], 1e-6 + 1e-6 * std::fabs(want[i])) << "element " << i;
    worst = std::max(worst, std::fabs(static_cast<double>(y.data[i]) - want[i]));
  }
  std::ostringstream text;
  text << std::scientific << std::setprecision(2) << worst;
  RecordProperty("max_abs_difference", text.str());
}

INSTANTIATE_TEST_SUITE_P(Torch, RecurrentExport,
                         ::testing::Values(RecurrentCase{"lstm_bf1_last", OpKind::kLstm, 1, false},
                                           RecurrentCase{"lstm_bf2_seq", OpKind::kLstm, 2, false},
                                           RecurrentCase{"lstm_tf2_state", OpKind::kLstm, 2, true},
                                           RecurrentCase{"lstm_bf1_cell", OpKind::kLstm, 1, false},
                                           RecurrentCase{"gru_bf1_last", OpKind::kGru, 1, false},
                                           RecurrentCase{"gru_bf1_state", OpKind::kGru, 1, true},
                                           RecurrentCase{"gru_tf2_state", OpKind::kGru, 2, true},
                                           RecurrentCase{"gru_tf1_seq", OpKind::kGru, 1, false},
                                           RecurrentCase{"lstm_hand_cell", OpKind::kMul, 0, false},
                                           RecurrentCase{"gru_hand_cell", OpKind::kMul, 0, false}));

}  // namespace
}  // namespace aimc
