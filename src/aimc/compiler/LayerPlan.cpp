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

// The tensor the chip's output map holds: the graph output, or what the first host step reads.
std::string chip_output_tensor(const Graph& graph, const LayerPlan& plan) {
  return plan.host_steps.empty() ? graph.outputs[0] : plan.host_steps.front().input;
}

MapInfo network_output_map(const Graph& graph, const LayerPlan& plan) {
  if (plan.layers.empty())
    throw UserError(graph.source, 0, "", "the network has no Conv or Gemm layer to map");
  const std::string output_tensor = chip_output_tensor(graph, plan);
  auto it = plan.maps.find(output_tensor);
  if (it == plan.maps.end() || it->second.layer == -1)
    throw UserError(graph.source, 0, output_tensor, "the network output is not the output of a mapped layer");
  return it->second;
}

// The nodes a lowering just took into a new layer: its own, then those it absorbed (`before`: the flags
// before it ran).
void record_layer_nodes(const Graph& graph, size_t node, const std::vector<bool>& before,
                        const std::vector<bool>& absorbed, MappedLayer& layer) {
  layer.nodes = {graph.nodes[node].name};
  for (size_t k = node + 1; k < absorbed.size(); ++k)
    if (absorbed[k] && !before[k]) layer.nodes.push_back(graph.nodes[k].name);
}

// Where a node runs: in a layer (its crossbar or digital units), on the host (an output step), or nowhere
// (a view of a map: no arithmetic).
NodePlacement place_node(const GraphNode& node, const LayerPlan& plan) {
  NodePlacement p{node.name, opKindName(node.op), "layout", -1, "a view of a map: no arithmetic"};
  for (const HostOutputStep& h : plan.host_steps)
    if (h.node == node.name) {
      p.where = "host";
      p.note = "output step on the host: the chip returns its input " + h.input;
    }
  if (node.op == OpKind::kEmbedding && node.output == plan.input_tensor) {
    p.where = "host";
    p.note = "input step on the host: the chip receives its output " + node.output;
  }
  for (size_t li = 0; li < plan.layers.size(); ++li) {
    const MappedLayer& l = plan.layers[li].mapped;
    for (size_t k = 0; k < l.nodes.size(); ++k) {
      if (l.nodes[k] != node.name) continue;
      p.layer = static_cast<int>(li);
      const bool own = k == 0;
      p.where = own && !l.depthwise && !l.affine ? "crossbar" : "digital unit";
      p.note =
          own ? (l.depthwise ? "depthwise on the digital units"
                 : l.affine  ? (node.op == OpKind::kActivation ? "activation stage" : "per-channel affine")
                             : "")
              : "fused into " + l.name;
    }
  }
  return p;
}

// Every node, each followed by the ONNX nodes folded into it at import (they run where it runs).
std::vector<NodePlacement> place_nodes(const Graph& graph, const LayerPlan& plan) {
  std::vector<NodePlacement> placements;
  for (const GraphNode& node : graph.nodes) {
    const NodePlacement p = place_node(node, plan);
    placements.push_back(p);
    for (const std::string& folded : node.folded)
      placements.push_back({folded, "", "folded", p.layer, "folded into " + node.name + " at import"});
  }
  return placements;
}

// The inputs and the output of every Concat (and of Concats of Concats) share the largest of their steps:
// repeated until no step grows, each pass reading the steps shared so far (step_for).
void share_concat_steps(LoweringContext& context) {
  for (bool changed = true; changed;) {
    changed = false;
    for (const GraphNode& node : context.graph.nodes) {
      if (node.op != OpKind::kConcat) continue;
      std::vector<std::string> group = node.inputs;
      group.push_back(node.output);
      double largest = 0;
      for (const std::string& t : group) largest = std::max(largest, context.step_for(t));
      for (const std::string& t : group) {
        if (context.step_for(t) == largest) continue;
        context.plan.shared_steps[t] = largest;
        changed = true;
      }
    }
  }
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
    case OpKind::kLogSoftmax:
      return lower_final_softmax;
    case OpKind::kAdd:
      return lower_add_of_maps;
    case OpKind::kMaxPool:
    case OpKind::kAveragePool:
    case OpKind::kGlobalAveragePool:
      return refuse_unfused_pool;
    case OpKind::kRelu:
    case OpKind::kClip:
      return refuse_unfused_relu;
    case OpKind::kMul:
    case OpKind::kEmbedding:
    case OpKind::kLstm:
    case OpKind::kGru:
    case OpKind::kSlice:
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
  share_concat_steps(context);
  plan.input = network_input_map(context);
  plan.maps[plan.input_tensor] = plan.input;
  // A lowering may absorb later nodes (the ones it fuses), so the flags are read as the walk goes.
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    if (absorbed[n]) continue;
    const std::vector<bool> before = absorbed;
    const size_t layers = plan.layers.size();
    lowering_for(graph.nodes[n].op)(context, n);
    if (plan.layers.size() > layers)
      record_layer_nodes(graph, n, before, absorbed, plan.layers.back().mapped);
  }
  plan.output = network_output_map(graph, plan);
  plan.output_tensor = chip_output_tensor(graph, plan);
  plan.node_placements = place_nodes(graph, plan);
  return plan;
}

}  // namespace aimc
