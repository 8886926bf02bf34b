// map_network: the compiler's passes in order, each with its own product (see each pass's header for what it
// decides and why). A new operator is a lowering of the layer plan (LayerLowering.h); a new decision about
// pieces, cores, transfers or commands is a pass here, not a branch inside another pass.
#include "aimc/compiler/Mapping.h"

#include "aimc/compiler/LayerPlan.h"
#include "aimc/compiler/MemoryPlan.h"
#include "aimc/compiler/PieceTiling.h"
#include "aimc/compiler/Placement.h"
#include "aimc/compiler/Schedule.h"
#include "aimc/compiler/TransferPlan.h"

namespace aimc {

namespace {

// The network's boundary: its input and output maps, as the host streams them in and reads them out.
void describe_boundary(const Graph& graph, const LayerPlan& plan, Mapping& m) {
  m.input_channels = plan.input.channels;
  m.input_pixels = plan.input.pixels();
  m.input_features = graph.tensor(plan.input_tensor).sampleSize();
  m.input_tensor = plan.input_tensor;
  if (plan.host_input_node >= 0)
    m.input_host_step = graph.nodes[static_cast<size_t>(plan.host_input_node)].name;
  m.input_sequence = plan.input.sequence;
  m.output_sequence = plan.output.sequence;
  m.input_step = plan.input.step;
  m.output_step = plan.output.step;
  m.output_channels = plan.output.channels;
  m.output_pixels = plan.output.pixels();
  m.output_features = plan.output.channels * plan.output.pixels();
}

void adopt_tiling(const LayerPlan& plan, PieceTiling tiling, Mapping& m) {
  for (size_t li = 0; li < plan.layers.size(); ++li) {
    m.layers.push_back(plan.layers[li].mapped);
    m.layers.back().pieces = tiling.layer_pieces[li];
  }
  m.pieces = std::move(tiling.pieces);
}

void adopt_placement(const Placement& placement, Mapping& m) {
  for (size_t p = 0; p < m.pieces.size(); ++p) {
    m.pieces[p].core = placement.piece_core[p];
    m.pieces[p].out_offset = placement.out_offset[p];
    m.pieces[p].in_offset = placement.in_offset[p];
  }
  m.crossbar_use = placement.crossbar_use;
  m.cores_used = placement.cores_used;
  m.crossbars_used = placement.crossbars_used;
  m.cell_utilisation = placement.cell_utilisation;
}

void adopt_transfers(TransferPlan& transfers, Mapping& m) {
  m.multicast_groups = std::move(transfers.multicast_groups);
  m.input_transfers = std::move(transfers.input_transfers);
  m.input_cores = std::move(transfers.input_cores);
}

}  // namespace

Mapping map_network(const Graph& graph, const ArchConfig& arch, const std::map<std::string, double>& absmax,
                    PackingPolicy packing) {
  Mapping m;
  m.source = graph.source;
  m.chip_cores = static_cast<int>(arch.chip.cores);
  const LayerPlan plan = plan_layers(graph, arch, absmax);
  describe_boundary(graph, plan, m);
  adopt_tiling(plan, tile_pieces(plan, arch), m);
  adopt_placement(place_pieces(m.pieces, arch, graph.source, packing), m);
  TransferPlan transfers = plan_transfers(plan, m);
  Schedule schedule = schedule_pieces(m, transfers, arch, graph.source);
  adopt_transfers(transfers, m);
  m.commands = std::move(schedule.commands);
  m.controller_commands = std::move(schedule.controller_commands);
  const MemoryPlan memory = plan_memory(m, arch);
  m.sram_need_bytes = memory.need_bytes;
  m.sram_size_bytes = memory.size_bytes;
  m.sram_need_core = memory.need_core;
  return m;
}

}  // namespace aimc
