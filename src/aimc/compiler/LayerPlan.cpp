#include "aimc/compiler/LayerPlan.h"

#include <algorithm>

#include <fmt/format.h>

#include "aimc/compiler/LayerLowering.h"

namespace aimc {

namespace {

// The chip maps one input and one output: the host streams one map in and reads one map out.
void check_single_input_and_output(const Graph& graph) {
  if (graph.inputs.size() != 1)
    throw UserError(graph.source, 0, "inputs", "the chip maps networks with exactly one input");
  if (graph.outputs.size() != 1)
    throw UserError(graph.source, 0, "outputs", "the chip maps networks with exactly one output");
}

// Token ids feed one Embedding, which the host runs: its output [N, T, D] is the map the chip receives.
int host_embedding(const Graph& graph, const GraphTensor& in) {
  const std::vector<int> readers = graph.consumers(in.name);
  if (readers.size() != 1 || graph.nodes[static_cast<size_t>(readers[0])].op != OpKind::kEmbedding)
    throw UserError(graph.source, 0, in.name,
                    "int64 token ids must feed exactly one Embedding (a Gather on a table), which the host "
                    "runs before the chip");
  return readers[0];
}

MapInfo network_input_map(LoweringContext& context) {
  const Graph& graph = context.graph;
  const GraphTensor& graph_input = graph.tensor(graph.inputs[0]);
  LayerPlan& plan = context.plan;
  plan.input_tensor = graph_input.name;
  if (graph_input.token_ids) {
    plan.host_input_node = host_embedding(graph, graph_input);
    context.absorbed[static_cast<size_t>(plan.host_input_node)] = true;
    plan.input_tensor = graph.nodes[static_cast<size_t>(plan.host_input_node)].output;
  }
  const GraphTensor& in = graph.tensor(plan.input_tensor);
  MapInfo info;
  if (in.shape.size() == 4) {
    info.channels = in.shape[1];
    info.h = in.shape[2];
    info.w = in.shape[3];
  } else if (in.shape.size() == 2) {
    info.channels = in.shape[1];
  } else if (in.shape.size() == 3) {  // a sequence: T positions of D features, read by a Gemm per position
    info.channels = in.shape[2];
    info.h = in.shape[1];
    info.sequence = true;
  } else {
    throw UserError(
        graph.source, 0, in.name,
        "the network input must be [N, features], [N, T, D] or [N, C, H, W], not " + in.shapeText());
  }
  info.step = context.step_for(in.name);
  return info;
}

MapInfo network_output_map(const Graph& graph, const LayerPlan& plan) {
  if (plan.layers.empty())
    throw UserError(graph.source, 0, "", "the network has no Conv or Gemm layer to map");
  const std::string& output_tensor = graph.outputs[0];
  auto it = plan.maps.find(output_tensor);
  if (it == plan.maps.end() || it->second.layer == -1)
    throw UserError(graph.source, 0, output_tensor, "the network output is not the output of a mapped layer");
  return it->second;
}

}  // namespace

namespace {

// The inputs and the output of every Concat (and of Concats of Concats) share the largest of their steps.
std::map<std::string, double> concat_shared_steps(const Graph& graph,
                                                  const std::map<std::string, double>& absmax, int code_max) {
  std::map<std::string, double> shared;
  auto step = [&](const std::string& t) {
    auto s = shared.find(t);
    if (s != shared.end()) return s->second;
    auto a = absmax.find(t);
    AIMC_ASSERT_MSG(a != absmax.end(), t.c_str());
    return std::max(a->second, 1e-12) / code_max;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (const GraphNode& node : graph.nodes) {
      if (node.op != OpKind::kConcat) continue;
      std::vector<std::string> group = node.inputs;
      group.push_back(node.output);
      double largest = 0;
      for (const std::string& t : group) largest = std::max(largest, step(t));
      for (const std::string& t : group) {
        if (step(t) == largest) continue;
        shared[t] = largest;
        changed = true;
      }
    }
  }
  return shared;
}

}  // namespace

double LoweringContext::step_for(const std::string& tensor) const {
  auto shared = plan.shared_steps.find(tensor);
  if (shared != plan.shared_steps.end()) return shared->second;
  auto it = absmax.find(tensor);
  AIMC_ASSERT_MSG(it != absmax.end(), tensor.c_str());
  // An all-zero tensor still needs a non-zero step.
  return std::max(it->second, 1e-12) / code_max();
}

const MapInfo& LoweringContext::map_of(const GraphNode& node, const std::string& tensor) const {
  auto it = plan.maps.find(tensor);
  if (it == plan.maps.end())
    throw UserError(graph.source, 0, node.name,
                    fmt::format("{} reads {}, which is not an INT8 map on the chip (only the network input "
                                "and the outputs of mapped Conv/Gemm layers, after their fused ReLU, Add and "
                                "pooling, are)",
                                opKindName(node.op), tensor));
  return it->second;
}

void LoweringContext::require_activation_stage(const LayerFusion& fusion) const {
  if (fusion.activation < 0 || arch.core.digital_unit.activation_enabled) return;
  const GraphNode& node = graph.nodes[static_cast<size_t>(fusion.activation)];
  throw UserError(arch.source_file, 0, "core.digital_unit.activation.enabled",
                  fmt::format("{} (node '{}' of {}) runs in the digital units' activation stage, which this "
                              "arch does not have: set core.digital_unit.activation.enabled: true (or --set "
                              "core.digital_unit.activation.enabled=true)",
                              fusion.activation_spec.describe(), node.name, graph.source));
}

NodeLowering lowering_for(OpKind op) {
  switch (op) {
    case OpKind::kGemm:
    case OpKind::kConv:
      return lower_crossbar_layer;
    case OpKind::kBatchNormalization:
      return lower_channel_affine;
    case OpKind::kFlatten:
    case OpKind::kReshape:
      return lower_flatten;
    case OpKind::kConcat:
      return lower_concat;
    case OpKind::kActivation:
      return lower_activation;
    case OpKind::kSoftmax:
      return lower_final_softmax;
    case OpKind::kAdd:
      return refuse_unfused_add;
    case OpKind::kMaxPool:
    case OpKind::kAveragePool:
    case OpKind::kGlobalAveragePool:
      return refuse_unfused_pool;
    case OpKind::kRelu:
    case OpKind::kClip:
      return refuse_unfused_relu;
    case OpKind::kMul:
    case OpKind::kLogSoftmax:
    case OpKind::kEmbedding:
      return refuse_not_yet_mapped;
    default:
      return refuse_unsupported;
  }
}

LayerPlan plan_layers(const Graph& graph, const ArchConfig& arch,
                      const std::map<std::string, double>& absmax) {
  check_single_input_and_output(graph);
  LayerPlan plan;
  std::vector<bool> absorbed(graph.nodes.size(), false);
  LoweringContext context{graph, arch, absmax, plan, absorbed};
  plan.shared_steps = concat_shared_steps(graph, absmax, context.code_max());
  plan.input = network_input_map(context);
  plan.maps[plan.input_tensor] = plan.input;
  // A lowering may absorb later nodes (the ones it fuses), so the flags are read as the walk goes.
  for (size_t n = 0; n < graph.nodes.size(); ++n)
    if (!absorbed[n]) lowering_for(graph.nodes[n].op)(context, n);
  plan.output = network_output_map(graph, plan);
  return plan;
}

}  // namespace aimc
