#include "aimc/compiler/PieceTiling.h"

#include <algorithm>

namespace aimc {

namespace {

// The bias in output steps, on the last piece of a chain only (the others pass partial sums on).
Eigen::VectorXf bias_in_steps(const PlannedLayer& layer, const CrossbarPiece& p, bool last) {
  Eigen::VectorXf bias = Eigen::VectorXf::Zero(p.out_count);
  if (!last) return bias;
  for (int64_t r = 0; r < p.out_count; ++r)
    bias[r] = static_cast<float>(layer.bias[p.out_begin + r] / p.out_step);
  return bias;
}

// The activation stage of a piece that makes the layer's output (the last of a chain; a depthwise or affine
// piece): the function, PReLU's slopes of the piece's channels, and the output map's step. The piece's own
// out_step is then the step of the sum before the activation.
PieceActivation piece_activation(const PlannedLayer& layer, const CrossbarPiece& p) {
  PieceActivation a;
  const LayerFusion& f = layer.fusion;
  if (f.activation < 0) return a;
  a.enabled = true;
  a.spec = f.activation_spec;
  a.out_step = layer.steps.out;
  if (a.spec.kind == ActivationKind::kPRelu)
    for (int64_t c = 0; c < p.out_count; ++c) a.alpha.push_back(f.activation_slope[p.out_begin + c]);
  return a;
}

// Depthwise: one piece per `rows` channels, each on its own core, reading those channels of the input map and
// making the same channels of the output.
CrossbarPiece depthwise_piece(const PlannedLayer& layer, int layer_index, int slice, const ArchConfig& arch) {
  const int64_t rows = arch.core.tile.rows, khw = layer.geometry.kh * layer.geometry.kw;
  CrossbarPiece p;
  p.layer = layer_index;
  p.out_begin = slice * rows;
  p.out_count = std::min(rows, layer.mapped.out_features - p.out_begin);
  p.in_begin = p.out_begin * khw;
  p.in_count = p.out_count * khw;
  p.geometry = layer.geometry;
  p.geometry.channel_begin = p.out_begin;
  p.geometry.channel_count = p.out_count;
  p.geometry.col_begin = p.in_begin;
  p.geometry.col_count = p.in_count;
  p.depthwise = DepthwiseKernel::build(layer.weight.middleRows(p.out_begin, p.out_count), p.geometry,
                                       static_cast<int>(arch.core.tile.adc.cco_counter_bits));
  p.out_step = layer.steps.pre;
  p.relu2 = layer.fusion.relu_pre;
  p.activation = piece_activation(layer, p);
  p.bias_lsb = bias_in_steps(layer, p, true);
  return p;
}

// Per-channel affine: one piece per `rows` channels, each on its own core, as a depthwise layer; the unit's
// scale register maps input steps to output steps.
CrossbarPiece affine_piece(const PlannedLayer& layer, int layer_index, int slice, const ArchConfig& arch) {
  const int64_t rows = arch.core.tile.rows;
  CrossbarPiece p;
  p.layer = layer_index;
  p.affine = true;
  p.out_begin = p.in_begin = slice * rows;
  p.out_count = p.in_count = std::min(rows, layer.mapped.out_features - p.out_begin);
  p.geometry = layer.geometry;
  p.geometry.channel_begin = p.geometry.col_begin = p.out_begin;
  p.geometry.channel_count = p.geometry.col_count = p.out_count;
  p.out_step = layer.steps.pre;
  p.relu2 = layer.fusion.relu_pre;
  p.activation = piece_activation(layer, p);
  p.affine_scale.resize(p.out_count);
  for (int64_t c = 0; c < p.out_count; ++c)
    p.affine_scale[c] = static_cast<double>(layer.weight(p.out_begin + c, 0)) * layer.input.step / p.out_step;
  p.bias_lsb = bias_in_steps(layer, p, true);
  if (layer.skip) {  // an Add of two maps: the other map enters as the side input
    p.skip_input = true;
    p.side_scale = layer.skip->step / p.out_step;
  }
  return p;
}

// The input slice of a crossbar piece: its im2col columns, and the channels of the input map they need.
void cut_input_slice(const PlannedLayer& layer, int64_t cols, int i, CrossbarPiece& p) {
  const int64_t khw = layer.geometry.kh * layer.geometry.kw;
  p.in_begin = i * cols;
  p.in_count = std::min(cols, layer.mapped.in_features - p.in_begin);
  p.geometry = layer.geometry;
  p.geometry.col_begin = p.in_begin;
  p.geometry.col_count = p.in_count;
  p.geometry.channel_begin = p.in_begin / khw;
  p.geometry.channel_count = (p.in_begin + p.in_count - 1) / khw - p.geometry.channel_begin + 1;
  if (!layer.mapped.conv) {  // a Gemm's slot holds exactly its columns (channels of a vector or HWC indices)
    p.geometry.channel_begin = p.in_begin;
    p.geometry.channel_count = p.in_count;
  }
}

// Where the fused ReLUs and the residual Add run along a chain, and the steps of what each piece adds.
void chain_coefficients(const PlannedLayer& layer, int i, CrossbarPiece& p) {
  const LayerFusion& f = layer.fusion;
  const LayerSteps& s = layer.steps;
  const int chain = p.chain_length;
  const bool last = i + 1 == chain, residual_pass = layer.residual_pass;
  p.skip_input = f.add >= 0 && (residual_pass ? last : i == 0);
  p.out_step = !last ? s.psum : residual_pass ? s.mid : s.pre;
  if (last) p.activation = piece_activation(layer, p);
  if (i > 0) p.side_scale = s.psum / p.out_step;
  if (f.add < 0) {
    p.relu2 = last && f.relu_pre;
  } else if (!f.relu_pre) {  // Add before the ReLU: the skip enters the chain at its start
    if (i == 0) p.side_scale = s.skip / p.out_step;
    p.relu2 = last && f.relu_post;
  } else if (chain == 1) {  // Add after the ReLU, one piece: both in one pass
    p.relu1 = true;
    p.side_scale = s.skip / s.out;
    p.relu2 = f.relu_post;
  } else {
    p.relu2 = last;
    if (last) {
      p.residual_pass = true;
      p.residual_scale = s.mid / s.out;
      p.residual_side_scale = s.skip / s.out;
      p.residual_relu = f.relu_post;
    }
  }
}

CrossbarPiece crossbar_piece(const PlannedLayer& layer, int layer_index, int o, int i,
                             const ArchConfig& arch) {
  const int64_t rows = arch.core.tile.rows;
  CrossbarPiece p;
  p.layer = layer_index;
  p.out_begin = o * rows;
  p.out_count = std::min(rows, layer.mapped.out_features - p.out_begin);
  cut_input_slice(layer, arch.core.tile.cols, i, p);
  p.chain_index = i;
  p.chain_length = layer.mapped.in_slices;
  p.weight = layer.weight.block(p.out_begin, p.in_begin, p.out_count, p.in_count);
  chain_coefficients(layer, i, p);
  const bool last = i + 1 == p.chain_length;
  p.bias_lsb = bias_in_steps(layer, p, last);
  if (last) {
    p.pool = layer.pool;
    p.pool.channels = p.out_count;
  }
  return p;
}

std::vector<CrossbarPiece> layer_pieces(const PlannedLayer& layer, int layer_index, const ArchConfig& arch) {
  std::vector<CrossbarPiece> pieces;
  for (int o = 0; o < layer.mapped.out_slices; ++o) {
    if (layer.mapped.depthwise || layer.mapped.affine) {
      pieces.push_back(layer.mapped.affine ? affine_piece(layer, layer_index, o, arch)
                                           : depthwise_piece(layer, layer_index, o, arch));
      continue;
    }
    for (int i = 0; i < layer.mapped.in_slices; ++i)
      pieces.push_back(crossbar_piece(layer, layer_index, o, i, arch));
  }
  return pieces;
}

}  // namespace

PieceTiling tile_pieces(const LayerPlan& plan, const ArchConfig& arch) {
  PieceTiling tiling;
  for (size_t li = 0; li < plan.layers.size(); ++li) {
    std::vector<int>& indices = tiling.layer_pieces.emplace_back();
    for (CrossbarPiece& p : layer_pieces(plan.layers[li], static_cast<int>(li), arch)) {
      indices.push_back(static_cast<int>(tiling.pieces.size()));
      tiling.pieces.push_back(std::move(p));
    }
  }
  return tiling;
}

}  // namespace aimc
