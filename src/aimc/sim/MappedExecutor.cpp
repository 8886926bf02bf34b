#include "aimc/sim/MappedExecutor.h"

#include <algorithm>

#include "aimc/base/Error.h"
#include "aimc/isa/DigitalUnitImplFactory.h"
#include "aimc/isa/FunctionalSteps.h"

namespace aimc {

MappedExecutor::MappedExecutor(const ArchConfig& arch, const Mapping& mapping, uint64_t seed,
                               uint64_t max_chunk)
    : arch_(arch), mapping_(mapping), max_chunk_(max_chunk), cores_(mapping.commands.size()) {
  for (size_t pi = 0; pi < mapping.pieces.size(); ++pi) {
    const CrossbarPiece& p = mapping.pieces[pi];
    CoreState& c = cores_[static_cast<size_t>(p.core)];
    c.pieces.push_back(static_cast<int>(pi));
    // The same construction as hw/CrossbarTile inside hw/Core: tile id = core id.
    if (!c.array)
      c.array = std::make_unique<CrossbarArray>(arch.core.tile, seed, static_cast<uint32_t>(p.core));
    c.digital[static_cast<int>(pi)] = make_digital_unit_impl(arch, p.core);
    if (p.residual_pass) c.residual[static_cast<int>(pi)] = make_digital_unit_impl(arch, p.core);
    if (p.uses_crossbar()) c.width = std::max(c.width, p.in_offset + p.in_count);
  }
  gdpu_state_.resize(mapping.gdpu_banks.size());
  size_slots();
}

bool MappedExecutor::arrived(size_t c, const isa::WaitInput& w) {
  return slot(c, w.tag).received >= step::wait_input_bytes(w, cores_[c].pixel);
}

MappedExecutor::Slot& MappedExecutor::slot(size_t core, uint32_t tag) {
  auto it = cores_[core].slots.find(tag);
  AIMC_ASSERT_MSG(it != cores_[core].slots.end(), "a command uses a slot the tables never size");
  return it->second;
}

// A slot's row is as wide as the largest byte any command or input transfer touches in it (CoreMemory grows
// its buffers the same way on first use).
void MappedExecutor::size_slots() {
  for (const Mapping::InputTransfer& t : mapping_.input_transfers)
    need(static_cast<size_t>(t.core), t.tag, t.transfer().dst_end());
  for (size_t c = 0; c < mapping_.commands.size(); ++c) {
    const std::vector<Command>& table = mapping_.commands[c];
    size_t loop_end = 0;
    uint32_t loop_count = 1;
    for (size_t i = 0; i < table.size(); ++i) {
      if (i >= loop_end) loop_count = 1;
      if (table[i].op == CommandOp::kLoop) {
        const isa::Loop loop = isa::Loop::decode(table[i]);
        loop_end = i + 1 + loop.body;
        loop_count = std::max<uint32_t>(loop.count, 1);
      }
      size_command(c, table[i], loop_count - 1);
    }
  }
}

int MappedExecutor::piece_index(size_t c, uint32_t tag) const {
  const std::vector<int>& pieces = cores_[c].pieces;
  AIMC_ASSERT_MSG(!pieces.empty(), "a command on a core that holds no piece");
  if (pieces.size() == 1) return pieces.front();
  AIMC_ASSERT_MSG(std::find(pieces.begin(), pieces.end(), tag_piece(tag)) != pieces.end(),
                  "a command for a piece its core does not hold");
  return tag_piece(tag);
}

const CrossbarPiece& MappedExecutor::piece_for(size_t c, uint32_t tag) const {
  return mapping_.pieces[static_cast<size_t>(piece_index(c, tag))];
}

void MappedExecutor::need(size_t core, uint32_t tag, uint64_t end) {
  Slot& s = cores_[core].slots[tag];
  s.width = std::max<uint32_t>(s.width, static_cast<uint32_t>(end));
}

void MappedExecutor::need_output(uint32_t core, uint32_t tag, uint64_t end) {
  if (core != kOutputPort) need(core, tag, end);
}

// The slot bytes one command touches at the last pixel of its loop.
void MappedExecutor::size_command(size_t c, const Command& cmd, uint32_t last_pixel) {
  switch (cmd.op) {
    case CommandOp::kBarrier:
    case CommandOp::kLoop:
      return;
    case CommandOp::kConfigure:  // only in the controllers' set-up (the executor configures directly)
    case CommandOp::kDmaCopy:    // not emitted by the compiler
      AIMC_ASSERT_MSG(false, "a DMA command in a core's per-sample table");
      return;
    case CommandOp::kWaitInput: {
      const isa::WaitInput w = isa::WaitInput::decode(cmd);
      return need(c, w.tag, step::wait_input_bytes(w, last_pixel));
    }
    case CommandOp::kMvm: {
      const uint32_t tag = isa::Mvm::decode(cmd).input_tag;
      return need(c, tag, static_cast<uint64_t>(piece_for(c, tag).geometry.slot_bytes()));
    }
    case CommandOp::kDigital: {
      const isa::Digital d = isa::Digital::decode(cmd);
      const auto n = static_cast<uint64_t>(piece_for(c, d.output_tag).out_count);
      const uint64_t bytes = std::max<uint64_t>(d.pixels, 1) * n;
      need(c, d.output_tag, bytes);
      if (d.side_tag != kNoSlot) need(c, d.side_tag, bytes);
      if (d.residual) need(c, d.source_tag, bytes);
      return;
    }
    case CommandOp::kSend: {
      const isa::Send s = isa::Send::decode(cmd);
      const isa::RowTransfer t = step::send_transfer(s, last_pixel);
      need(c, s.src_tag, t.src_end());
      return need_output(s.dst_core, s.dst_tag, t.dst_end());
    }
    case CommandOp::kSendRows: {
      const isa::SendRows s = isa::SendRows::decode(cmd);
      need(c, s.src_tag, s.rows.src_end());
      return need_output(s.dst_core, s.dst_tag, s.rows.dst_end());
    }
    case CommandOp::kMulticast: {
      const isa::Multicast mc = isa::Multicast::decode(cmd);
      need(c, mc.src_tag, mc.rows.src_end());
      for (const Mapping::MulticastDestination& d : mapping_.multicast_groups.at(mc.group))
        need(static_cast<size_t>(d.core), d.tag, mc.rows.dst_end());
      return;
    }
    case CommandOp::kDepthwise: {
      const isa::Depthwise dw = isa::Depthwise::decode(cmd);
      const CrossbarPiece& p = piece_for(c, dw.input_tag);
      need(c, dw.input_tag, static_cast<uint64_t>(p.depthwise.geometry.slot_bytes()));
      return need(c, dw.output_tag, std::max<uint64_t>(dw.pixels, 1) * static_cast<uint64_t>(p.out_count));
    }
    case CommandOp::kAffine: {
      const isa::Affine a = isa::Affine::decode(cmd);
      const uint64_t bytes = std::max<uint64_t>(a.pixels, 1) * a.channels;
      need(c, a.input_tag, bytes);
      if (a.side_tag != kNoSlot) need(c, a.side_tag, bytes);
      return need(c, a.output_tag, bytes);
    }
    case CommandOp::kGdpuStep: {
      const isa::GdpuStep g = isa::GdpuStep::decode(cmd);
      need(c, g.input_tag, step::gdpu_input_offset(g, last_pixel) + g.gate_bytes());
      return need_output(g.dst_core, g.dst_tag, step::gdpu_output_transfer(g, last_pixel).dst_end());
    }
    case CommandOp::kPool: {
      const isa::Pool pool = isa::Pool::decode(cmd);
      const PoolGeometry& pg = piece_for(c, pool.src_tag).pool;
      need(c, pool.src_tag, static_cast<uint64_t>(pg.in_h * pg.in_w * pg.channels));
      return need(c, pool.dst_tag, static_cast<uint64_t>(pg.out_bytes()));
    }
  }
}

std::vector<ProgramResult> MappedExecutor::program() {
  // As Chip::program: each core's crossbar pieces together; the result goes with its first piece.
  std::vector<ProgramResult> results(mapping_.pieces.size());
  pool_->for_each(cores_.size(), [&](size_t core) {
    CoreState& c = cores_[core];
    std::vector<const CrossbarPiece*> held;
    for (int pi : c.pieces)
      if (mapping_.pieces[static_cast<size_t>(pi)].uses_crossbar())
        held.push_back(&mapping_.pieces[static_cast<size_t>(pi)]);
    if (held.empty()) return;  // the crossbar stays unused
    results[static_cast<size_t>(held.front() - mapping_.pieces.data())] =
        c.array->program(crossbar_matrix(held));
  });
  return results;
}

void MappedExecutor::set_inference_time(double t_s) {
  std::vector<bool> drifts(cores_.size(), false);
  for (const CrossbarPiece& p : mapping_.pieces)
    if (p.uses_crossbar()) drifts[static_cast<size_t>(p.core)] = true;
  pool_->for_each(cores_.size(), [&](size_t core) {
    if (drifts[core]) cores_[core].array->set_inference_time(t_s);
  });
  for (size_t pi = 0; pi < mapping_.pieces.size(); ++pi) {
    CoreState& c = cores_[static_cast<size_t>(mapping_.pieces[pi].core)];
    const std::vector<DigitalChannelCoefficients> channels =
        piece_channel_coefficients(mapping_, pi, *c.array);
    check_piece_coefficients(arch_, mapping_, pi, channels, "main");
    c.digital.at(static_cast<int>(pi))->configure(channels);
    if (mapping_.pieces[pi].residual_pass) {
      const std::vector<DigitalChannelCoefficients> residual = piece_residual_coefficients(mapping_, pi);
      check_piece_coefficients(arch_, mapping_, pi, residual, "residual");
      c.residual.at(static_cast<int>(pi))->configure(residual);
    }
  }
}

void MappedExecutor::deliver(uint32_t core, uint32_t tag, const Slot& from, const isa::RowTransfer& t,
                             uint64_t rows) {
  if (core == kOutputPort) {
    const auto k = static_cast<uint64_t>(mapping_.output_features);
    AIMC_ASSERT(t.dst_end() <= k);
    for (uint64_t r = 0; r < rows; ++r) step::copy_rows(from.row(r), t, outputs_.data() + r * k);
    return;
  }
  Slot& s = slot(core, tag);
  AIMC_ASSERT(t.dst_end() <= s.width);
  for (uint64_t r = 0; r < rows; ++r) step::copy_rows(from.row(r), t, s.row(r));
  s.received += t.rows * t.row_bytes;
}

void MappedExecutor::execute(size_t c, const Command& cmd, uint64_t rows, uint64_t read_index) {
  switch (cmd.op) {
    case CommandOp::kWaitInput:  // advance() handles waits and loops
    case CommandOp::kLoop:
    case CommandOp::kBarrier:    // orders controllers in time only; moves no data
    case CommandOp::kConfigure:  // never in a per-sample table (size_slots asserts)
    case CommandOp::kDmaCopy:
      return;
    case CommandOp::kMvm:
      return mvm(c, isa::Mvm::decode(cmd), rows, read_index);
    case CommandOp::kDigital:
      return digital(c, isa::Digital::decode(cmd), rows, read_index);
    case CommandOp::kSend: {
      const isa::Send s = isa::Send::decode(cmd);
      return deliver(s.dst_core, s.dst_tag, slot(c, s.src_tag), step::send_transfer(s, cores_[c].pixel),
                     rows);
    }
    case CommandOp::kSendRows: {
      const isa::SendRows s = isa::SendRows::decode(cmd);
      return deliver(s.dst_core, s.dst_tag, slot(c, s.src_tag), s.rows, rows);
    }
    case CommandOp::kMulticast: {
      const isa::Multicast mc = isa::Multicast::decode(cmd);
      for (const Mapping::MulticastDestination& d : mapping_.multicast_groups.at(mc.group))
        deliver(static_cast<uint32_t>(d.core), d.tag, slot(c, mc.src_tag), mc.rows, rows);
      return;
    }
    case CommandOp::kDepthwise:
      return depthwise(c, isa::Depthwise::decode(cmd), rows, read_index);
    case CommandOp::kPool:
      return pool(c, isa::Pool::decode(cmd), rows, read_index);
    case CommandOp::kAffine:
      return affine(c, isa::Affine::decode(cmd), rows, read_index);
    case CommandOp::kGdpuStep:
      return gdpu_step(c, isa::GdpuStep::decode(cmd), rows);
  }
  AIMC_ASSERT_MSG(false, "command the numerics-only executor does not know");
}

// hw/CrossbarTile: gather the patch of the pixel (a Gemm's whole vector), clamped to the PWM range, then read
// the array; the slot is released after the last pixel. Row r is sample read_index + r: one read of the chunk
// with its rows' indices, bit for bit the per-row reads of the chip.
void MappedExecutor::mvm(size_t c, const isa::Mvm& m, uint64_t rows, uint64_t read_index) {
  CoreState& core = cores_[c];
  const CrossbarPiece& piece = piece_for(c, m.input_tag);
  Slot& in = slot(c, m.input_tag);
  const int xmax = core.array->input_code_max();
  core.codes.resize(static_cast<Eigen::Index>(rows), core.width);
  if (core.pieces.size() > 1) core.codes.setZero();  // the other pieces' input lines stay at code 0
  core.read_indices.resize(static_cast<size_t>(rows));
  for (uint64_t r = 0; r < rows; ++r) {
    step::mvm_gather(piece.geometry, core.pixel, in.row(r),
                     core.codes.data() + r * static_cast<uint64_t>(core.width) + piece.in_offset, xmax);
    core.read_indices[r] = step::mvm_read_index(m, read_index + r, core.pixel);
  }
  if (step::mvm_releases_input(m, core.pixel)) in.received = 0;
  core.array->mvm_codes(core.codes, core.pos, core.neg, core.read_indices);
}

// hw/DigitalUnit: the counters of the last MVM (or, in the residual pass, an INT8 map through the second
// register bank), the optional side vector, n INT8 values at byte pixel * n of the output slot.
void MappedExecutor::digital(size_t c, const isa::Digital& d, uint64_t rows, uint64_t read_index) {
  CoreState& core = cores_[c];
  const int pi = piece_index(c, d.output_tag);
  const CrossbarPiece& piece = mapping_.pieces[static_cast<size_t>(pi)];
  const auto n = static_cast<size_t>(piece.out_count);
  const uint64_t at = step::digital_offset(d, core.pixel, n);
  AIMC_ASSERT(!d.residual || core.residual.count(pi) == 1);
  DigitalUnitImpl& impl = d.residual ? *core.residual.at(pi) : *core.digital.at(pi);
  Slot& out = slot(c, d.output_tag);
  Slot* side = d.side_tag != kNoSlot ? &slot(c, d.side_tag) : nullptr;
  Slot* src = d.residual ? &slot(c, d.source_tag) : nullptr;
  for (uint64_t r = 0; r < rows; ++r) {
    const int8_t* side_row = side ? side->row(r) + at : nullptr;
    if (d.residual)
      step::digital_from_int8(impl, src->row(r) + at, n, side_row, out.row(r) + at, counters_);
    else
      step::digital_from_counters(impl, core.pos.row(static_cast<Eigen::Index>(r)).data() + piece.out_offset,
                                  core.neg.row(static_cast<Eigen::Index>(r)).data() + piece.out_offset, n,
                                  side_row, out.row(r) + at, counters_);
    if (capture_)
      capture_->written(static_cast<int>(c), d.output_tag, read_index + r, at, out.row(r) + at, n);
  }
  if (step::digital_releases_side(d, core.pixel)) side->received = 0;
  out.received = std::max<uint32_t>(out.received, static_cast<uint32_t>(at + n));
}

// hw/DigitalUnit::execute_depthwise: the whole map, pixel by pixel, through the same kernel and unit.
void MappedExecutor::depthwise(size_t c, const isa::Depthwise& dw, uint64_t rows, uint64_t read_index) {
  CoreState& core = cores_[c];
  const int pi = piece_index(c, dw.input_tag);
  const DepthwiseKernel& kernel = mapping_.pieces[static_cast<size_t>(pi)].depthwise;
  const auto n = static_cast<uint64_t>(kernel.channels);
  const auto pixels = static_cast<uint64_t>(std::max<uint32_t>(dw.pixels, 1u));
  Slot& in = slot(c, dw.input_tag);
  Slot& out = slot(c, dw.output_tag);
  for (uint64_t r = 0; r < rows; ++r)
    step::depthwise_map(kernel, *core.digital.at(pi), pixels, in.row(r), out.row(r), counters_,
                        depthwise_codes_);
  if (capture_)
    for (uint64_t r = 0; r < rows; ++r)
      capture_->written(static_cast<int>(c), dw.output_tag, read_index + r, 0, out.row(r), pixels * n);
  in.received = 0;
  out.received = static_cast<uint32_t>(pixels * n);
}

// hw/DigitalUnit::execute_affine: the whole map, pixel by pixel, through the unit's per-channel registers.
void MappedExecutor::affine(size_t c, const isa::Affine& a, uint64_t rows, uint64_t read_index) {
  const uint64_t pixels = std::max<uint32_t>(a.pixels, 1u), n = a.channels;
  Slot& in = slot(c, a.input_tag);
  Slot& out = slot(c, a.output_tag);
  Slot* side = a.side_tag != kNoSlot ? &slot(c, a.side_tag) : nullptr;
  for (uint64_t r = 0; r < rows; ++r) {
    step::affine_map(*cores_[c].digital.at(piece_index(c, a.input_tag)), pixels, n, in.row(r),
                     side != nullptr ? side->row(r) : nullptr, out.row(r), counters_);
    if (capture_)
      capture_->written(static_cast<int>(c), a.output_tag, read_index + r, 0, out.row(r), pixels * n);
  }
  in.received = 0;
  if (side != nullptr) side->received = 0;
  out.received = static_cast<uint32_t>(pixels * n);
}

// hw/DigitalUnit's pooling pass over the unit's own output map.
void MappedExecutor::pool(size_t c, const isa::Pool& p, uint64_t rows, uint64_t read_index) {
  const PoolGeometry& pg = piece_for(c, p.src_tag).pool;
  Slot& in = slot(c, p.src_tag);
  Slot& out = slot(c, p.dst_tag);
  for (uint64_t r = 0; r < rows; ++r) {
    step::pool_map(pg, in.row(r), out.row(r));
    if (capture_)
      capture_->written(static_cast<int>(c), p.dst_tag, read_index + r, 0, out.row(r),
                        static_cast<uint64_t>(pg.out_bytes()));
  }
  out.received = static_cast<uint32_t>(pg.out_bytes());
}

// hw/Gdpu: the slice this core feeds runs the cell step on every row's gate vector and its own registers;
// h goes to the destination as the slice's packet does.
void MappedExecutor::gdpu_step(size_t c, const isa::GdpuStep& g, uint64_t rows) {
  const int slice = gdpu_slice_of_core(arch_, static_cast<int>(c));
  AIMC_ASSERT_MSG(slice >= 0 && static_cast<size_t>(slice) < mapping_.gdpu_banks.size() &&
                      g.bank < mapping_.gdpu_banks[static_cast<size_t>(slice)].size(),
                  "a gdpu_step on a core that feeds no GDPU slice, or with a bank it does not have");
  AIMC_ASSERT(g.state_offset + g.units <= static_cast<uint64_t>(arch_.gdpu.state_registers));
  const GdpuBank& bank = mapping_.gdpu_banks[static_cast<size_t>(slice)][g.bank];
  const auto registers = static_cast<uint64_t>(arch_.gdpu.state_registers);
  std::vector<Fp16>& state = gdpu_state_[static_cast<size_t>(slice)];
  state.resize(rows * registers);  // a new chunk's rows start from stale registers, as the chip's samples do
  Slot& in = slot(c, g.input_tag);
  const uint32_t pixel = cores_[c].pixel;
  const uint64_t at = step::gdpu_input_offset(g, pixel);
  gdpu_h_.width = g.units;
  gdpu_h_.data.resize(rows * g.units);
  for (uint64_t r = 0; r < rows; ++r)
    step::gdpu_step(g, pixel, bank, in.row(r) + at, state.data() + r * registers, gdpu_h_.row(r));
  if (step::gdpu_releases_input(g, pixel)) in.received = 0;
  deliver(g.dst_core, g.dst_tag, gdpu_h_, step::gdpu_output_transfer(g, pixel), rows);
}

bool MappedExecutor::advance(size_t c, uint64_t rows, uint64_t read_index) {
  CoreState& core = cores_[c];
  const std::vector<Command>& table = mapping_.commands[c];
  bool progress = false;
  while (core.pc < table.size()) {
    const Command& cmd = table[core.pc];
    if (cmd.op == CommandOp::kLoop) {
      // As ControllerEngineCommandTable: the body runs count times with PIXEL = 0 .. count - 1 (no nesting).
      const isa::Loop loop = isa::Loop::decode(cmd);
      AIMC_ASSERT(core.loop_end == 0 && core.pc + loop.body < table.size());
      core.loop_begin = core.pc + 1;
      core.loop_end = core.pc + 1 + loop.body;
      core.loop_count = loop.count;
      core.pixel = 0;
      core.pc = loop.count == 0 || loop.body == 0 ? core.loop_end : core.loop_begin;
      if (core.pc == core.loop_end) core.loop_end = 0;
      progress = true;
      continue;
    }
    if (cmd.op == CommandOp::kWaitInput && !arrived(c, isa::WaitInput::decode(cmd))) break;
    execute(c, cmd, rows, read_index);
    ++core.pc;
    progress = true;
    if (core.loop_end != 0 && core.pc == core.loop_end) {
      if (++core.pixel < core.loop_count) {
        core.pc = core.loop_begin;
      } else {
        core.loop_end = 0;
        core.pixel = 0;
      }
    }
  }
  return progress;
}

void MappedExecutor::run_chunk(const int8_t* inputs, uint64_t rows, uint64_t read_index) {
  for (CoreState& c : cores_) {
    c.pc = 0;
    c.loop_end = 0;
    c.pixel = 0;
    for (auto& [tag, s] : c.slots) {
      s.data.assign(rows * s.width, 0);
      s.received = 0;
    }
  }
  outputs_.assign(rows * static_cast<uint64_t>(mapping_.output_features), 0);
  // The host port (Chip::inject): every input transfer of every sample.
  const auto in = static_cast<uint64_t>(mapping_.input_features);
  for (const Mapping::InputTransfer& t : mapping_.input_transfers) {
    Slot& s = slot(static_cast<size_t>(t.core), t.tag);
    const isa::RowTransfer rt = t.transfer();
    AIMC_ASSERT(rt.dst_end() <= s.width);
    for (uint64_t r = 0; r < rows; ++r) step::copy_rows(inputs + r * in, rt, s.row(r));
    s.received += rt.rows * rt.row_bytes;
  }
  bool done = false;
  while (!done) {
    bool progress = false;
    done = true;
    for (size_t c = 0; c < cores_.size(); ++c) {
      progress = advance(c, rows, read_index) || progress;
      done = done && cores_[c].pc == mapping_.commands[c].size();
    }
    AIMC_ASSERT_MSG(done || progress, "the command tables deadlock: a core waits for input nobody sends");
  }
}

std::vector<int8_t> MappedExecutor::run(const std::vector<int8_t>& inputs, uint64_t samples) {
  const auto in = static_cast<uint64_t>(mapping_.input_features);
  const auto k = static_cast<uint64_t>(mapping_.output_features);
  AIMC_ASSERT(inputs.size() >= samples * in);
  std::vector<int8_t> out(samples * k);
  const uint64_t chunk = max_chunk_ == 0 ? std::max<uint64_t>(samples, 1) : max_chunk_;
  if (capture_) capture_->begin_run(next_sample_, samples);
  for (uint64_t first = 0; first < samples; first += chunk) {
    const uint64_t rows = std::min(chunk, samples - first);
    run_chunk(inputs.data() + first * in, rows, next_sample_ + first);
    std::copy(outputs_.begin(), outputs_.end(), out.begin() + static_cast<std::ptrdiff_t>(first * k));
  }
  next_sample_ += samples;  // as Chip::run: sample numbers (= read indices) keep growing across runs
  return out;
}

}  // namespace aimc
