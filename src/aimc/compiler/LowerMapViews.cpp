// The lowerings of nodes that make no layer: views of a map (Flatten, Reshape, a final Softmax) and the
// operators the chip runs only fused into a Conv/Gemm (refused when met on their own).
#include <fmt/format.h>

#include "aimc/compiler/LayerLowering.h"

namespace aimc {

void lower_flatten(LoweringContext& context, size_t node_index) {
  const GraphNode& node = context.graph.nodes[node_index];
  MapInfo info = context.map_of(node, node.inputs[0]);
  const GraphTensor& out = context.graph.tensor(node.output);
  if (out.shape.size() != 2 || out.sampleSize() != info.pixels() * info.channels)
    throw UserError(
        context.graph.source, 0, node.name,
        "only a Flatten/Reshape to [N, features] of the whole map is mapped (got " + out.shapeText() + ")");
  info.flattened = true;
  context.plan.maps[node.output] = info;
}

void lower_final_softmax(LoweringContext& context, size_t node_index) {
  const Graph& graph = context.graph;
  const GraphNode& node = graph.nodes[node_index];
  const std::string op = opKindName(node.op);
  // Monotonic per sample: the chip returns the logits and the host computes the output from them.
  if (node_index + 1 != graph.nodes.size() || node.output != graph.outputs[0])
    throw UserError(graph.source, 0, node.name,
                    op + " is only supported as the last node (the host computes it from the chip's logits)");
  context.map_of(node, node.inputs[0]);  // the logits must be a map on the chip
  context.plan.host_steps.push_back({node.name, op, node.inputs[0], node.output});
}

void refuse_unfused_pool(LoweringContext& context, size_t node_index) {
  const GraphNode& node = context.graph.nodes[node_index];
  throw UserError(context.graph.source, 0, node.name,
                  std::string(opKindName(node.op)) +
                      " cannot be fused: pooling runs in the digital units of the Conv before it (after "
                      "its ReLU/Add), so it must directly follow a Conv whose output has no other reader "
                      "(not the network input, another pool or a Gemm)");
}

void refuse_unfused_relu(LoweringContext& context, size_t node_index) {
  const GraphNode& node = context.graph.nodes[node_index];
  throw UserError(context.graph.source, 0, node.name,
                  std::string(opKindName(node.op)) +
                      " cannot be fused: a ReLU or Clip(0, m) must directly follow a Conv/Gemm (or its "
                      "residual Add) whose output has no other reader");
}

void refuse_not_yet_mapped(LoweringContext& context, size_t node_index) {
  const GraphNode& node = context.graph.nodes[node_index];
  std::string what, plan;
  switch (node.op) {
    case OpKind::kMul:
      what = "an element-wise product of two activations";
      plan =
          "it needs a programmable digital core: the NMPU only scales and adds its side input, it has no "
          "multiplier for two activations (a RISC-V compute cluster beside the tiles is not modelled yet)";
      break;
    case OpKind::kEmbedding:
      what = "an embedding lookup, a Gather on a table by int64 token ids";
      plan = "the host runs an Embedding only as the input step, on the network's token ids";
      break;
    case OpKind::kLstm:
    case OpKind::kGru:
      what = "a recurrent layer run timestep by timestep";
      plan =
          "its gate matrix [W_ih | W_hh] on crossbars and its gates on a global digital processing unit "
          "(GDPU) are not lowered yet (issue 16); the float reference runs it";
      break;
    case OpKind::kSlice:
      what = "positions of one axis of a map, e.g. a sequence's last timestep";
      plan = "no lowering reads part of a map yet; the float reference runs it";
      break;
    default:
      what = "this operator";
      plan = "no lowering exists for it";
  }
  throw UserError(
      context.graph.source, 0, node.name,
      fmt::format("{} ({}) is not yet mapped onto the chip: {}", opKindName(node.op), what, plan));
}

void refuse_unsupported(LoweringContext& context, size_t node_index) {
  const GraphNode& node = context.graph.nodes[node_index];
  throw UserError(context.graph.source, 0, node.name,
                  std::string("operator ") + opKindName(node.op) +
                      " is not mapped onto the chip (supported: Conv, Gemm, and fused into them ReLU, "
                      "Clip(0, m), residual Add, MaxPool, AveragePool, GlobalAveragePool; a "
                      "BatchNormalization on its own, as a per-channel affine; Flatten, Reshape, a final "
                      "Softmax)");
}

}  // namespace aimc
