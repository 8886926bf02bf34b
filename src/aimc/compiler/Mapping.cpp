#include "aimc/compiler/Mapping.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

// Cores in boustrophedon order over the mesh, so that consecutive pieces sit on neighbouring cores.
std::vector<int> snake_order(const ArchConfig& arch) {
  std::vector<int> order;
  for (int64_t r = 0; r < arch.noc.mesh_rows; ++r)
    for (int64_t k = 0; k < arch.noc.mesh_cols; ++k) {
      const int64_t c = (r % 2 == 0) ? k : arch.noc.mesh_cols - 1 - k;
      order.push_back(static_cast<int>(r * arch.noc.mesh_cols + c));
    }
  return order;
}

double step_for(const std::map<std::string, double>& absmax, const std::string& tensor, int code_max) {
  auto it = absmax.find(tensor);
  AIMC_ASSERT_MSG(it != absmax.end(), tensor.c_str());
  // An all-zero tensor still needs a non-zero step.
  return std::max(it->second, 1e-12) / code_max;
}

// A tensor the chip holds as an INT8 map: the final output of a mapped layer (after its fused ReLU, Add and
// pooling) or the network input, [h * w][channels] in HWC order.
struct MapInfo {
  int layer = -1;  // producing layer; -1 = the network input
  int64_t channels = 0, h = 1, w = 1;
  double step = 0;
  bool flattened = false;  // seen through a Flatten/Reshape: a Gemm reads it as one HWC vector
  int64_t pixels() const { return h * w; }
  // Which per-map reader list holds this map's readers: producing layer + 1 (0 = the network input).
  size_t readers_index() const {
    AIMC_ASSERT(layer >= -1);
    return layer < 0 ? 0 : static_cast<size_t>(layer) + 1;
  }
};

// What a consumer's slot holds of a map: either the channels [begin, begin + count) of every pixel
// ([pixel][count]) or, for a Gemm after a Flatten, the HWC indices [begin, begin + count) of a map with
// `channels` channels.
struct SlotView {
  bool flat = false;
  int64_t begin = 0, count = 0, channels = 0;
};

// One transfer: `rows` rows of `len` bytes, from src + r * src_stride to dst + r * dst_stride.
struct Run {
  int64_t src = 0, dst = 0, len = 0, rows = 1, src_stride = 0, dst_stride = 0;
};

// The bytes a producer holding channels [pb, pb + pc) of every pixel of a map ([pixel][pc]) sends to a slot
// view, as few strided runs as the layouts allow.
std::vector<Run> transfer_runs(int64_t pixels, int64_t pb, int64_t pc, const SlotView& v) {
  std::vector<Run> runs;
  for (int64_t px = 0; px < pixels; ++px) {
    int64_t lo, hi, src, dst;
    if (v.flat) {
      const int64_t base = px * v.channels;
      lo = std::max(base + pb, v.begin);
      hi = std::min(base + pb + pc, v.begin + v.count);
      src = px * pc + (lo - base - pb);
      dst = lo - v.begin;
    } else {
      lo = std::max(pb, v.begin);
      hi = std::min(pb + pc, v.begin + v.count);
      src = px * pc + (lo - pb);
      dst = px * v.count + (lo - v.begin);
    }
    if (lo >= hi) continue;
    const int64_t len = hi - lo;
    if (!runs.empty()) {
      Run& r = runs.back();
      const int64_t last_src = r.src + (r.rows - 1) * r.src_stride,
                    last_dst = r.dst + (r.rows - 1) * r.dst_stride;
      if (r.len == len && (r.rows == 1 ? src - last_src >= len && dst - last_dst >= len
                                       : src - last_src == r.src_stride && dst - last_dst == r.dst_stride)) {
        if (r.rows == 1) {
          r.src_stride = src - last_src;
          r.dst_stride = dst - last_dst;
        }
        ++r.rows;
        continue;
      }
    }
    runs.push_back({src, dst, len, 1, 0, 0});
  }
  for (Run& r : runs)
    if (r.rows > 1 && r.src_stride == r.len && r.dst_stride == r.len) {  // contiguous on both sides
      r.len *= r.rows;
      r.rows = 1;
      r.src_stride = r.dst_stride = 0;
    }
  return runs;
}

// A reader of a layer's (or the input's) map: piece `piece` (or the chip's output port when piece < 0).
struct MapReader {
  int piece = -1;
  uint32_t tag = 0;
  SlotView view;
};

