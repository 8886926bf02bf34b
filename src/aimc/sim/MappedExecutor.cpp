#include "aimc/sim/MappedExecutor.h"

#include <algorithm>

#include "aimc/base/Error.h"
#include "aimc/hw/DigitalUnitImplFactory.h"

namespace aimc {

MappedExecutor::MappedExecutor(const ArchConfig& arch, const Mapping& mapping, uint64_t seed,
                               uint64_t max_chunk)
    : arch_(arch), mapping_(mapping), max_chunk_(max_chunk), cores_(mapping.commands.size()) {
  for (size_t pi = 0; pi < mapping.pieces.size(); ++pi) {
    const CrossbarPiece& p = mapping.pieces[pi];
    CoreState& c = cores_[static_cast<size_t>(p.core)];
    AIMC_ASSERT_MSG(c.piece < 0, "the executor holds one crossbar piece per core, as the chip");
    c.piece = static_cast<int>(pi);
    // The same construction as hw/CrossbarTile inside hw/Core: tile id = core id.
    c.array = std::make_unique<CrossbarArray>(arch.core.tile, seed, static_cast<uint32_t>(p.core));
    c.digital = make_digital_unit_impl(arch, p.core);
    if (p.residual_pass) c.residual = make_digital_unit_impl(arch, p.core);
    c.in_count = p.in_count;
    c.out_count = p.out_count;
  }
  size_slots();
}

MappedExecutor::Slot& MappedExecutor::slot(size_t core, uint32_t tag) {
  auto it = cores_[core].slots.find(tag);
  AIMC_ASSERT_MSG(it != cores_[core].slots.end(), "a command uses a slot the tables never size");
  return it->second;
}

// A slot's row is as wide as the largest byte any command or input transfer touches in it (CoreMemory grows
// its buffers the same way on first use).
void MappedExecutor::size_slots() {
  auto need = [&](size_t core, uint32_t tag, uint64_t end) {
    Slot& s = cores_[core].slots[tag];
    s.width = std::max<uint32_t>(s.width, static_cast<uint32_t>(end));
  };
  for (const Mapping::InputTransfer& t : mapping_.input_transfers)
    need(static_cast<size_t>(t.core), t.tag,
         static_cast<uint64_t>(t.dst_offset + (t.rows - 1) * t.dst_stride + t.row_bytes));
  for (size_t c = 0; c < mapping_.commands.size(); ++c) {
    const std::vector<Command>& table = mapping_.commands[c];
    const CoreState& core = cores_[c];
    size_t loop_end = 0;
    uint64_t loop_count = 1;
    for (size_t i = 0; i < table.size(); ++i) {
      const Command& cmd = table[i];
      if (i >= loop_end) loop_count = 1;
      const uint64_t n = static_cast<uint64_t>(core.out_count);
      switch (cmd.op) {
        case CommandOp::kBarrier:
          break;
        case CommandOp::kConfigure:  // only in the controllers' set-up (the executor configures directly)
        case CommandOp::kDmaCopy:    // not emitted by the compiler
          AIMC_ASSERT_MSG(false, "a DMA command in a core's per-sample table");
          break;
        case CommandOp::kLoop:
          loop_end = i + 1 + cmd.b;
          loop_count = std::max<uint64_t>(cmd.a, 1);
          break;
        case CommandOp::kWaitInput:
          need(c, cmd.a, cmd.b + (loop_count - 1) * cmd.c);
          break;
        case CommandOp::kMvm:
          need(c, cmd.a,
               static_cast<uint64_t>(mapping_.pieces[static_cast<size_t>(core.piece)].geometry.slot_bytes()));
          break;
        case CommandOp::kDigital: {
          const uint64_t bytes = std::max<uint64_t>(cmd.c, 1) * n;
          need(c, cmd.a, bytes);
          if (cmd.b != kNoSlot) need(c, cmd.b, bytes);
          if (cmd.e == 1) need(c, cmd.d, bytes);
          break;
        }
        case CommandOp::kSend:
          need(c, cmd.a, cmd.e + loop_count * cmd.f);
          if (cmd.b != kOutputPort) need(cmd.b, cmd.c, cmd.d + loop_count * cmd.f);
          break;
        case CommandOp::kSendRows: {
          const uint64_t rows = cmd.e >> 16, row_bytes = cmd.e & 0xFFFFu;
          const uint64_t src_stride = cmd.f >> 16, dst_stride = cmd.f & 0xFFFFu;
          const uint32_t dst_core = cmd.b >> 16;
          need(c, cmd.a, cmd.d + (rows - 1) * src_stride + row_bytes);
          if (dst_core != 0xFFFFu)
            need(dst_core, cmd.b & 0xFFFFu, cmd.c + (rows - 1) * dst_stride + row_bytes);
          break;
        }
        case CommandOp::kMulticast: {
          const uint64_t rows = cmd.e >> 16, row_bytes = cmd.e & 0xFFFFu;
          const uint64_t src_stride = cmd.f >> 16, dst_stride = cmd.f & 0xFFFFu;
          need(c, cmd.a, cmd.d + (rows - 1) * src_stride + row_bytes);
          for (const Mapping::MulticastDestination& d : mapping_.multicast_groups.at(cmd.b))
            need(static_cast<size_t>(d.core), d.tag, cmd.c + (rows - 1) * dst_stride + row_bytes);
          break;
        }
        case CommandOp::kDepthwise: {
          const DepthwiseKernel& dw = mapping_.pieces[static_cast<size_t>(core.piece)].depthwise;
          need(c, cmd.a, static_cast<uint64_t>(dw.geometry.slot_bytes()));
          need(c, cmd.b, std::max<uint64_t>(cmd.c, 1) * n);
          break;
        }
        case CommandOp::kPool: {
          const PoolGeometry& pg = mapping_.pieces[static_cast<size_t>(core.piece)].pool;
          need(c, cmd.a, static_cast<uint64_t>(pg.in_h * pg.in_w * pg.channels));
          need(c, cmd.b, static_cast<uint64_t>(pg.out_bytes()));
          break;
        }
      }
    }
  }
}

std::vector<ProgramResult> MappedExecutor::program() {
  std::vector<ProgramResult> results;
  for (const CrossbarPiece& p : mapping_.pieces)
    results.push_back(p.depthwise.enabled ? ProgramResult{}  // as Chip::program: the crossbar stays unused
                                          : cores_[static_cast<size_t>(p.core)].array->program(p.weight));
  return results;
}

void MappedExecutor::set_inference_time(double t_s) {
  for (size_t pi = 0; pi < mapping_.pieces.size(); ++pi) {
    CoreState& c = cores_[static_cast<size_t>(mapping_.pieces[pi].core)];
    if (!mapping_.pieces[pi].depthwise.enabled) c.array->set_inference_time(t_s);
    c.digital->configure(piece_channel_coefficients(mapping_, pi, *c.array));
    if (c.residual) c.residual->configure(piece_residual_coefficients(mapping_, pi));
  }
}

void MappedExecutor::deliver(size_t core, uint32_t tag, uint32_t dst_offset, const int8_t* src,
                             uint64_t src_row, uint32_t rows_per_sample, uint32_t row_bytes,
                             uint32_t src_stride, uint32_t dst_stride, uint64_t rows) {
  Slot& s = slot(core, tag);
  AIMC_ASSERT(dst_offset + (rows_per_sample - 1) * dst_stride + row_bytes <= s.width);
  for (uint64_t r = 0; r < rows; ++r)
    for (uint32_t k = 0; k < rows_per_sample; ++k)
      std::copy_n(src + r * src_row + static_cast<uint64_t>(k) * src_stride, row_bytes,
                  s.row(r) + dst_offset + static_cast<uint64_t>(k) * dst_stride);
  s.received += rows_per_sample * row_bytes;
}

void MappedExecutor::execute(size_t c, const Command& cmd, uint64_t rows, uint64_t read_index) {
  CoreState& core = cores_[c];
  const uint32_t p = core.pixel;
  switch (cmd.op) {
    case CommandOp::kWaitInput:  // advance() handles waits and loops
    case CommandOp::kLoop:
    case CommandOp::kBarrier:    // orders controllers in time only; moves no data
    case CommandOp::kConfigure:  // never in a per-sample table (size_slots asserts)
    case CommandOp::kDmaCopy:
      return;
    case CommandOp::kMvm: {
      // hw/CrossbarTile: gather the patch of pixel p (a Gemm's whole vector), clamped to the PWM range, then
      // read the array with index sample * pixels + p; the slot is released after the last pixel.
      const CrossbarPiece& piece = mapping_.pieces[static_cast<size_t>(core.piece)];
      const uint64_t pixels = std::max<uint32_t>(cmd.b, 1u);
      AIMC_ASSERT(p < pixels);
      Slot& in = slot(c, cmd.a);
      const int xmax = core.array->input_code_max();
      core.codes.resize(static_cast<Eigen::Index>(rows), core.in_count);
      for (uint64_t r = 0; r < rows; ++r)
        piece.geometry.gather(p, in.row(r), core.codes.data() + r * static_cast<uint64_t>(core.in_count),
                              xmax);
      if (p + 1 == pixels) in.received = 0;
      // Row r is sample read_index + r: one read of the chunk with its rows' indices (consecutive for a Gemm,
      // `pixels` apart for a Conv's pixel), bit for bit the per-row reads of the chip.
      core.read_indices.resize(static_cast<size_t>(rows));
      for (uint64_t r = 0; r < rows; ++r) core.read_indices[r] = (read_index + r) * pixels + p;
      core.array->mvm_codes(core.codes, core.pos, core.neg, core.read_indices);
      return;
    }
    case CommandOp::kDigital: {
      // hw/DigitalUnit: unsigned counters (or, in the residual pass, an INT8 map through the second register
      // bank), the optional INT8 side vector, n INT8 values at byte p * n of the output slot.
      const auto n = static_cast<size_t>(core.out_count);
      const uint32_t pixels = std::max<uint32_t>(cmd.c, 1u);
      AIMC_ASSERT(p < pixels);
      const size_t at = static_cast<size_t>(p) * n;
      const bool residual = cmd.e == 1;
      AIMC_ASSERT(!residual || core.residual != nullptr);
      DigitalUnitImpl& impl = residual ? *core.residual : *core.digital;
      std::vector<uint32_t> pos(n), neg(n);
      Slot& out = slot(c, cmd.a);
      Slot* side = cmd.b != kNoSlot ? &slot(c, cmd.b) : nullptr;
      Slot* src = residual ? &slot(c, cmd.d) : nullptr;
      for (uint64_t r = 0; r < rows; ++r) {
        const auto row = static_cast<Eigen::Index>(r);
        for (size_t j = 0; j < n; ++j) {
          if (residual) {
            // NOLINTNEXTLINE(bugprone-signed-char-misuse): the slot holds signed INT8 values.
            const int v = src->row(r)[at + j];
            pos[j] = static_cast<uint32_t>(std::max(v, 0));
            neg[j] = static_cast<uint32_t>(std::max(-v, 0));
          } else {
            pos[j] = static_cast<uint32_t>(core.pos(row, static_cast<Eigen::Index>(j)));
            neg[j] = static_cast<uint32_t>(core.neg(row, static_cast<Eigen::Index>(j)));
          }
        }
        impl.process(pos.data(), neg.data(), n, side ? side->row(r) + at : nullptr, out.row(r) + at);
        if (capture_) capture_->written(static_cast<int>(c), cmd.a, read_index + r, at, out.row(r) + at, n);
      }
      if (side && p + 1 == pixels) side->received = 0;
      out.received = std::max<uint32_t>(out.received, static_cast<uint32_t>(at + n));
      return;
    }
    case CommandOp::kSend: {
      // hw/NetworkInterface: inside a loop the p-th block of f bytes moves.
      Slot& s = slot(c, cmd.a);
      const uint32_t advance = p * cmd.f;
      const int8_t* from = s.data.data() + cmd.e + advance;
      if (cmd.b == kOutputPort) {
        const auto k = static_cast<uint64_t>(mapping_.output_features);
        AIMC_ASSERT(cmd.d + advance + cmd.f <= k);
        for (uint64_t r = 0; r < rows; ++r)
          std::copy_n(from + r * s.width, cmd.f, outputs_.data() + r * k + cmd.d + advance);
      } else {
        deliver(cmd.b, cmd.c, cmd.d + advance, from, s.width, 1, cmd.f, 0, 0, rows);
      }
      return;
    }
    case CommandOp::kSendRows: {
      Slot& s = slot(c, cmd.a);
      const uint32_t dst_core = cmd.b >> 16, tag = cmd.b & 0xFFFFu;
      const uint32_t n_rows = cmd.e >> 16, row_bytes = cmd.e & 0xFFFFu;
      const uint32_t src_stride = cmd.f >> 16, dst_stride = cmd.f & 0xFFFFu;
      const int8_t* from = s.data.data() + cmd.d;
      if (dst_core == 0xFFFFu) {
        const auto k = static_cast<uint64_t>(mapping_.output_features);
        for (uint64_t r = 0; r < rows; ++r)
          for (uint32_t i = 0; i < n_rows; ++i)
            std::copy_n(from + r * s.width + static_cast<uint64_t>(i) * src_stride, row_bytes,
                        outputs_.data() + r * k + cmd.c + static_cast<uint64_t>(i) * dst_stride);
      } else {
        deliver(dst_core, tag, cmd.c, from, s.width, n_rows, row_bytes, src_stride, dst_stride, rows);
      }
      return;
    }
    case CommandOp::kMulticast: {
      // hw/NetworkInterface: the same strided rows to every (core, tag) of the group.
      Slot& s = slot(c, cmd.a);
      const uint32_t n_rows = cmd.e >> 16, row_bytes = cmd.e & 0xFFFFu;
      const uint32_t src_stride = cmd.f >> 16, dst_stride = cmd.f & 0xFFFFu;
      for (const Mapping::MulticastDestination& d : mapping_.multicast_groups.at(cmd.b))
        deliver(static_cast<size_t>(d.core), d.tag, cmd.c, s.data.data() + cmd.d, s.width, n_rows, row_bytes,
                src_stride, dst_stride, rows);
      return;
    }
    case CommandOp::kDepthwise: {
      // hw/DigitalUnit::execute_depthwise: the whole map, pixel by pixel, through the same kernel and unit.
      const DepthwiseKernel& dw = mapping_.pieces[static_cast<size_t>(core.piece)].depthwise;
      AIMC_ASSERT(dw.enabled);
      const auto n = static_cast<size_t>(dw.channels);
      const auto pixels = static_cast<uint64_t>(std::max<uint32_t>(cmd.c, 1u));
      std::vector<int32_t> codes(static_cast<size_t>(dw.geometry.col_count));
      std::vector<uint32_t> pos(n), neg(n);
      Slot& in = slot(c, cmd.a);
      Slot& out = slot(c, cmd.b);
      for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t px = 0; px < pixels; ++px) {
          dw.run_pixel(static_cast<int64_t>(px), in.row(r), codes.data(), pos.data(), neg.data());
          core.digital->process(pos.data(), neg.data(), n, nullptr, out.row(r) + px * n);
        }
      if (capture_)
        for (uint64_t r = 0; r < rows; ++r)
          capture_->written(static_cast<int>(c), cmd.b, read_index + r, 0, out.row(r), pixels * n);
      in.received = 0;
      out.received = static_cast<uint32_t>(pixels * n);
      return;
    }
    case CommandOp::kPool: {
      // hw/DigitalUnit's pooling pass over the unit's own output map.
      const PoolGeometry& pg = mapping_.pieces[static_cast<size_t>(core.piece)].pool;
      AIMC_ASSERT(pg.enabled);
      Slot& in = slot(c, cmd.a);
      Slot& out = slot(c, cmd.b);
      for (uint64_t r = 0; r < rows; ++r) {
        pg.apply(in.row(r), out.row(r));
        if (capture_)
          capture_->written(static_cast<int>(c), cmd.b, read_index + r, 0, out.row(r),
                            static_cast<uint64_t>(pg.out_bytes()));
      }
      out.received = static_cast<uint32_t>(pg.out_bytes());
      return;
    }
  }
  AIMC_ASSERT_MSG(false, "command the numerics-only executor does not know");
}

