#include "aimc/hw/CrossbarTile.h"

#include "aimc/numerics/MvmTiming.h"

namespace aimc {

CrossbarTile::CrossbarTile(const sc_core::sc_module_name& name, const ArchConfig& arch, CoreMemory& memory,
                           AdcBank& adc, uint64_t seed, uint32_t tile_id)
    : CommandTarget(name, arch.core_period_ns()),
      arch_(arch),
      memory_(memory),
      adc_(adc),
      array_(std::make_unique<CrossbarArray>(arch.core.tile, seed, tile_id)),
      mvms_(stats().add("mvms", "1", "Matrix-vector multiplications")),
      busy_ns_(stats().add("busy_time", "ns", "Time the array integrates (PWM windows and phase set-up)")),
      pwm_lsbs_(stats().add("pwm_pulse_lsbs", "LSB", "Sum of PWM pulse widths over all drivers")),
      device_reads_(stats().add("device_reads", "1", "PCM devices read (non-zero input x used output)")) {}

ProgramResult CrossbarTile::program(const CrossbarPiece& piece) {
  in_count_ = piece.in_count;
  out_count_ = piece.out_count;
  codes_.resize(1, in_count_);
  return array_->program(piece.weight);
}

uint64_t CrossbarTile::integration_cycles() const {
  return cycles_for_ns(MvmTiming::integration_ns(arch_.core.tile));
}

uint64_t CrossbarTile::load_cycles(int64_t n) const {
  const auto width = static_cast<uint64_t>(arch_.core.sram.width_bits);
  return (8 * static_cast<uint64_t>(n) + width - 1) / width +
         static_cast<uint64_t>(arch_.core.sram.latency_cycles);
}

void CrossbarTile::execute(const Command& cmd, uint64_t sample) {
  if (cmd.op != CommandOp::kMvm) return;
  // Load the input vector from the SRAM into the PWM drivers (digital clock domain).
  const auto& in = memory_.buffer(cmd.a, sample, static_cast<size_t>(in_count_));
  const uint64_t sram_cycles = load_cycles(in_count_);
  memory_.count_access(static_cast<uint64_t>(in_count_));
  const int xmax = array_->input_code_max();
  for (int64_t i = 0; i < in_count_; ++i)
    codes_(0, i) = std::clamp<int32_t>(in[static_cast<size_t>(i)], -xmax, xmax);
  memory_.release(cmd.a, sample);
  wait(sc_core::sc_time(static_cast<double>(sram_cycles) * arch_.du_period_ns(), sc_core::SC_NS));
  wait_for_edge();

  MvmActivity act;
  array_->mvm_codes(codes_, adc_.pos, adc_.neg, sample, &act);
  const uint64_t c = integration_cycles();
  mvms_ += 1;
  busy_ns_ += static_cast<double>(c) * period_ns();
  pwm_lsbs_ += static_cast<double>(act.pwm_pulse_lsbs);
  device_reads_ += static_cast<double>(act.device_reads);
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  wait(cycles(c));
  trace_span(MvmTiming::phases(arch_.core.tile.dac) == 4 ? "integrate 4-phase" : "integrate 1-phase", begin,
             sc_core::sc_time_stamp());
  adc_.convert(out_count_);
  ++completed_;
}

}  // namespace aimc
