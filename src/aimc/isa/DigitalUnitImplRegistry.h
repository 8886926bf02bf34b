#pragma once
// Digital-unit implementations that live outside the aimc library (the Verilated NMPU in aimc_cosim) register
// a factory here, so that aimc never links Verilator: the CLI registers kRtl when it is built with the RTL
// (src/cosim/DigitalUnitImplNmpuRtl.h, register_rtl_digital_unit()). The registry opens where a factory
// lives, not which values core.digital_unit.impl takes: those are DigitalUnitImplKind's table
// (DigitalUnitConfig.h).
#include <functional>
#include <memory>

#include "aimc/config/ArchConfig.h"
#include "aimc/numerics/DigitalUnitImpl.h"

namespace aimc {

class DigitalUnitImplRegistry {
 public:
  // Builds the implementation for core `core`; throws aimc::UserError (naming the arch key) if the arch asks
  // for something the implementation cannot do.
  using Factory = std::function<std::unique_ptr<DigitalUnitImpl>(const ArchConfig& arch, int core)>;

  // Registers (or replaces) the factory of core.digital_unit.impl value `impl`.
  static void add(DigitalUnitImplKind impl, Factory factory);
  // nullptr if nothing registered `impl`.
  static const Factory* find(DigitalUnitImplKind impl);
};

}  // namespace aimc