bool MappedExecutor::advance(size_t c, uint64_t rows, uint64_t read_index) {
  CoreState& core = cores_[c];
  const std::vector<Command>& table = mapping_.commands[c];
  bool progress = false;
  while (core.pc < table.size()) {
    const Command& cmd = table[core.pc];
    if (cmd.op == CommandOp::kLoop) {
      // As ControllerEngineCommandTable: the body runs a times with PIXEL = 0 .. a - 1 (no nesting).
      AIMC_ASSERT(core.loop_end == 0 && core.pc + cmd.b < table.size());
      core.loop_begin = core.pc + 1;
      core.loop_end = core.pc + 1 + cmd.b;
      core.loop_count = cmd.a;
      core.pixel = 0;
      core.pc = cmd.a == 0 || cmd.b == 0 ? core.loop_end : core.loop_begin;
      if (core.pc == core.loop_end) core.loop_end = 0;
      progress = true;
      continue;
    }
    if (cmd.op == CommandOp::kWaitInput && slot(c, cmd.a).received < cmd.b + core.pixel * cmd.c) break;
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
  for (const Mapping::InputTransfer& t : mapping_.input_transfers)
    deliver(static_cast<size_t>(t.core), t.tag, static_cast<uint32_t>(t.dst_offset), inputs + t.src_offset,
            static_cast<uint64_t>(mapping_.input_features), static_cast<uint32_t>(t.rows),
            static_cast<uint32_t>(t.row_bytes), static_cast<uint32_t>(t.src_stride),
            static_cast<uint32_t>(t.dst_stride), rows);
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
