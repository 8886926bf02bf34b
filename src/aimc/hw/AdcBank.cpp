#include "aimc/hw/AdcBank.h"

#include <string>

#include "aimc/numerics/MvmTiming.h"

namespace aimc {

AdcBank::AdcBank(const sc_core::sc_module_name& name, const ArchConfig& arch)
    : HwModule(name, arch.core_period_ns()),
      tile_(arch.core.tile),
      conversions_(stats().add("conversions", "1", "Output lines converted")),
      busy_ns_(stats().add("busy_time", "ns", "Time spent converting after integration")) {}

uint64_t AdcBank::conversion_cycles() const {
  return cycles_for_ns(MvmTiming::adc_conversion_ns(tile_.adc, tile_.dac));
}

void AdcBank::convert(int64_t lines) {
  const uint64_t c = conversion_cycles();
  conversions_ += static_cast<double>(lines);
  busy_ns_ += static_cast<double>(c) * period_ns();
  if (c == 0) return;
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  wait(cycles(c));
  trace_span("convert " + std::to_string(lines), begin, sc_core::sc_time_stamp());
}

}  // namespace aimc
