#include "aimc/hw/DigitalUnit.h"

namespace aimc {

NmpuParams nmpu_params(const ArchConfig& arch) {
  NmpuParams p;
  p.lanes = static_cast<int>(arch.core.digital_unit.lanes);
  p.pipeline_depth = static_cast<int>(arch.core.digital_unit.pipeline_depth);
  p.adc_count_bits = arch.core.tile.adc.cco_counter_bits;
  return p;
}

DigitalUnit::DigitalUnit(const sc_core::sc_module_name& name, const ArchConfig& arch, CoreMemory& memory,
                         const AdcBank& adc)
    : CommandTarget(name, arch.du_period_ns()),
      arch_(arch),
      memory_(memory),
      adc_(adc),
      model_(nmpu_params(arch)),
      values_(stats().add("values", "1", "INT8 output values produced")),
      side_adds_(stats().add("side_adds", "1", "Values that added an INT8 side input (partial sum)")),
      busy_ns_(stats().add("busy_time", "ns", "Time the pipeline is busy")) {}

void DigitalUnit::execute(const Command& cmd, uint64_t sample) {
  if (cmd.op != CommandOp::kDigital) return;
  wait_for_edge();
  const auto n = static_cast<size_t>(adc_.pos.cols());
  pos_.resize(n);
  neg_.resize(n);
  // The counters are unsigned; the numerics never return negative counts.
  for (size_t i = 0; i < n; ++i) {
    pos_[i] = static_cast<uint32_t>(adc_.pos(0, static_cast<Eigen::Index>(i)));
    neg_[i] = static_cast<uint32_t>(adc_.neg(0, static_cast<Eigen::Index>(i)));
  }
  const bool has_side = cmd.b != kNoSlot;
  const int8_t* side = has_side ? memory_.buffer(cmd.b, sample, n).data() : nullptr;
  auto& out = memory_.buffer(cmd.a, sample, n);
  model_.process_range(pos_.data(), neg_.data(), channels_, 0, n, side, nullptr, out.data());
  memory_.count_access(n * (has_side ? 2 : 1));
  if (has_side) {
    memory_.release(cmd.b, sample);
    side_adds_ += static_cast<double>(n);
  }
  const uint64_t sram_cycles = (8 * n + arch_.core.sram.width_bits - 1) / arch_.core.sram.width_bits +
                               static_cast<uint64_t>(arch_.core.sram.latency_cycles);
  const uint64_t c = model_.latency_cycles(n) + sram_cycles;
  values_ += static_cast<double>(n);
  busy_ns_ += static_cast<double>(c) * period_ns();
  wait(cycles(c));
}

}  // namespace aimc
