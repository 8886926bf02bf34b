// The lowerings that run on the digital units alone (kAffine), the crossbar of their cores unused:
// - a BatchNormalization on its own (not after a Conv/Gemm, where the importer folds it into the weights;
// e.g.
//   the pre-activation BatchNorm before a ReLU and a Conv): a per-channel affine y = scale * x + shift;
// - an activation that no Conv/Gemm can take (after a Concat, a pooling or the network input): the identity
//   affine with the digital unit's activation stage;
// - an Add of two maps that no Conv/Gemm can take (after poolings, or of maps with other readers): the
//   identity affine of the first with the second as the unit's side input, as in a fused residual Add.
//
// Placement choice, as for depthwise layers: up to `rows` channels (the digital unit's register sets) per
// piece, each piece on a core of its own. The unit's scale register holds scale * in_step / out_step per
// channel and its bias register shift / out_step, both in output steps; a following ReLU/Clip(0, m) is fused.
#include <fmt/format.h>

#include "aimc/compiler/LayerFusion.h"
#include "aimc/compiler/LayerLowering.h"

namespace aimc {

namespace {

// An affine reads a map as it is held, channel by channel of every pixel; a flattened map's features are in
// the chip's HWC order, not the channels the BatchNormalization's axis 1 names.
void check_affine_input(const LoweringContext& context, const GraphNode& node, const MapInfo& src) {
  if (src.sequence && node.op == OpKind::kBatchNormalization)
    throw UserError(context.graph.source, 0, node.name,
                    "a BatchNormalization over a sequence [N, T, D] normalises along T (axis 1), not the "
                    "features the chip holds per position: it is not mapped");
  // One function for every feature does not care about their order; per-feature coefficients do.
  const bool same_for_all =
      (node.op == OpKind::kActivation && node.activation.kind != ActivationKind::kPRelu) ||
      node.op == OpKind::kAdd;
  if (src.flattened && src.pixels() > 1 && !same_for_all)
    throw UserError(context.graph.source, 0, node.name,
                    std::string(opKindName(node.op)) +
                        " with per-feature coefficients over a flattened map is not mapped (its features are "
                        "in the chip's HWC order); apply it before the Flatten");
}

// The same pixels in and out: a 1x1 window over the whole map.
ConvGeometry identity_geometry(const MapInfo& src) {
  ConvGeometry g;
  g.in_h = g.out_h = src.h;
  g.in_w = g.out_w = src.w;
  return g;
}

void describe_affine(const GraphNode& node, const MapInfo& src, MappedLayer& l, int64_t rows) {
  l.name = node.name;
  l.affine = true;
  l.in_features = l.out_features = src.channels;
  l.in_step = src.step;
  l.pixels = src.pixels();
  l.out_slices = static_cast<int>((src.channels + rows - 1) / rows);
  l.in_slices = 1;
  l.fused =
      node.op == OpKind::kAdd
          ? "element-wise Add of two maps on the digital unit (the second its side input; crossbar unused)"
          : "per-channel affine on the digital unit (crossbar unused)";
}

// The affine layer reading `input`, its steps from the fusion: the output map's (a Clip(0, m) fixes it at
// m / 127) and, with an activation, the pre-activation sum's the scale and bias registers work in.
void plan_affine_layer(LoweringContext& context, PlannedLayer& layer, const std::string& input_tensor) {
  const GraphNode& node = context.graph.nodes[static_cast<size_t>(layer.node)];
  layer.input = context.map_of(node, input_tensor);
  check_affine_input(context, node, layer.input);
  layer.geometry = identity_geometry(layer.input);
  describe_affine(node, layer.input, layer.mapped, context.arch.core.tile.rows);
  const LayerFusion& f = layer.fusion;
  context.require_activation_stage(f);
  layer.steps.out = f.clip_pre > 0 ? f.clip_pre / context.code_max() : context.step_for(f.last);
  layer.steps.mid = layer.steps.psum = layer.steps.out;
  layer.steps.pre = layer.steps.out;
  if (f.activation >= 0) {
    // An activation on its own keeps the input's step before the stage (the affine is then the identity).
    layer.steps.pre =
        f.activation_input == input_tensor ? layer.input.step : context.step_for(f.activation_input);
    layer.mapped.fused += ", " + describe_activation(context.graph, f);
  }
  layer.mapped.out_step = layer.steps.out;
  layer.mapped.relu = f.relu_pre;
  layer.output = layer.input;
  layer.output.layer = static_cast<int>(context.plan.layers.size());
  layer.output.step = layer.steps.out;
  layer.output.parts.clear();
  context.plan.maps[f.last] = layer.output;
  context.plan.layers.push_back(std::move(layer));
}

// The two maps of an element-wise Add must be held alike: the same pixels and channels, in the same order.
void check_add_inputs(const LoweringContext& context, const GraphNode& node, const MapInfo& a,
                      const MapInfo& b) {
  const Graph& graph = context.graph;
  if (graph.tensor(node.inputs[0]).shape != graph.tensor(node.inputs[1]).shape)
    throw UserError(
        graph.source, 0, node.name,
        fmt::format("an Add of two maps of different shapes ({} and {}) is not mapped: the digital "
                    "unit adds two maps element by element, without broadcasting",
                    graph.tensor(node.inputs[0]).shapeText(), graph.tensor(node.inputs[1]).shapeText()));
  if (a.h != b.h || a.w != b.w || a.channels != b.channels || a.flattened != b.flattened)
    throw UserError(graph.source, 0, node.name,
                    "an Add of a flattened map and a map of another layout is not mapped (the chip holds a "
                    "flattened map's features in HWC order); add the maps before the Flatten");
}

}  // namespace

void lower_channel_affine(LoweringContext& context, size_t node_index) {
  const GraphNode& node = context.graph.nodes[node_index];
  PlannedLayer layer;
  layer.node = static_cast<int>(node_index);
  layer.weight = node.scale;  // [channels, 1]: the per-channel scale
  layer.bias = node.shift;
  // Like a depthwise layer, only a ReLU/Clip(0, m) or an activation is fused.
  layer.fusion = fuse_following(context.graph, node_index, false, true, context.plan.maps, context.absorbed);
  plan_affine_layer(context, layer, node.inputs[0]);
}

void lower_activation(LoweringContext& context, size_t node_index) {
  const GraphNode& node = context.graph.nodes[node_index];
  PlannedLayer layer;
  layer.node = static_cast<int>(node_index);
  const int64_t channels = context.map_of(node, node.inputs[0]).channels;
  layer.weight = Eigen::MatrixXf::Ones(channels, 1);
  layer.bias = Eigen::VectorXf::Zero(channels);
  fuse_activation(context.graph, static_cast<int>(node_index), node.inputs[0], layer.fusion);
  layer.fusion.last = node.output;
  plan_affine_layer(context, layer, node.inputs[0]);
}

// An Add that no Conv/Gemm fuses (its inputs pooled, concatenated, or read by others too): the identity
// affine of the first map with the second as the digital unit's side input, out = in_step / out_step * a +
// skip_step / out_step * b, then a fused ReLU/Clip(0, m) or activation.
void lower_add_of_maps(LoweringContext& context, size_t node_index) {
  const GraphNode& node = context.graph.nodes[node_index];
  if (node.inputs.size() != 2)
    throw UserError(context.graph.source, 0, node.name, "an Add with other than two inputs is not mapped");
  const MapInfo a = context.map_of(node, node.inputs[0]);
  const MapInfo b = context.map_of(node, node.inputs[1]);
  check_add_inputs(context, node, a, b);
  PlannedLayer layer;
  layer.node = static_cast<int>(node_index);
  layer.weight = Eigen::MatrixXf::Ones(a.channels, 1);
  layer.bias = Eigen::VectorXf::Zero(a.channels);
  layer.skip = b;
  layer.steps.skip = b.step;
  layer.fusion = fuse_following(context.graph, node_index, false, true, context.plan.maps, context.absorbed);
  layer.fusion.add = static_cast<int>(node_index);
  layer.fusion.skip = node.inputs[1];
  layer.fusion.add_input = node.inputs[0];
  layer.fusion.add_output = node.output;
  plan_affine_layer(context, layer, node.inputs[0]);
}

}  // namespace aimc
