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
    c.in_count = p.in_count;
    c.out_count = p.out_count;
  }
  slot_widths();
}

// A slot's row is as wide as the largest access the tables make to it (CoreMemory grows its buffers the same
// way on first use).
void MappedExecutor::slot_widths() {
  auto need = [&](size_t core, uint32_t tag, uint64_t bytes) {
    Slot& s = cores_[core].slots[tag];
    s.width = std::max<uint32_t>(s.width, static_cast<uint32_t>(bytes));
  };
  for (int pi : mapping_.layers.front().pieces) {
    const CrossbarPiece& p = mapping_.pieces[static_cast<size_t>(pi)];
    need(static_cast<size_t>(p.core), input_tag(pi), static_cast<uint64_t>(p.in_count));
  }
  for (size_t c = 0; c < mapping_.commands.size(); ++c)
    for (const Command& cmd : mapping_.commands[c]) switch (cmd.op) {
        case CommandOp::kWaitInput:
          need(c, cmd.a, cmd.b);
          break;
        case CommandOp::kMvm:
          need(c, cmd.a, static_cast<uint64_t>(cores_[c].in_count));
          break;
        case CommandOp::kDigital:
          need(c, cmd.a, static_cast<uint64_t>(cores_[c].out_count));
          if (cmd.b != kNoSlot) need(c, cmd.b, static_cast<uint64_t>(cores_[c].out_count));
          break;
        case CommandOp::kSend:
          need(c, cmd.a, static_cast<uint64_t>(cmd.e) + cmd.f);
          if (cmd.b != kOutputPort) need(cmd.b, cmd.c, static_cast<uint64_t>(cmd.d) + cmd.f);
          break;
        case CommandOp::kBarrier:
          break;
      }
}

std::vector<ProgramResult> MappedExecutor::program() {
  std::vector<ProgramResult> results;
  for (const CrossbarPiece& p : mapping_.pieces)
    results.push_back(cores_[static_cast<size_t>(p.core)].array->program(p.weight));
  return results;
}

void MappedExecutor::set_inference_time(double t_s) {
  for (size_t pi = 0; pi < mapping_.pieces.size(); ++pi) {
    CoreState& c = cores_[static_cast<size_t>(mapping_.pieces[pi].core)];
    c.array->set_inference_time(t_s);
    c.digital->configure(piece_channel_coefficients(mapping_, pi, *c.array));
  }
}

void MappedExecutor::deliver(uint32_t core, uint32_t tag, uint32_t offset, const int8_t* src,
                             uint32_t src_stride, uint32_t bytes, uint64_t rows) {
  Slot& s = cores_[core].slots.at(tag);
  AIMC_ASSERT(offset + bytes <= s.width);
  for (uint64_t r = 0; r < rows; ++r)
    std::copy(src + r * src_stride, src + r * src_stride + bytes, s.row(r) + offset);
  s.received += bytes;
}

void MappedExecutor::execute(CoreState& core, const Command& cmd, uint64_t rows, uint64_t read_index) {
  switch (cmd.op) {
    case CommandOp::kWaitInput:
      return;  // advance() only gets here once the bytes arrived
    case CommandOp::kBarrier:
      return;  // orders controllers in time only; moves no data (the per-core tables carry none today)
    case CommandOp::kMvm: {
      // hw/CrossbarTile: the SRAM vector, clamped to the PWM range, then one read per sample.
      Slot& in = core.slots.at(cmd.a);
      const int xmax = core.array->input_code_max();
      core.codes.resize(static_cast<Eigen::Index>(rows), core.in_count);
      for (uint64_t r = 0; r < rows; ++r)
        for (int64_t i = 0; i < core.in_count; ++i)
          core.codes(static_cast<Eigen::Index>(r), i) = std::clamp<int32_t>(in.row(r)[i], -xmax, xmax);
      in.received = 0;  // released, as the chip's tile releases its input slot
      core.array->mvm_codes(core.codes, core.pos, core.neg, read_index);
      return;
    }
    case CommandOp::kDigital: {
      // hw/DigitalUnit: unsigned counters, the optional INT8 side vector, INT8 out.
      const auto n = static_cast<size_t>(core.out_count);
      std::vector<uint32_t> pos(n), neg(n);
      Slot& out = core.slots.at(cmd.a);
      Slot* side = cmd.b != kNoSlot ? &core.slots.at(cmd.b) : nullptr;
      for (uint64_t r = 0; r < rows; ++r) {
        for (size_t j = 0; j < n; ++j) {
          pos[j] =
              static_cast<uint32_t>(core.pos(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)));
          neg[j] =
              static_cast<uint32_t>(core.neg(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)));
        }
        core.digital->process(pos.data(), neg.data(), n, side ? side->row(r) : nullptr, out.row(r));
      }
      if (side) side->received = 0;
      out.received = static_cast<uint32_t>(n);
      return;
    }
    case CommandOp::kSend: {
      Slot& src = core.slots.at(cmd.a);
      if (cmd.b == kOutputPort) {
        const auto k = static_cast<uint64_t>(mapping_.output_features);
        AIMC_ASSERT(cmd.d + cmd.f <= k);
        for (uint64_t r = 0; r < rows; ++r)
          std::copy(src.row(r) + cmd.e, src.row(r) + cmd.e + cmd.f, outputs_.data() + r * k + cmd.d);
      } else {
        deliver(cmd.b, cmd.c, cmd.d, src.data.data() + cmd.e, src.width, cmd.f, rows);
      }
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
    if (cmd.op == CommandOp::kWaitInput && core.slots.at(cmd.a).received < cmd.b) break;
    execute(core, cmd, rows, read_index);
    ++core.pc;
    progress = true;
  }
  return progress;
}

void MappedExecutor::run_chunk(const int8_t* inputs, uint64_t rows, uint64_t read_index) {
  for (CoreState& c : cores_) {
    c.pc = 0;
    for (auto& [tag, s] : c.slots) {
      s.data.assign(rows * s.width, 0);
      s.received = 0;
    }
  }
  outputs_.assign(rows * static_cast<uint64_t>(mapping_.output_features), 0);
  // The host port (Chip::inject): each piece of the first layer gets its slice of every input row.
  const auto stride = static_cast<uint32_t>(mapping_.input_features);
  for (int pi : mapping_.layers.front().pieces) {
    const CrossbarPiece& p = mapping_.pieces[static_cast<size_t>(pi)];
    deliver(static_cast<uint32_t>(p.core), input_tag(pi), 0, inputs + p.in_begin, stride,
            static_cast<uint32_t>(p.in_count), rows);
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
  for (uint64_t first = 0; first < samples; first += chunk) {
    const uint64_t rows = std::min(chunk, samples - first);
    run_chunk(inputs.data() + first * in, rows, next_sample_ + first);
    std::copy(outputs_.begin(), outputs_.end(), out.begin() + static_cast<std::ptrdiff_t>(first * k));
  }
  next_sample_ += samples;  // as Chip::run: sample numbers (= read indices) keep growing across runs
  return out;
}

}  // namespace aimc
