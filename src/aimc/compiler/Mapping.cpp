#include "aimc/compiler/Mapping.h"

#include <algorithm>
#include <cmath>
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

}  // namespace

Mapping map_network(const Graph& graph, const ArchConfig& arch, const std::map<std::string, double>& absmax) {
  Mapping m;
  m.source = graph.source;
  m.chip_cores = static_cast<int>(arch.chip.cores);
  const int code_max = (1 << (arch.core.tile.dac.bits - 1)) - 1;
  const int64_t rows = arch.core.tile.rows, cols = arch.core.tile.cols;
  if (graph.inputs.size() != 1)
    throw UserError(graph.source, 0, "inputs", "the chip maps networks with exactly one input");

  // Walk the graph as a chain of Gemm [+ Relu] layers.
  std::string current = graph.inputs[0];
  m.input_features = graph.tensor(current).sampleSize();
  m.input_step = step_for(absmax, current, code_max);
  double current_step = m.input_step;
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    const GraphNode& node = graph.nodes[n];
    if (node.inputs.empty() || node.inputs[0] != current || node.inputs.size() != 1)
      throw UserError(graph.source, 0, node.name,
                      std::string(opKindName(node.op)) +
                          " does not continue a single chain of layers; only "
                          "chains of Gemm [+ Relu] are mapped onto the chip so far");
    switch (node.op) {
      case OpKind::kFlatten:
      case OpKind::kReshape:
        if (graph.tensor(node.output).sampleSize() != graph.tensor(current).sampleSize())
          throw UserError(graph.source, 0, node.name, "reshape changes the number of features");
        current = node.output;
        break;
      case OpKind::kSoftmax:
        // Monotonic: the chip returns the logits; the host applies softmax if it wants probabilities.
        if (n + 1 != graph.nodes.size())
          throw UserError(graph.source, 0, node.name, "Softmax is only supported as the last node");
        break;
      case OpKind::kGemm: {
        MappedLayer layer;
        layer.name = node.name;
        layer.in_features = node.weight.cols();
        layer.out_features = node.weight.rows();
        layer.in_step = current_step;
        std::string out_tensor = node.output;
        const bool relu_next = n + 1 < graph.nodes.size() && graph.nodes[n + 1].op == OpKind::kRelu &&
                               graph.consumers(node.output).size() == 1;
        if (relu_next) {
          layer.relu = true;
          out_tensor = graph.nodes[n + 1].output;
          ++n;
        }
        layer.out_step = step_for(absmax, out_tensor, code_max);
        layer.out_slices = static_cast<int>((layer.out_features + rows - 1) / rows);
        layer.in_slices = static_cast<int>((layer.in_features + cols - 1) / cols);
        for (int o = 0; o < layer.out_slices; ++o)
          for (int i = 0; i < layer.in_slices; ++i) {
            CrossbarPiece p;
            p.layer = static_cast<int>(m.layers.size());
            p.out_begin = o * rows;
            p.out_count = std::min(rows, layer.out_features - p.out_begin);
            p.in_begin = i * cols;
            p.in_count = std::min(cols, layer.in_features - p.in_begin);
            p.chain_index = i;
            p.chain_length = layer.in_slices;
            p.weight = node.weight.block(p.out_begin, p.in_begin, p.out_count, p.in_count);
            const bool last = i + 1 == layer.in_slices;
            p.relu = last && layer.relu;
            p.bias_lsb = Eigen::VectorXf::Zero(p.out_count);
            if (last)
              for (int64_t r = 0; r < p.out_count; ++r)
                p.bias_lsb[r] = static_cast<float>(node.bias[p.out_begin + r] / layer.out_step);
            layer.pieces.push_back(static_cast<int>(m.pieces.size()));
            m.pieces.push_back(std::move(p));
          }
        current = out_tensor;
        current_step = layer.out_step;
        m.layers.push_back(std::move(layer));
        break;
      }
      default:
        throw UserError(
            graph.source, 0, node.name,
            std::string("operator ") + opKindName(node.op) +
                " is not mapped onto the chip yet (supported so far: Gemm, Relu after a Gemm, Flatten, "
                "Reshape, a final Softmax)");
    }
  }
  if (m.layers.empty()) throw UserError(graph.source, 0, "", "the network has no Gemm layer to map");
  m.output_features = m.layers.back().out_features;

  // Placement: one crossbar per core, pieces in order along the snake.
  if (static_cast<int64_t>(m.pieces.size()) > arch.chip.cores)
    throw UserError(
        graph.source, 0, "",
        fmt::format("the network needs {} crossbars of {}x{} but the chip has {} cores with one each",
                    m.pieces.size(), rows, cols, arch.chip.cores));
  const std::vector<int> order = snake_order(arch);
  int64_t weights = 0;
  for (size_t p = 0; p < m.pieces.size(); ++p) {
    m.pieces[p].core = order[p];
    weights += m.pieces[p].out_count * m.pieces[p].in_count;
  }
  m.cores_used = static_cast<int>(m.pieces.size());
  m.cell_utilisation = static_cast<double>(weights) / (static_cast<double>(m.cores_used) * rows * cols);

  // The static schedule: each core's command table, executed once per sample.
  m.commands.assign(static_cast<size_t>(arch.chip.cores), {});
  const int64_t per_controller = arch.core.controller.cores_per_controller;
  m.controller_commands.assign(static_cast<size_t>(arch.chip.cores / per_controller), {});
  auto piece_at = [&](const MappedLayer& l, int o, int i) {
    return l.pieces[static_cast<size_t>(o) * static_cast<size_t>(l.in_slices) + static_cast<size_t>(i)];
  };
  for (size_t li = 0; li < m.layers.size(); ++li) {
    const MappedLayer& layer = m.layers[li];
    for (int o = 0; o < layer.out_slices; ++o)
      for (int i = 0; i < layer.in_slices; ++i) {
        const int pi = piece_at(layer, o, i);
        const CrossbarPiece& p = m.pieces[static_cast<size_t>(pi)];
        auto& cmds = m.commands[static_cast<size_t>(p.core)];
        const size_t piece_first_command = cmds.size();
        const auto in_bytes = static_cast<uint32_t>(p.in_count),
                   out_bytes = static_cast<uint32_t>(p.out_count);
        cmds.push_back({CommandOp::kWaitInput, input_tag(pi), in_bytes});
        cmds.push_back({CommandOp::kMvm, input_tag(pi)});
        if (i > 0) cmds.push_back({CommandOp::kWaitInput, psum_tag(pi), out_bytes});
        cmds.push_back({CommandOp::kDigital, output_tag(pi), i > 0 ? psum_tag(pi) : kNoSlot});
        if (i + 1 < layer.in_slices) {
          const int next = piece_at(layer, o, i + 1);
          cmds.push_back({CommandOp::kSend, output_tag(pi), static_cast<uint32_t>(m.pieces[next].core),
                          psum_tag(next), 0, 0, out_bytes});
        } else if (li + 1 == m.layers.size()) {
          cmds.push_back({CommandOp::kSend, output_tag(pi), kOutputPort, 0,
                          static_cast<uint32_t>(p.out_begin), 0, out_bytes});
        } else {
          for (int qi : m.layers[li + 1].pieces) {
            const CrossbarPiece& q = m.pieces[static_cast<size_t>(qi)];
            const int64_t lo = std::max(p.out_begin, q.in_begin);
            const int64_t hi = std::min(p.out_begin + p.out_count, q.in_begin + q.in_count);
            if (lo >= hi) continue;
            cmds.push_back({CommandOp::kSend, output_tag(pi), static_cast<uint32_t>(q.core), input_tag(qi),
                            static_cast<uint32_t>(lo - q.in_begin), static_cast<uint32_t>(lo - p.out_begin),
                            static_cast<uint32_t>(hi - lo)});
          }
        }
        // The piece's commands join its controller's table in this global (layer, piece) order.
        auto& merged = m.controller_commands[static_cast<size_t>(p.core / per_controller)];
        for (size_t k = piece_first_command; k < cmds.size(); ++k) {
          merged.push_back(cmds[k]);
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
    Command configure{CommandOp::kConfigure, config_tag(static_cast<int>(pi)),
                      static_cast<uint32_t>(p.out_count)};
    configure.slot = static_cast<uint32_t>(p.core % per_controller);
    merged.insert(merged.begin(), configure);
  }
  // A batch boundary: every controller with work meets at one barrier after the last sample of a run, so the
  // chip's controllers agree that the batch is over (the point where a host may start the next batch or
  // reprogram) — and it costs nothing inside the pipelined sample stream.
  uint32_t working = 0;
  for (const auto& t : m.controller_commands) working += t.empty() ? 0 : 1;
  for (auto& t : m.controller_commands)
    if (!t.empty()) t.push_back({CommandOp::kBarrier, 0, working, kBarrierBatchEnd});
  for (int pi : m.layers.front().pieces) m.input_cores.push_back(m.pieces[static_cast<size_t>(pi)].core);
  return m;
}

std::string Mapping::summary() const {
  std::ostringstream os;
  os << fmt::format(
      "mapping of {}: {} layers, {} crossbar pieces on {} of {} cores, cell utilisation {:.1f} %\n", source,
      layers.size(), pieces.size(), cores_used, chip_cores, 100.0 * cell_utilisation);
  for (const auto& l : layers) {
    os << fmt::format("  {:<16} {:>5} -> {:<5} {} x {} pieces, cores", l.name, l.in_features, l.out_features,
                      l.out_slices, l.in_slices);
    for (int p : l.pieces) os << ' ' << pieces[static_cast<size_t>(p)].core;
    os << (l.relu ? ", ReLU\n" : "\n");
  }
  return os.str();
}

}  // namespace aimc
