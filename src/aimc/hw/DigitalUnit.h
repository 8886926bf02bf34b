#pragma once
// The digital unit: turns one MVM's ADC counts into INT8 activations, optionally adding an INT8 side vector
// (partial sum from another core). What computes the values is a DigitalUnitImpl chosen by the arch: the
// bit-exact C++ NMPU (default), the FP16 LDPU (kind ldpu_fp16) or the Verilated NMPU RTL (impl rtl, in the
// cores of rtl_cores). Timing: the unit's pipeline, latency_cycles(n) of its own clock, plus the SRAM write
// of the result.
#include <memory>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/AdcBank.h"
#include "aimc/hw/CommandTarget.h"
#include "aimc/hw/CoreMemory.h"
#include "aimc/hw/DigitalUnitImpl.h"
#include "aimc/hw/DigitalUnitImplFactory.h"

namespace aimc {

class DigitalUnit : public CommandTarget {
 public:
  // Throws aimc::UserError if the arch asks for an implementation this build lacks or cannot match.
  DigitalUnit(const sc_core::sc_module_name& name, const ArchConfig& arch, int core, CoreMemory& memory,
              const AdcBank& adc);

  // Loads the per-channel registers (at load time); each implementation rounds into its own format.
  void configure(const std::vector<DigitalChannelCoefficients>& channels) { impl_->configure(channels); }

  const DigitalUnitImpl& impl() const { return *impl_; }
  // Host (wall-clock) seconds spent computing values, for the C++ vs RTL host-time ratio (report "host").
  double host_seconds() const { return host_seconds_; }

 protected:
  void execute(const Command& cmd, uint64_t sample) override;

 private:
  const ArchConfig& arch_;
  CoreMemory& memory_;
  const AdcBank& adc_;
  std::unique_ptr<DigitalUnitImpl> impl_;
  std::vector<uint32_t> pos_, neg_;
  double host_seconds_ = 0;
  Stat& values_;
  Stat& side_adds_;
  Stat& busy_ns_;
};

}  // namespace aimc
