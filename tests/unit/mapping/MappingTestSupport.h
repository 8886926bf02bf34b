#pragma once
// Small graphs, the HERMES arch with overrides and deterministic calibration ranges for the tests of the
// compiler's passes.
#include <cmath>
#include <initializer_list>
#include <map>
#include <string>

#include "aimc/compiler/Graph.h"
#include "aimc/compiler/LayerPlan.h"
#include "aimc/compiler/Mapping.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"
#include "aimc/compiler/TransferPlan.h"
#include "aimc/config/ArchConfig.h"
#include "aimc_test_paths.h"

namespace aimc::mapping_test {

inline const std::string kOnnx = std::string(AIMCSIM_TEST_DATA) + "/onnx/";

inline ArchConfig hermes(std::initializer_list<const char*> sets = {}) {
  ConfigSource overrides;
  for (const char* s : sets) overrides.apply_override(s, "test");
  return load_arch("arch/hermes.yaml", overrides);
}

// Calibration ranges of every tensor from one deterministic input (as MapNetworkTest).
inline std::map<std::string, double> absmax_of(const Graph& g) {
  ReferenceTensor x;
  x.shape = g.tensor(g.inputs[0]).shape;
  x.shape[0] = 1;
  x.data.resize(static_cast<size_t>(x.sampleSize()));
  for (size_t i = 0; i < x.data.size(); ++i)
    x.data[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)));
  return ReferenceExecutor(g).run(x).absmax();
}

// A mapping as map_network places it, with the transfer plan of its pieces (the input of the schedule).
struct PlacedTransfers {
  Mapping placed;
  TransferPlan transfers;
};
inline PlacedTransfers placed_transfers(const Graph& g, const ArchConfig& arch) {
  const auto absmax = absmax_of(g);
  PlacedTransfers p{map_network(g, arch, absmax), {}};
  p.transfers = plan_transfers(plan_layers(g, arch, absmax), p.placed);
  return p;
}

inline GraphNode gemm_node(const std::string& name, const std::string& in, const std::string& out,
                           int64_t inputs, int64_t outputs) {
  GraphNode n;
  n.name = name;
  n.op = OpKind::kGemm;
  n.inputs = {in};
  n.output = out;
  n.weight.resize(outputs, inputs);
  for (int64_t r = 0; r < outputs; ++r)
    for (int64_t c = 0; c < inputs; ++c)
      n.weight(r, c) = static_cast<float>(0.05 * std::sin(0.11 * r + 0.7 * c));
  n.bias = Eigen::VectorXf::LinSpaced(outputs, -0.1f, 0.1f);
  n.has_bias = true;
  return n;
}

// x [N, inputs] -> Gemm "fc" -> y [N, outputs] (-> ReLU "relu" -> z when `relu`).
inline Graph gemm_graph(int64_t inputs, int64_t outputs, bool relu = false) {
  Graph g;
  g.name = g.source = "gemm_graph";
  g.inputs = {"x"};
  g.setTensor({"x", {kBatch, inputs}});
  g.nodes.push_back(gemm_node("fc", "x", "y", inputs, outputs));
  if (relu) {
    GraphNode r;
    r.name = "relu";
    r.op = OpKind::kRelu;
    r.inputs = {"y"};
    r.output = "z";
    g.nodes.push_back(r);
  }
  g.outputs = {relu ? "z" : "y"};
  g.inferShapes();
  g.validate();
  return g;
}

}  // namespace aimc::mapping_test
