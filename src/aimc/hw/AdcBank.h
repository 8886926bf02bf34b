#pragma once
// The core's ADC bank: converts the output lines of one MVM. Timing (whole core-clock cycles):
//   MvmTiming::adc_conversion_ns (numerics/MvmTiming.h): CCO read-out after the last phase, SAR
//   lines_per_adc (bits + 1) SAR-clock cycles, ideal none.
// The counts themselves come from the numerics (CrossbarArray::mvm_codes); this block holds them in its
// output registers for the digital unit and counts conversions.
#include <cstdint>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/HwModule.h"
#include "aimc/numerics/MatrixTypes.h"

namespace aimc {

class AdcBank : public HwModule {
 public:
  AdcBank(const sc_core::sc_module_name& name, const ArchConfig& arch);

  // Conversion time after integration, in core cycles (closed form above).
  uint64_t conversion_cycles() const;
  // Waits for the conversion of `lines` output lines and counts it.
  void convert(int64_t lines);

  MatrixXi32RowMajor pos, neg;  // the dual counters' values of the last MVM, [1, lines]
  // Set while a read on a host worker writes pos and neg (CrossbarTile): whoever reads the counters first
  // asserts it is clear, so no read of them can race with a worker.
  bool counts_pending = false;

 private:
  const TileParams& tile_;
  Stat& conversions_;
  Stat& busy_ns_;
};

}  // namespace aimc
