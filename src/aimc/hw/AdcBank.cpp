#include "aimc/hw/AdcBank.h"

namespace aimc {

AdcBank::AdcBank(const sc_core::sc_module_name& name, const ArchConfig& arch)
    : HwModule(name, arch.core_period_ns()),
      tile_(arch.core.tile),
      conversions_(stats().add("conversions", "1", "Output lines converted")),
      busy_ns_(stats().add("busy_time", "ns", "Time spent converting after integration")) {}

uint64_t AdcBank::conversion_cycles() const {
  switch (tile_.adc.kind) {
    case AdcKind::kIdeal: return 0;
    case AdcKind::kCco: return cycles_for_ns(tile_.adc.cco_readout_ns);
    case AdcKind::kSar:
      return cycles_for_ns(static_cast<double>(tile_.adc.lines_per_adc) * (tile_.adc.bits + 1) /
                           tile_.adc.sar_clock_ghz);
  }
  return 0;
}

void AdcBank::convert(int64_t lines) {
  const uint64_t c = conversion_cycles();
  conversions_ += static_cast<double>(lines);
  busy_ns_ += static_cast<double>(c) * period_ns();
  if (c > 0) wait(cycles(c));
}

}  // namespace aimc
