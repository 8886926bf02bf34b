#pragma once
// Digital-unit implementations that live outside the aimc library (the Verilated NMPU in aimc_cosim) register
// a factory here, so that aimc never links Verilator: the CLI registers "rtl" when it is built with the RTL
// (src/cosim/DigitalUnitImplNmpuRtl.h, register_rtl_digital_unit()).
#include <functional>
#include <memory>
#include <string>

#include "aimc/config/ArchConfig.h"
#include "aimc/numerics/DigitalUnitImpl.h"

namespace aimc {

class DigitalUnitImplRegistry {
 public:
  // Builds the implementation for core `core`; throws aimc::UserError (naming the arch key) if the arch asks
  // for something the implementation cannot do.
  using Factory = std::function<std::unique_ptr<DigitalUnitImpl>(const ArchConfig& arch, int core)>;

  // Registers (or replaces) the factory of core.digital_unit.impl value `impl`.
  static void add(const std::string& impl, Factory factory);
  // nullptr if nothing registered `impl`.
  static const Factory* find(const std::string& impl);
};

}  // namespace aimc