bool relu_like(const GraphNode& n) {
  return n.op == OpKind::kRelu || (n.op == OpKind::kClip && n.clip_min == 0.0f && n.clip_max > 0.0f);
}

bool is_pool(OpKind op) {
  return op == OpKind::kMaxPool || op == OpKind::kAveragePool || op == OpKind::kGlobalAveragePool;
}

}  // namespace

Mapping map_network(const Graph& graph, const ArchConfig& arch, const std::map<std::string, double>& absmax) {
  Mapping m;
  m.source = graph.source;
  m.chip_cores = static_cast<int>(arch.chip.cores);
  const int code_max = (1 << (arch.core.tile.dac.bits - 1)) - 1;
  const int64_t rows = arch.core.tile.rows, cols = arch.core.tile.cols;
  if (graph.inputs.size() != 1)
    throw UserError(graph.source, 0, "inputs", "the chip maps networks with exactly one input");
  if (graph.outputs.size() != 1)
    throw UserError(graph.source, 0, "outputs", "the chip maps networks with exactly one output");
  const std::string& output_tensor = graph.outputs[0];

  std::map<std::string, MapInfo> maps;
  {
    const GraphTensor& in = graph.tensor(graph.inputs[0]);
    MapInfo info;
    if (in.shape.size() == 4) {
      info.channels = in.shape[1];
      info.h = in.shape[2];
      info.w = in.shape[3];
    } else if (in.shape.size() == 2) {
      info.channels = in.shape[1];
    } else {
      throw UserError(graph.source, 0, in.name,
                      "the network input must be [N, features] or [N, C, H, W], not " + in.shapeText());
    }
    info.step = step_for(absmax, in.name, code_max);
    m.input_channels = info.channels;
    m.input_pixels = info.pixels();
    m.input_features = in.sampleSize();
    m.input_step = info.step;
    maps[in.name] = info;
  }
  auto map_of = [&](const GraphNode& node, const std::string& tensor) -> const MapInfo& {
    auto it = maps.find(tensor);
    if (it == maps.end())
      throw UserError(
          graph.source, 0, node.name,
          fmt::format("{} reads {}, which is not an INT8 map on the chip (only the network input "
                      "and the outputs of mapped Conv/Gemm layers, after their fused ReLU, Add and "
                      "pooling, are)",
                      opKindName(node.op), tensor));
    return it->second;
  };

  std::vector<bool> absorbed(graph.nodes.size(), false);
  std::vector<MapInfo> layer_input;  // per layer: the map it reads
  std::vector<MapInfo> layer_skip;   // per layer: the residual map (layer == -2: none)
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    if (absorbed[n]) continue;
    const GraphNode& node = graph.nodes[n];
    switch (node.op) {
      case OpKind::kFlatten:
      case OpKind::kReshape: {
        MapInfo info = map_of(node, node.inputs[0]);
        const GraphTensor& out = graph.tensor(node.output);
        if (out.shape.size() != 2 || out.sampleSize() != info.pixels() * info.channels)
          throw UserError(graph.source, 0, node.name,
                          "only a Flatten/Reshape to [N, features] of the whole map is mapped (got " +
                              out.shapeText() + ")");
        info.flattened = true;
        maps[node.output] = info;
        break;
      }
      case OpKind::kSoftmax:
        // Monotonic: the chip returns the logits; the host applies softmax if it wants probabilities.
        if (n + 1 != graph.nodes.size() || node.output != output_tensor)
          throw UserError(graph.source, 0, node.name, "Softmax is only supported as the last node");
        maps[node.output] = map_of(node, node.inputs[0]);
        break;
      case OpKind::kGemm:
      case OpKind::kConv: {
        const MapInfo src = map_of(node, node.inputs[0]);
        const bool conv = node.op == OpKind::kConv;
        if (conv && src.flattened)
          throw UserError(graph.source, 0, node.name, "Conv reads a flattened tensor");
        // A depthwise Conv (one filter per channel: group = input channels = output channels) runs on a
        // core's digital unit (DepthwiseKernel); its crossbar form would be block-diagonal, mostly zeros.
        // Other grouped Convs (several channels per group, or a channel multiplier) are not mapped.
        const bool dw = conv && node.group > 1;
        if (dw && (node.group != src.channels || node.weight.rows() != node.group))
          throw UserError(graph.source, 0, node.name,
                          fmt::format("grouped Conv (group {} of {} input and {} output channels) is not "
                                      "mapped onto the chip: only groups = 1 (crossbars) and depthwise "
                                      "(group = input channels = output channels, digital units)",
                                      node.group, src.channels, node.weight.rows()));
        MappedLayer layer;
        layer.name = node.name;
        layer.conv = conv;
        layer.depthwise = dw;
        layer.in_features = node.weight.cols();
        layer.out_features = node.weight.rows();
        layer.in_step = src.step;
        // A Gemm after a Flatten of a map reads it in the chip's HWC order: permute its columns from CHW.
        Eigen::MatrixXf weight = node.weight;
        if (!conv && src.pixels() > 1) {
          const int64_t c_count = src.channels, p_count = src.pixels();
          for (int64_t c = 0; c < c_count; ++c)
            for (int64_t px = 0; px < p_count; ++px)
              weight.col(px * c_count + c) = node.weight.col(c * p_count + px);
        }
        ConvGeometry base;
        if (conv) {
          const GraphTensor& out = graph.tensor(node.output);
          const WindowAttributes& win = node.window;
          base.in_h = src.h;
          base.in_w = src.w;
          base.kh = win.kernel[0];
          base.kw = win.kernel[1];
          base.stride_h = win.strides[0];
          base.stride_w = win.strides[1];
          base.pad_top = win.pads[0];
          base.pad_left = win.pads[1];
          base.dilation_h = win.dilations[0];
          base.dilation_w = win.dilations[1];
          base.out_h = out.shape[2];
          base.out_w = out.shape[3];
          layer.geometry = base.describe();
        }
        layer.pixels = base.pixels();

        // Fuse what follows while each tensor has this chain as its only reader: [ReLU/Clip(0, m)]
        // [Add(skip)] [ReLU/Clip(0, m)] [pool].
        auto sole_reader = [&](const std::string& t) {
          const std::vector<int> readers = graph.consumers(t);
          return t == output_tensor || readers.size() != 1 ? -1 : readers[0];
        };
        std::string t = node.output, t_mid, t_add, skip;
        bool relu_pre = false, relu_post = false;
        double clip_pre = 0, clip_post = 0;
        int add = -1, pool = -1;
        for (int k = sole_reader(t); k >= 0 && pool < 0; k = sole_reader(t)) {
          const GraphNode& next = graph.nodes[static_cast<size_t>(k)];
          if (dw && !relu_like(next)) break;  // a depthwise layer fuses its ReLU/Clip only
          if (relu_like(next) && add < 0 && !relu_pre) {
            relu_pre = true;
            clip_pre = next.op == OpKind::kClip ? next.clip_max : 0.0;
          } else if (next.op == OpKind::kAdd && add < 0 && clip_pre == 0.0 && next.inputs.size() == 2) {
            const std::string& other = next.inputs[0] == t ? next.inputs[1] : next.inputs[0];
            auto o = maps.find(other);
            if (other == t || o == maps.end() || o->second.flattened ||
                graph.tensor(other).shape != graph.tensor(t).shape)
              break;
            add = k;
            skip = other;
            t_mid = t;
            t_add = next.output;
          } else if (relu_like(next) && add >= 0 && !relu_post) {
            relu_post = true;
            clip_post = next.op == OpKind::kClip ? next.clip_max : 0.0;
          } else if (is_pool(next.op) && conv) {
            pool = k;
            absorbed[static_cast<size_t>(k)] = true;
            break;
          } else {
            break;
          }
          absorbed[static_cast<size_t>(k)] = true;
          t = next.output;
        }
        // Steps: the final (pre-pool) tensor's; a Clip(0, m) sets it so that the INT8 range saturates at m.
        const double clip_final = relu_post ? clip_post : (add < 0 ? clip_pre : 0.0);
        const double out_step = clip_final > 0 ? clip_final / code_max : step_for(absmax, t, code_max);
        layer.out_step = out_step;
        layer.relu = relu_pre || relu_post;
        layer.out_slices = static_cast<int>((layer.out_features + rows - 1) / rows);
        layer.in_slices = dw ? 1 : static_cast<int>((layer.in_features + cols - 1) / cols);
        const int chain = layer.in_slices;
        // An Add after the ReLU of a chain longer than one needs the full sum before the ReLU, then the skip:
        // a second (residual) pass of the last piece's digital unit, from an INT8 map at the ReLU's step.
        const bool residual_pass = add >= 0 && relu_pre && chain > 1;
        const double mid_step = residual_pass ? step_for(absmax, t_mid, code_max) : out_step;
        const double skip_step = add >= 0 ? maps.at(skip).step : 0.0;
        // Partial sums carry the sum before the ReLU (the Conv/Gemm output, or the Add's output when the skip
        // enters the chain): calibrated on that tensor so that negative partial sums do not saturate.
        // At most 3.75 output steps per partial-sum step: the NMPU's side_scale register holds +-4.
        const double last_step = residual_pass ? mid_step : out_step;
        const double psum_step =
            chain == 1
                ? last_step
                : std::min(3.75 * last_step, add >= 0 && !relu_pre ? step_for(absmax, t_add, code_max)
                                                                   : step_for(absmax, node.output, code_max));
        MapInfo skip_map;
        skip_map.layer = -2;
        if (add >= 0) {
          skip_map = maps.at(skip);
          layer.fused += fmt::format("Add({}) {} the ReLU{}", graph.nodes[static_cast<size_t>(add)].name,
                                     relu_pre ? "after" : "before", residual_pass ? " (residual pass)" : "");
        }
        PoolGeometry pg;
        MapInfo out_map;
        out_map.layer = static_cast<int>(m.layers.size());
        out_map.channels = layer.out_features;
        out_map.h = base.out_h;
        out_map.w = base.out_w;
        out_map.step = out_step;
        if (pool >= 0) {
          const GraphNode& pn = graph.nodes[static_cast<size_t>(pool)];
          const GraphTensor& po = graph.tensor(pn.output);
          pg.enabled = true;
          pg.is_max = pn.op == OpKind::kMaxPool;
          pg.in_h = base.out_h;
          pg.in_w = base.out_w;
          pg.out_h = po.shape[2];
          pg.out_w = po.shape[3];
          if (pn.op == OpKind::kGlobalAveragePool) {
            pg.kh = base.out_h;
            pg.kw = base.out_w;
          } else {
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
          }
          if (!pg.is_max) {
            // An average is rescaled to its own calibrated step (rounded to the register's 16 fraction bits).
            const double pool_step = step_for(absmax, pn.output, code_max);
            pg.scale_q16 =
                std::clamp<int64_t>(std::llround(out_step / pool_step * 65536.0), 1, int64_t{1} << 24);
            out_map.step = out_step * 65536.0 / static_cast<double>(pg.scale_q16);
          }
          layer.fused += (layer.fused.empty() ? "" : ", ") + pg.describe();
          out_map.h = pg.out_h;
          out_map.w = pg.out_w;
          t = pn.output;
        }
        const int64_t khw = base.kh * base.kw;
        // Depthwise: one piece per `rows` channels (the digital unit's per-channel register sets), each on
        // its own core, reading those channels of the input map and making the same channels of the output.
        for (int o = 0; dw && o < layer.out_slices; ++o) {
          CrossbarPiece p;
          p.layer = static_cast<int>(m.layers.size());
          p.out_begin = o * rows;
          p.out_count = std::min(rows, layer.out_features - p.out_begin);
          p.in_begin = p.out_begin * khw;
          p.in_count = p.out_count * khw;
          p.geometry = base;
          p.geometry.channel_begin = p.out_begin;
          p.geometry.channel_count = p.out_count;
          p.geometry.col_begin = p.in_begin;
          p.geometry.col_count = p.in_count;
          p.depthwise = DepthwiseKernel::build(node.weight.middleRows(p.out_begin, p.out_count), p.geometry,
                                               static_cast<int>(arch.core.tile.adc.cco_counter_bits));
          p.out_step = out_step;
          p.relu2 = relu_pre;
          p.bias_lsb = Eigen::VectorXf::Zero(p.out_count);
          for (int64_t r = 0; r < p.out_count; ++r)
            p.bias_lsb[r] = static_cast<float>(node.bias[p.out_begin + r] / p.out_step);
          layer.pieces.push_back(static_cast<int>(m.pieces.size()));
          m.pieces.push_back(std::move(p));
        }
        if (dw) layer.fused = "depthwise on the digital unit (crossbar unused)";
        for (int o = 0; !dw && o < layer.out_slices; ++o)
          for (int i = 0; i < chain; ++i) {
            CrossbarPiece p;
            p.layer = static_cast<int>(m.layers.size());
            p.out_begin = o * rows;
            p.out_count = std::min(rows, layer.out_features - p.out_begin);
            p.in_begin = i * cols;
            p.in_count = std::min(cols, layer.in_features - p.in_begin);
            p.chain_index = i;
            p.chain_length = chain;
            p.weight = weight.block(p.out_begin, p.in_begin, p.out_count, p.in_count);
            p.geometry = base;
            p.geometry.col_begin = p.in_begin;
            p.geometry.col_count = p.in_count;
            p.geometry.channel_begin = p.in_begin / khw;
            p.geometry.channel_count = (p.in_begin + p.in_count - 1) / khw - p.geometry.channel_begin + 1;
            if (!conv) {  // a Gemm's slot holds exactly its columns (channels of a vector or HWC indices)
              p.geometry.channel_begin = p.in_begin;
              p.geometry.channel_count = p.in_count;
            }
            const bool last = i + 1 == chain;
            p.skip_input = add >= 0 && (residual_pass ? last : i == 0);
            p.out_step = !last ? psum_step : residual_pass ? mid_step : out_step;
            if (i > 0) p.side_scale = psum_step / p.out_step;
            if (add < 0) {
              p.relu2 = last && relu_pre;
            } else if (!relu_pre) {  // Add before the ReLU: the skip enters the chain at its start
              if (i == 0) p.side_scale = skip_step / p.out_step;
              p.relu2 = last && relu_post;
            } else if (chain == 1) {  // Add after the ReLU, one piece: both in one pass
              p.relu1 = true;
              p.side_scale = skip_step / out_step;
              p.relu2 = relu_post;
            } else {
              p.relu2 = last;
              if (last) {
                p.residual_pass = true;
                p.residual_scale = mid_step / out_step;
                p.residual_side_scale = skip_step / out_step;
                p.residual_relu = relu_post;
              }
            }
            p.bias_lsb = Eigen::VectorXf::Zero(p.out_count);
            if (last) {
              for (int64_t r = 0; r < p.out_count; ++r)
                p.bias_lsb[r] = static_cast<float>(node.bias[p.out_begin + r] / p.out_step);
              p.pool = pg;
              p.pool.channels = p.out_count;
            }
            layer.pieces.push_back(static_cast<int>(m.pieces.size()));
            m.pieces.push_back(std::move(p));
          }
        layer_input.push_back(src);
        layer_skip.push_back(skip_map);
        m.layers.push_back(std::move(layer));
        maps[t] = out_map;
        break;
      }
      case OpKind::kAdd:
        throw UserError(graph.source, 0, node.name,
                        "this Add cannot be fused: a residual Add is mapped into the Conv/Gemm producing one "
                        "input (directly or through its ReLU) when that output has no other reader and the "
                        "other input is already an INT8 map on the chip (the network input or an earlier "
                        "layer's output)");
      case OpKind::kMaxPool:
      case OpKind::kAveragePool:
      case OpKind::kGlobalAveragePool:
        throw UserError(
            graph.source, 0, node.name,
            std::string(opKindName(node.op)) +
                " cannot be fused: pooling runs in the digital units of the Conv before it (after "
                "its ReLU/Add), so it must directly follow a Conv whose output has no other reader "
                "(not the network input, another pool or a Gemm)");
      case OpKind::kRelu:
      case OpKind::kClip:
        throw UserError(graph.source, 0, node.name,
                        std::string(opKindName(node.op)) +
                            " cannot be fused: a ReLU or Clip(0, m) must directly follow a Conv/Gemm (or its "
                            "residual Add) whose output has no other reader");
      default:
        throw UserError(graph.source, 0, node.name,
                        std::string("operator ") + opKindName(node.op) +
                            " is not mapped onto the chip (supported: Conv, Gemm, and fused into them ReLU, "
                            "Clip(0, m), residual Add, MaxPool, AveragePool, GlobalAveragePool; Flatten, "
                            "Reshape, a final Softmax)");
    }
  }
  if (m.layers.empty()) throw UserError(graph.source, 0, "", "the network has no Conv or Gemm layer to map");
  if (maps.count(output_tensor) == 0 || maps.at(output_tensor).layer < 0)
    throw UserError(graph.source, 0, output_tensor, "the network output is not the output of a mapped layer");
  const MapInfo& out_map = maps.at(output_tensor);
  m.output_step = out_map.step;
  m.output_channels = out_map.channels;
  m.output_pixels = out_map.pixels();
  m.output_features = out_map.channels * out_map.pixels();

  // Placement: one crossbar per core, pieces in order along the snake.
  if (static_cast<int64_t>(m.pieces.size()) > arch.chip.cores)
    throw UserError(
        graph.source, 0, "",
        fmt::format("the network needs {} crossbars of {}x{} but the chip has {} cores with one each",
                    m.pieces.size(), rows, cols, arch.chip.cores));
  if (m.pieces.size() >= 0x2000)
    throw UserError(graph.source, 0, "", "more than 8191 crossbar pieces do not fit the 16-bit slot tags");
  const std::vector<int> order = snake_order(arch);
  int64_t weights = 0;
  for (size_t p = 0; p < m.pieces.size(); ++p) {
    m.pieces[p].core = order[p];
    if (m.pieces[p].depthwise.enabled) continue;
    weights += m.pieces[p].out_count * m.pieces[p].in_count;
    ++m.crossbars_used;
  }
  m.cores_used = static_cast<int>(m.pieces.size());
  m.cell_utilisation = m.crossbars_used == 0 ? 0.0
                                             : static_cast<double>(weights) /
                                                   (static_cast<double>(m.crossbars_used) * rows * cols);

  // Who reads each map: per producing layer (index + 1; 0 = the network input), in layer and piece order.
  std::vector<std::vector<MapReader>> readers(m.layers.size() + 1);
  for (size_t li = 0; li < m.layers.size(); ++li) {
    const MapInfo& src = layer_input[li];
    for (int pi : m.layers[li].pieces) {
      const CrossbarPiece& p = m.pieces[static_cast<size_t>(pi)];
      MapReader r{pi, input_tag(pi), {}};
      r.view.flat = !m.layers[li].conv && src.pixels() > 1;
      r.view.begin = p.geometry.channel_begin;
      r.view.count = p.geometry.channel_count;
      r.view.channels = src.channels;
      readers[src.readers_index()].push_back(r);
    }
    if (layer_skip[li].layer == -2) continue;
    for (int pi : m.layers[li].pieces) {
      const CrossbarPiece& p = m.pieces[static_cast<size_t>(pi)];
      if (!p.skip_input) continue;
      readers[layer_skip[li].readers_index()].push_back(
          {pi, skip_tag(pi), {false, p.out_begin, p.out_count, layer_skip[li].channels}});
    }
  }
  readers[out_map.readers_index()].push_back({-1, 0, {true, 0, m.output_features, m.output_channels}});

  // Sends of a map held as channels [pb, pb + pc) of every pixel, from slot `tag`, to all its readers.
  // Readers that need the same bytes at the same offsets (pieces of several output slices reading one input
  // slice) share one multicast packet (the network's multicast tree, issue 4).
  auto row_transfer = [&](const Run& run) {
    const isa::RowTransfer t{static_cast<uint32_t>(run.dst),        static_cast<uint32_t>(run.src),
                             static_cast<uint32_t>(run.rows),       static_cast<uint32_t>(run.len),
                             static_cast<uint32_t>(run.src_stride), static_cast<uint32_t>(run.dst_stride)};
    if (run.rows > 0xFFFF || run.len > 0xFFFF || run.src_stride > 0xFFFF || run.dst_stride > 0xFFFF)
      throw UserError(graph.source, 0, m.layers.back().name,
                      "a map transfer needs rows, row bytes or strides beyond 16 bits");
    return t;
  };
  auto same_runs = [](const std::vector<Run>& x, const std::vector<Run>& y) {
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), [](const Run& u, const Run& v) {
             return u.src == v.src && u.dst == v.dst && u.len == v.len && u.rows == v.rows &&
                    u.src_stride == v.src_stride && u.dst_stride == v.dst_stride;
           });
  };
  auto send_map = [&](std::vector<Command>& cmds, uint32_t tag, int64_t pixels, int64_t pb, int64_t pc,
                      const std::vector<MapReader>& to) {
    std::vector<std::vector<Run>> runs;
    runs.reserve(to.size());
    for (const MapReader& r : to) runs.push_back(transfer_runs(pixels, pb, pc, r.view));
    // leader[k]: the first reader with the same runs as reader k, of the same layer and slot kind (the
    // chip's output port is never grouped). A packet waits for room at every destination, so a skip map
    // consumed later in the pipeline never shares one with a layer's input.
    auto stage = [&](const MapReader& r) {
      return std::make_pair(m.pieces[static_cast<size_t>(r.piece)].layer, r.tag == input_tag(r.piece));
    };
    std::vector<size_t> leader(to.size());
    for (size_t k = 0; k < to.size(); ++k) {
      leader[k] = k;
      for (size_t j = 0; j < k && to[k].piece >= 0 && !runs[k].empty(); ++j)
        if (leader[j] == j && to[j].piece >= 0 && stage(to[j]) == stage(to[k]) &&
            same_runs(runs[j], runs[k])) {
          leader[k] = j;
          break;
        }
    }
    for (size_t k = 0; k < to.size(); ++k) {
      if (leader[k] != k) continue;
      std::vector<Mapping::MulticastDestination> group;
      // The chip's output port (piece < 0) is never grouped and has no piece to look up.
      for (size_t j = k; j < to.size() && to[k].piece >= 0; ++j)
        if (leader[j] == k) group.push_back({m.pieces[static_cast<size_t>(to[j].piece)].core, to[j].tag});
      if (group.size() > 1) {
        const auto g = static_cast<uint32_t>(m.multicast_groups.size());
        m.multicast_groups.push_back(group);
        for (const Run& run : runs[k]) cmds.push_back(isa::Multicast{tag, g, row_transfer(run)}.encode());
        continue;
      }
      const MapReader& r = to[k];
      const uint32_t core =
          r.piece < 0 ? kOutputPort : static_cast<uint32_t>(m.pieces[static_cast<size_t>(r.piece)].core);
      for (const Run& run : runs[k]) {
        if (run.rows == 1) {
          cmds.push_back(isa::Send{tag, core, r.tag, static_cast<uint32_t>(run.dst), static_cast<uint32_t>(run.src),
                                   static_cast<uint32_t>(run.len)}
                             .encode());
          continue;
        }
        cmds.push_back(isa::SendRows{tag, core, r.tag, row_transfer(run)}.encode());
      }
    }
  };

  // The host's input transfers.
  for (const MapReader& r : readers[0]) {
    const int core = m.pieces[static_cast<size_t>(r.piece)].core;
    for (const Run& run : transfer_runs(m.input_pixels, 0, m.input_channels, r.view))
      m.input_transfers.push_back(
          {core, r.tag, run.dst, run.src, run.rows, run.len, run.src_stride, run.dst_stride});
    if (std::find(m.input_cores.begin(), m.input_cores.end(), core) == m.input_cores.end())
      m.input_cores.push_back(core);
  }

  // The static schedule: each core's command table, executed once per sample.
  m.commands.assign(static_cast<size_t>(arch.chip.cores), {});
  const int64_t per_controller = arch.core.controller.cores_per_controller;
  m.controller_commands.assign(static_cast<size_t>(arch.chip.cores / per_controller), {});
  for (size_t li = 0; li < m.layers.size(); ++li) {
    const MappedLayer& layer = m.layers[li];
    const auto pixels = static_cast<uint32_t>(layer.pixels);
    for (size_t k = 0; k < layer.pieces.size(); ++k) {
      const int pi = layer.pieces[k];
      const CrossbarPiece& p = m.pieces[static_cast<size_t>(pi)];
      auto& cmds = m.commands[static_cast<size_t>(p.core)];
      const size_t piece_first_command = cmds.size();
      const auto out_bytes = static_cast<uint32_t>(p.out_count);
      const bool last = p.chain_index + 1 == p.chain_length;
      const bool gets_skip = p.skip_input;
      cmds.push_back(isa::WaitInput{input_tag(pi), static_cast<uint32_t>(p.geometry.slot_bytes())}.encode());
      if (p.depthwise.enabled) {
        cmds.push_back(isa::Depthwise{input_tag(pi), output_tag(pi), pixels}.encode());
        send_map(cmds, output_tag(pi), layer.pixels, p.out_begin, p.out_count, readers[li + 1]);
        auto& merged = m.controller_commands[static_cast<size_t>(p.core / per_controller)];
        for (size_t c = piece_first_command; c < cmds.size(); ++c) {
          merged.push_back(cmds[c]);
          merged.back().slot = static_cast<uint32_t>(p.core % per_controller);
        }
        continue;
      }
      if (gets_skip) cmds.push_back(isa::WaitInput{skip_tag(pi), pixels * out_bytes}.encode());
      std::vector<Command> body;
      body.push_back(isa::Mvm{input_tag(pi), pixels}.encode());
      if (p.chain_index > 0) body.push_back(isa::WaitInput{psum_tag(pi), out_bytes, out_bytes}.encode());
      const uint32_t side =
          p.chain_index > 0 ? psum_tag(pi) : (gets_skip && !p.residual_pass ? skip_tag(pi) : kNoSlot);
      body.push_back(isa::Digital{output_tag(pi), side, pixels}.encode());
      if (p.residual_pass)
        body.push_back(isa::Digital{residual_tag(pi), skip_tag(pi), pixels, output_tag(pi), true}.encode());
      if (!last) {
        const CrossbarPiece& next = m.pieces[static_cast<size_t>(pi) + 1];
        body.push_back(
            isa::Send{output_tag(pi), static_cast<uint32_t>(next.core), psum_tag(pi + 1), 0, 0, out_bytes}.encode());
      }
      if (pixels > 1) cmds.push_back(isa::Loop{pixels, static_cast<uint32_t>(body.size())}.encode());
      cmds.insert(cmds.end(), body.begin(), body.end());
      if (last) {
        uint32_t final_tag = p.residual_pass ? residual_tag(pi) : output_tag(pi);
        int64_t final_pixels = layer.pixels;
        if (p.pool.enabled) {
          cmds.push_back(isa::Pool{final_tag, pooled_tag(pi)}.encode());
          final_tag = pooled_tag(pi);
          final_pixels = p.pool.out_h * p.pool.out_w;
        }
        send_map(cmds, final_tag, final_pixels, p.out_begin, p.out_count, readers[li + 1]);
      }
      // The piece's commands join its controller's table in this global (layer, piece) order.
      auto& merged = m.controller_commands[static_cast<size_t>(p.core / per_controller)];
      for (size_t c = piece_first_command; c < cmds.size(); ++c) {
        merged.push_back(cmds[c]);
        merged.back().slot = static_cast<uint32_t>(p.core % per_controller);
      }
    }
  }
  // Set-up, once at the start of every run (the coefficients depend on the inference time through the drift
  // compensation): each piece's core has its DMA copy the piece's configuration table from SRAM into the
  // digital unit's registers. The controller keeps these apart from the per-sample commands.
  for (size_t pi = m.pieces.size(); pi-- > 0;) {
    const CrossbarPiece& p = m.pieces[pi];
    auto& merged = m.controller_commands[static_cast<size_t>(p.core / per_controller)];
    Command configure =
        isa::Configure{config_tag(static_cast<int>(pi)), static_cast<uint32_t>(p.out_count)}.encode();
    configure.slot = static_cast<uint32_t>(p.core % per_controller);
    if (p.residual_pass) {
      Command bank1 =
          isa::Configure{residual_config_tag(static_cast<int>(pi)), static_cast<uint32_t>(p.out_count), 1}.encode();
      bank1.slot = configure.slot;
      merged.insert(merged.begin(), bank1);
    }
    merged.insert(merged.begin(), configure);
  }
  m.sram_size_bytes = arch.core.sram.size_bytes;
  for (const CrossbarPiece& p : m.pieces) {
    const int64_t map = m.layers[static_cast<size_t>(p.layer)].pixels * p.out_count;
    const int64_t arriving =
        p.geometry.slot_bytes() + (p.skip_input ? map : 0) + (p.chain_index > 0 ? map : 0);
    const int64_t own = map + (p.residual_pass ? map : 0) + (p.pool.enabled ? p.pool.out_bytes() : 0);
    const int64_t need = 2 * arriving + own;  // arriving maps double-buffered (hw/Core.cpp kBufferDepth)
    if (need > m.sram_need_bytes) {
      m.sram_need_bytes = need;
      m.sram_need_core = p.core;
    }
  }
  for (const auto& cmds : m.commands)
    if (cmds.size() > 0xFFFF) throw UserError(graph.source, 0, "", "a core's command table is too long");
  // A batch boundary: every controller with work meets at one barrier after the last sample of a run, so the
  // chip's controllers agree that the batch is over (the point where a host may start the next batch or
  // reprogram) — and it costs nothing inside the pipelined sample stream.
  uint32_t working = 0;
  for (const auto& t : m.controller_commands) working += t.empty() ? 0 : 1;
  for (auto& t : m.controller_commands)
    if (!t.empty()) t.push_back(isa::Barrier{0, working, kBarrierBatchEnd}.encode());
  return m;
}

}  // namespace aimc
