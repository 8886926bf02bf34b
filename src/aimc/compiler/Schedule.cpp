#include "aimc/compiler/Schedule.h"

namespace aimc {

namespace {

// The command fields of a strided run are 16 bits wide.
isa::RowTransfer row_transfer(const TransferRun& run, const Mapping& m, const std::string& source) {
  const isa::RowTransfer t{static_cast<uint32_t>(run.dst),        static_cast<uint32_t>(run.src),
                           static_cast<uint32_t>(run.rows),       static_cast<uint32_t>(run.len),
                           static_cast<uint32_t>(run.src_stride), static_cast<uint32_t>(run.dst_stride)};
  if (run.rows > 0xFFFF || run.len > 0xFFFF || run.src_stride > 0xFFFF || run.dst_stride > 0xFFFF)
    throw UserError(source, 0, m.layers.back().name,
                    "a map transfer needs rows, row bytes or strides beyond 16 bits");
  return t;
}

// The commands of the sends of a map slice from slot `tag`.
void append_sends(std::vector<Command>& cmds, uint32_t tag, const std::vector<MapSend>& sends,
                  const Mapping& m, const std::string& source) {
  for (const MapSend& send : sends) {
    for (const TransferRun& run : send.runs) {
      if (send.group >= 0) {
        cmds.push_back(
            isa::Multicast{tag, static_cast<uint32_t>(send.group), row_transfer(run, m, source)}.encode());
      } else if (run.rows == 1) {
        cmds.push_back(isa::Send{tag, send.core, send.tag, static_cast<uint32_t>(run.dst),
                                 static_cast<uint32_t>(run.src), static_cast<uint32_t>(run.len)}
                           .encode());
      } else {
        cmds.push_back(isa::SendRows{tag, send.core, send.tag, row_transfer(run, m, source)}.encode());
      }
    }
  }
}

// One pixel of a crossbar piece: its MVM, the partial sum it adds, its digital-unit pass(es) and the partial
// sum it passes on.
std::vector<Command> pixel_body(const Mapping& m, int pi, uint32_t pixels) {
  const CrossbarPiece& p = m.pieces[static_cast<size_t>(pi)];
  const auto out_bytes = static_cast<uint32_t>(p.out_count);
  std::vector<Command> body;
  body.push_back(isa::Mvm{input_tag(pi), pixels}.encode());
  if (p.chain_index > 0) body.push_back(isa::WaitInput{psum_tag(pi), out_bytes, out_bytes}.encode());
  const uint32_t side =
      p.chain_index > 0 ? psum_tag(pi) : (p.skip_input && !p.residual_pass ? skip_tag(pi) : kNoSlot);
  body.push_back(isa::Digital{output_tag(pi), side, pixels}.encode());
  if (p.residual_pass)
    body.push_back(isa::Digital{residual_tag(pi), skip_tag(pi), pixels, output_tag(pi), true}.encode());
  if (p.chain_index + 1 != p.chain_length) {
    const CrossbarPiece& next = m.pieces[static_cast<size_t>(pi) + 1];
    body.push_back(
        isa::Send{output_tag(pi), static_cast<uint32_t>(next.core), psum_tag(pi + 1), 0, 0, out_bytes}
            .encode());
  }
  return body;
}

void append_crossbar_piece(std::vector<Command>& cmds, const Mapping& m, int pi, uint32_t pixels) {
  const CrossbarPiece& p = m.pieces[static_cast<size_t>(pi)];
  if (p.skip_input)
    cmds.push_back(isa::WaitInput{skip_tag(pi), pixels * static_cast<uint32_t>(p.out_count)}.encode());
  const std::vector<Command> body = pixel_body(m, pi, pixels);
  if (pixels > 1) cmds.push_back(isa::Loop{pixels, static_cast<uint32_t>(body.size())}.encode());
  cmds.insert(cmds.end(), body.begin(), body.end());
  if (p.chain_index + 1 == p.chain_length && p.pool.enabled) {
    const uint32_t unpooled = p.residual_pass ? residual_tag(pi) : output_tag(pi);
    cmds.push_back(isa::Pool{unpooled, pooled_tag(pi)}.encode());
  }
}

// An affine piece; with a skip input (an Add of two maps) it also waits for the skip map, its side input.
void append_affine_piece(std::vector<Command>& cmds, const CrossbarPiece& p, int pi, uint32_t pixels) {
  const auto channels = static_cast<uint32_t>(p.out_count);
  const uint32_t side = p.skip_input ? skip_tag(pi) : kNoSlot;
  if (p.skip_input) cmds.push_back(isa::WaitInput{side, std::max(pixels, 1u) * channels}.encode());
  cmds.push_back(isa::Affine{input_tag(pi), output_tag(pi), pixels, channels, side}.encode());
}

// A piece's commands, appended to its core's table.
void append_piece(std::vector<Command>& cmds, const Mapping& m, const TransferPlan& transfers, int pi,
                  const std::string& source) {
  const CrossbarPiece& p = m.pieces[static_cast<size_t>(pi)];
  const auto pixels = static_cast<uint32_t>(m.layers[static_cast<size_t>(p.layer)].pixels);
  cmds.push_back(isa::WaitInput{input_tag(pi), static_cast<uint32_t>(p.geometry.slot_bytes())}.encode());
  if (p.depthwise.enabled)
    cmds.push_back(isa::Depthwise{input_tag(pi), output_tag(pi), pixels}.encode());
  else if (p.affine)
    append_affine_piece(cmds, p, pi, pixels);
  else
    append_crossbar_piece(cmds, m, pi, pixels);
  append_sends(cmds, sent_map_tag(p, pi), transfers.sends[static_cast<size_t>(pi)], m, source);
}

// Set-up, once at the start of every run (the coefficients depend on the inference time through the drift
// compensation): each piece's core has its DMA copy the piece's configuration table from SRAM into the
// digital unit's registers. The controller keeps these apart from the per-sample commands, at the front.
void prepend_configures(const Mapping& m, int64_t per_controller,
                        std::vector<std::vector<Command>>& programs) {
  for (size_t pi = m.pieces.size(); pi-- > 0;) {
    const CrossbarPiece& p = m.pieces[pi];
    auto& merged = programs[static_cast<size_t>(p.core / per_controller)];
    Command configure = isa::Configure{config_tag(static_cast<int>(pi)), static_cast<uint32_t>(p.out_count),
                                       0, static_cast<uint32_t>(p.out_offset)}
                            .encode();
    configure.slot = static_cast<uint32_t>(p.core % per_controller);
    if (p.residual_pass) {
      Command bank1 =
          isa::Configure{residual_config_tag(static_cast<int>(pi)), static_cast<uint32_t>(p.out_count), 1}
              .encode();
      bank1.slot = configure.slot;
      merged.insert(merged.begin(), bank1);
    }
    merged.insert(merged.begin(), configure);
  }
}

// A batch boundary: every controller with work meets at one barrier after the last sample of a run, so the
// chip's controllers agree that the batch is over (the point where a host may start the next batch or
// reprogram) — and it costs nothing inside the pipelined sample stream.
void append_batch_end_barrier(std::vector<std::vector<Command>>& programs) {
  uint32_t working = 0;
  for (const auto& t : programs) working += t.empty() ? 0 : 1;
  for (auto& t : programs)
    if (!t.empty()) t.push_back(isa::Barrier{0, working, kBarrierBatchEnd}.encode());
}

}  // namespace

Schedule schedule_pieces(const Mapping& placed, const TransferPlan& transfers, const ArchConfig& arch,
                         const std::string& source) {
  Schedule s;
  s.commands.assign(static_cast<size_t>(arch.chip.cores), {});
  const int64_t per_controller = arch.core.controller.cores_per_controller;
  s.controller_commands.assign(static_cast<size_t>(arch.chip.cores / per_controller), {});
  // Pieces are numbered layer by layer: piece order is the global schedule order.
  for (size_t pi = 0; pi < placed.pieces.size(); ++pi) {
    const int core = placed.pieces[pi].core;
    auto& cmds = s.commands[static_cast<size_t>(core)];
    const size_t first = cmds.size();
    append_piece(cmds, placed, transfers, static_cast<int>(pi), source);
    auto& merged = s.controller_commands[static_cast<size_t>(core / per_controller)];
    for (size_t c = first; c < cmds.size(); ++c) {
      merged.push_back(cmds[c]);
      merged.back().slot = static_cast<uint32_t>(core % per_controller);
    }
  }
  prepend_configures(placed, per_controller, s.controller_commands);
  for (const auto& cmds : s.commands)
    if (cmds.size() > 0xFFFF) throw UserError(source, 0, "", "a core's command table is too long");
  append_batch_end_barrier(s.controller_commands);
  return s;
}

}  // namespace aimc
