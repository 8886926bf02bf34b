#include "aimc/hw/DigitalUnit.h"

#include <chrono>
#include <string>

namespace aimc {

DigitalUnit::DigitalUnit(const sc_core::sc_module_name& name, const ArchConfig& arch, int core,
                         CoreMemory& memory, const AdcBank& adc)
    : CommandTarget(name, 1e3 / arch.core.digital_unit.active_clock_mhz()),
      arch_(arch),
      memory_(memory),
      adc_(adc),
      impl_(make_digital_unit_impl(arch, core)),
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
  const auto host_start = std::chrono::steady_clock::now();
  const uint64_t unit_cycles = impl_->process(pos_.data(), neg_.data(), n, side, out.data());
  host_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  // The chip's timing is the closed form; an implementation that takes other cycles (the RTL) is a bug.
  AIMC_ASSERT_MSG(unit_cycles == impl_->latency_cycles(n), "digital unit cycles differ from latency_cycles");
  memory_.count_access(n * (has_side ? 2 : 1));
  if (has_side) {
    memory_.release(cmd.b, sample);
    side_adds_ += static_cast<double>(n);
  }
  const uint64_t sram_cycles = (8 * n + arch_.core.sram.width_bits - 1) / arch_.core.sram.width_bits +
                               static_cast<uint64_t>(arch_.core.sram.latency_cycles);
  const uint64_t c = unit_cycles + sram_cycles;
  values_ += static_cast<double>(n);
  busy_ns_ += static_cast<double>(c) * period_ns();
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  wait(cycles(c));
  trace_span(impl_->name() + " " + std::to_string(n), begin, sc_core::sc_time_stamp());
}

}  // namespace aimc
