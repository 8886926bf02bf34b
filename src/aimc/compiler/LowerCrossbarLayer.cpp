// The lowering of Conv and Gemm: a layer of the plan with its weight in the chip's layout, its geometry, what
// follows it fused in, and the INT8 steps of its output, residual and partial-sum maps.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "aimc/compiler/LayerFusion.h"
#include "aimc/compiler/LayerLowering.h"

namespace aimc {

namespace {

// A depthwise Conv (one filter per channel: group = input channels = output channels) runs on a core's
// digital unit (DepthwiseKernel); its crossbar form would be block-diagonal, mostly zeros. Other grouped
// Convs (several channels per group, or a channel multiplier) are not mapped.
void check_grouping(const LoweringContext& context, const GraphNode& node, const MapInfo& src) {
  if (node.op == OpKind::kConv && src.flattened)
    throw UserError(context.graph.source, 0, node.name, "Conv reads a flattened tensor");
  const bool depthwise = node.op == OpKind::kConv && node.group > 1;
  if (depthwise && (node.group != src.channels || node.weight.rows() != node.group))
    throw UserError(context.graph.source, 0, node.name,
                    fmt::format("grouped Conv (group {} of {} input and {} output channels) is not "
                                "mapped onto the chip: only groups = 1 (crossbars) and depthwise "
                                "(group = input channels = output channels, digital units)",
                                node.group, src.channels, node.weight.rows()));
}

// A Gemm after a Flatten of a map reads it in the chip's HWC order: its columns permuted from CHW.
Eigen::MatrixXf weight_in_chip_order(const GraphNode& node, const MapInfo& src) {
  Eigen::MatrixXf weight = node.weight;
  if (node.op == OpKind::kConv || src.pixels() <= 1 || src.sequence)
    return weight;  // a sequence: HWC already
  const int64_t c_count = src.channels, p_count = src.pixels();
  for (int64_t c = 0; c < c_count; ++c)
    for (int64_t px = 0; px < p_count; ++px) weight.col(px * c_count + c) = node.weight.col(c * p_count + px);
  return weight;
}

ConvGeometry conv_geometry(const Graph& graph, const GraphNode& node, const MapInfo& src) {
  ConvGeometry g;
  const GraphTensor& out = graph.tensor(node.output);
  const WindowAttributes& win = node.window;
  g.in_h = src.h;
  g.in_w = src.w;
  g.kh = win.kernel[0];
  g.kw = win.kernel[1];
  g.stride_h = win.strides[0];
  g.stride_w = win.strides[1];
  g.pad_top = win.pads[0];
  g.pad_left = win.pads[1];
  g.dilation_h = win.dilations[0];
  g.dilation_w = win.dilations[1];
  g.out_h = out.shape[2];
  g.out_w = out.shape[3];
  return g;
}

// Steps: the final (pre-pool) tensor's; a Clip(0, m) sets it so that the INT8 range saturates at m.
LayerSteps layer_steps(const LoweringContext& context, const PlannedLayer& layer, int chain) {
  const LayerFusion& f = layer.fusion;
  const GraphNode& node = context.graph.nodes[static_cast<size_t>(layer.node)];
  const double clip_final = f.relu_post ? f.clip_post : (f.add < 0 ? f.clip_pre : 0.0);
  LayerSteps s;
  s.out = clip_final > 0 ? clip_final / context.code_max() : context.step_for(f.last);
  s.mid = layer.residual_pass ? context.step_for(f.add_input) : s.out;
  s.skip = f.add >= 0 ? context.plan.maps.at(f.skip).step : 0.0;
  s.pre = f.activation >= 0 ? context.step_for(f.activation_input) : s.out;
  // Partial sums carry the sum before the ReLU (the Conv/Gemm output, or the Add's output when the skip
  // enters the chain): calibrated on that tensor so that negative partial sums do not saturate.
  // At most 3.75 output steps per partial-sum step: the NMPU's side_scale register holds +-4.
  const double last_step = layer.residual_pass ? s.mid : s.pre;
  s.psum = chain == 1 ? last_step
                      : std::min(3.75 * last_step, f.add >= 0 && !f.relu_pre ? context.step_for(f.add_output)
                                                                             : context.step_for(node.output));
  return s;
}

// A Gemm on a sequence [N, T, D] (nn.Linear per position): a 1x1 window over the T positions, like a pixel
// loop.
ConvGeometry sequence_geometry(const MapInfo& src) {
  ConvGeometry g;
  g.in_h = g.out_h = src.h;
  g.in_w = g.out_w = 1;
  return g;
}

PoolGeometry pool_window(const GraphNode& pn, const GraphTensor& po, const ConvGeometry& conv) {
  PoolGeometry pg;
  pg.enabled = true;
  pg.is_max = pn.op == OpKind::kMaxPool;
  pg.in_h = conv.out_h;
  pg.in_w = conv.out_w;
  pg.out_h = po.shape[2];
  pg.out_w = po.shape[3];
  if (pn.op == OpKind::kGlobalAveragePool) {
    pg.kh = conv.out_h;
    pg.kw = conv.out_w;
    return pg;
  }
  const WindowAttributes& win = pn.window;
  pg.kh = win.kernel[0];
  pg.kw = win.kernel[1];
  pg.stride_h = win.strides[0];
  pg.stride_w = win.strides[1];
  pg.pad_top = win.pads[0];
  pg.pad_left = win.pads[1];
  pg.pad_bottom = win.pads[2];
  pg.pad_right = win.pads[3];
  pg.dilation_h = win.dilations[0];
  pg.dilation_w = win.dilations[1];
  pg.count_include_pad = win.count_include_pad;
  return pg;
}

// The fused pooling and its output map; returns the tensor that map is (the pool's output).
std::string plan_pool(const LoweringContext& context, PlannedLayer& layer) {
  const GraphNode& pn = context.graph.nodes[static_cast<size_t>(layer.fusion.pool)];
  PoolGeometry& pg = layer.pool;
  pg = pool_window(pn, context.graph.tensor(pn.output), layer.geometry);
  if (!pg.is_max) {
    // An average is rescaled to its own calibrated step (rounded to the register's 16 fraction bits).
    const double pool_step = context.step_for(pn.output);
    pg.scale_q16 =
        std::clamp<int64_t>(std::llround(layer.steps.out / pool_step * 65536.0), 1, int64_t{1} << 24);
    layer.output.step = layer.steps.out * 65536.0 / static_cast<double>(pg.scale_q16);
  }
  layer.mapped.fused += (layer.mapped.fused.empty() ? "" : ", ") + pg.describe();
  layer.output.h = pg.out_h;
  layer.output.w = pg.out_w;
  return pn.output;
}

void describe_layer(const GraphNode& node, const MapInfo& src, const ConvGeometry& geometry, MappedLayer& l) {
  l.name = node.name;
  l.conv = node.op == OpKind::kConv || (src.sequence && !src.flattened);  // a loop over pixels or positions
  l.depthwise = l.conv && node.group > 1;
  l.in_features = node.weight.cols();
  l.out_features = node.weight.rows();
  l.in_step = src.step;
  if (l.conv) l.geometry = geometry.describe();
  l.pixels = geometry.pixels();
}

// Slices of the weight matrix: `rows` outputs and `cols` inputs per crossbar; a depthwise layer's chain is
// one.
void plan_slices(const ArchConfig& arch, MappedLayer& l) {
  const int64_t rows = arch.core.tile.rows, cols = arch.core.tile.cols;
  l.out_slices = static_cast<int>((l.out_features + rows - 1) / rows);
  l.in_slices = l.depthwise ? 1 : static_cast<int>((l.in_features + cols - 1) / cols);
}

std::string describe_add(const Graph& graph, const PlannedLayer& layer) {
  return fmt::format("Add({}) {} the ReLU{}", graph.nodes[static_cast<size_t>(layer.fusion.add)].name,
                     layer.fusion.relu_pre ? "after" : "before",
                     layer.residual_pass ? " (residual pass)" : "");
}

}  // namespace

void lower_crossbar_layer(LoweringContext& context, size_t node_index) {
  const Graph& graph = context.graph;
  const GraphNode& node = graph.nodes[node_index];
  PlannedLayer layer;
  layer.node = static_cast<int>(node_index);
  layer.input = context.map_of(node, node.inputs[0]);
  check_grouping(context, node, layer.input);
  const bool conv = node.op == OpKind::kConv;
  const bool sequence = layer.input.sequence && !layer.input.flattened;
  if (conv) layer.geometry = conv_geometry(graph, node, layer.input);
  if (sequence) layer.geometry = sequence_geometry(layer.input);
  MappedLayer& mapped = layer.mapped;
  describe_layer(node, layer.input, layer.geometry, mapped);
  layer.weight = weight_in_chip_order(node, layer.input);
  layer.bias = node.bias;
  layer.fusion =
      fuse_following(graph, node_index, conv, mapped.depthwise, context.plan.maps, context.absorbed);
  const LayerFusion& f = layer.fusion;
  context.require_activation_stage(f);
  plan_slices(context.arch, mapped);
  layer.residual_pass = f.add >= 0 && f.relu_pre && mapped.in_slices > 1;
  layer.steps = layer_steps(context, layer, mapped.in_slices);
  mapped.out_step = layer.steps.out;
  mapped.relu = f.relu_pre || f.relu_post;
  if (f.add >= 0) {
    layer.skip = context.plan.maps.at(f.skip);
    mapped.fused += describe_add(graph, layer);
  }
  if (f.activation >= 0) mapped.fused += (mapped.fused.empty() ? "" : ", ") + describe_activation(graph, f);
  layer.output.layer = static_cast<int>(context.plan.layers.size());
  layer.output.channels = mapped.out_features;
  layer.output.h = layer.geometry.out_h;
  layer.output.w = layer.geometry.out_w;
  layer.output.sequence = sequence;
  layer.output.step = layer.steps.out;
  const std::string output_tensor = f.pool >= 0 ? plan_pool(context, layer) : f.last;
  if (mapped.depthwise) mapped.fused = "depthwise on the digital unit (crossbar unused)";
  context.plan.maps[output_tensor] = layer.output;
  context.plan.layers.push_back(std::move(layer));
}

}  // namespace aimc
