#pragma once
// The crossbar tile with its PWM drivers: loads one input vector from the SRAM (for a Conv, the im2col patch
// of the pixel in the PIXEL register, gathered from the input map: ConvGeometry), applies it as pulse widths
// for one (1-phase) or four (4-phase) read phases and hands the integrated result to the ADC bank. Timing
// (whole core-clock cycles), per MVM:
//   load     = SRAM read of the vector: ceil(8 n / sram width) + latency, digital-unit clock (n = bytes read:
//              a patch's padding is not read)
//   integrate = MvmTiming::integration_ns: phases x windows x (2^(dac_bits-1) t_lsb + phase overhead)
//   then the ADC bank's conversion (AdcBank.h); the closed forms live in numerics/MvmTiming.h.
// HERMES: 1-phase 128 + 1 + 4 = 133 ns, 4-phase 4 (128 + 1) + 4 = 520 ns (REFERENCE A).
#include <memory>

#include "aimc/compiler/Mapping.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/hw/AdcBank.h"
#include "aimc/hw/CommandTarget.h"
#include "aimc/hw/CoreMemory.h"
#include "aimc/numerics/CrossbarArray.h"

namespace aimc {

class CrossbarTile : public CommandTarget {
 public:
  CrossbarTile(const sc_core::sc_module_name& name, const ArchConfig& arch, CoreMemory& memory, AdcBank& adc,
               uint64_t seed, uint32_t tile_id);

  // Programs the piece's weights (at load time, before the run).
  ProgramResult program(const CrossbarPiece& piece);
  void set_inference_time(double t_s) { array_->set_inference_time(t_s); }
  const CrossbarArray& array() const { return *array_; }

  uint64_t integration_cycles() const;
  // The whole MVM in core cycles once the vector is loaded: integration + conversion.
  uint64_t mvm_cycles() const { return integration_cycles() + adc_.conversion_cycles(); }
  // Cycles of the digital-unit clock to load an input vector of `n` INT8 values from the SRAM.
  uint64_t load_cycles(int64_t n) const;
  // MVMs whose conversion has finished (the timing gate the tests probe).
  uint64_t completed() const { return completed_; }

 protected:
  void execute(const Command& cmd, uint64_t sample) override;

 private:
  const ArchConfig& arch_;
  CoreMemory& memory_;
  AdcBank& adc_;
  std::unique_ptr<CrossbarArray> array_;
  int64_t in_count_ = 0;
  int64_t out_count_ = 0;
  ConvGeometry geometry_;
  MatrixXi32RowMajor codes_;
  MvmActivity activity_;
  uint64_t completed_ = 0;
  Stat& mvms_;
  Stat& busy_ns_;
  Stat& pwm_lsbs_;
  Stat& device_reads_;
};

}  // namespace aimc
