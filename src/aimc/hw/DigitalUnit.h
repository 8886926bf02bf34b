#pragma once
// The digital unit: turns one MVM's ADC counts into INT8 activations with the bit-exact NMPU model
// (numerics/NmpuModel), optionally adding an INT8 side vector (partial sum from another core). Timing: the
// NMPU's pipeline, latency_cycles(n) of its own clock, plus the SRAM write of the result.
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/AdcBank.h"
#include "aimc/hw/CommandTarget.h"
#include "aimc/hw/CoreMemory.h"
#include "aimc/numerics/NmpuModel.h"

namespace aimc {

class DigitalUnit : public CommandTarget {
 public:
  DigitalUnit(const sc_core::sc_module_name& name, const ArchConfig& arch, CoreMemory& memory,
              const AdcBank& adc);

  // Loads the per-channel registers (at load time). side_scale: step of the side input over the output step.
  void configure(std::vector<NmpuChannel> channels) { channels_ = std::move(channels); }
  const NmpuModel& model() const { return model_; }

 protected:
  void execute(const Command& cmd, uint64_t sample) override;

 private:
  const ArchConfig& arch_;
  CoreMemory& memory_;
  const AdcBank& adc_;
  NmpuModel model_;
  std::vector<NmpuChannel> channels_;
  std::vector<uint32_t> pos_, neg_;
  Stat& values_;
  Stat& side_adds_;
  Stat& busy_ns_;
};

// The NMPU parameters a chip uses: the model's defaults with the arch's lanes, depth and clock.
NmpuParams nmpu_params(const ArchConfig& arch);

}  // namespace aimc
