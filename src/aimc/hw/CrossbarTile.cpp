#include "aimc/hw/CrossbarTile.h"

#include <algorithm>

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
  geometry_ = piece.geometry;
  AIMC_ASSERT(geometry_.col_count == in_count_);
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
  // Gather the input vector of this pixel (the im2col patch; a Gemm's whole vector) from the SRAM into the
  // PWM drivers (digital clock domain): only the bytes inside the map are read, padding is zero.
  const uint64_t pixels = std::max<uint32_t>(cmd.b, 1u), p = pixel();
  AIMC_ASSERT(p < pixels);
  const auto& in = memory_.buffer(cmd.a, sample, static_cast<size_t>(geometry_.slot_bytes()));
  const int64_t read =
      geometry_.gather(static_cast<int64_t>(p), in.data(), codes_.data(), array_->input_code_max());
  const uint64_t sram_cycles = load_cycles(read);
  memory_.count_access(static_cast<uint64_t>(read));
  if (p + 1 == pixels) memory_.release(cmd.a, sample);
  wait(sc_core::sc_time(static_cast<double>(sram_cycles) * arch_.du_period_ns(), sc_core::SC_NS));
  wait_for_edge();

  // Pixel p of sample s reads the array with its own noise draws: read index s * pixels + p (a Gemm's is s).
  MvmActivity act;
  array_->mvm_codes(codes_, adc_.pos, adc_.neg, sample * pixels + p, &act);
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
