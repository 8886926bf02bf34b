#pragma once
// Energy and area of one ADC, by ADC kind (REFERENCE A, B, G), at the chip's node and supply.
//
//   CCO  (REFERENCE A, B): the oscillator runs through every read window of the line it converts:
//        E_conv = phases x (T_pwm + phase overhead) / t_cco  x  power.cco_energy_per_period
//               + 2 x counter_bits x power.cco_readout_energy_per_bit        (dual counters onto the bus)
//        A = area.cco_oscillator + 2 x counter_bits x area.flipflop           (pitch-matched, REFERENCE B)
//   SAR  "neurosim" (REFERENCE G, NeuroSim V1.4): E_conv = (a bits + b) uW x (bits + 1) / f_sar
//        "walden"   (REFERENCE G, Murmann survey):  E_conv = FOM_W x 2^bits (ENOB taken as the bits)
//        A = A_min x (269 + 109 (bits - 1)) + A_min x (209 + 73 (bits - 1))   (NeuroSim, REFERENCE G; the
//        NMOS and PMOS minimum sizes taken equal)
//   flash (Walden FOM, REFERENCE G Murmann survey): E_conv = power.flash_walden_fom x 2^bits; its 2^bits - 1
//        comparators each decide once per conversion, so the FOM's 2^ENOB steps are the comparator count + 1.
//        A = (2^bits - 1) comparators x 88 minimum transistors x area.sar_min_transistor: the comparator is
//        NeuroSim's current sense amplifier (48 NMOS + 40 PMOS minimum devices, the cell its
//        MultilevelSenseAmp repeats levels - 1 times: a flash-style read-out), NMOS and PMOS sizes taken
//        equal as for the SAR; the reference ladder and the thermometer-to-binary encoder are not counted.
//   ideal: no energy and no area, by definition (a numerics reference, not a circuit).
#include <string>

#include "aimc/config/ArchConfig.h"

namespace aimc {

class AdcCostModel {
 public:
  explicit AdcCostModel(const ArchConfig& arch);
  double energy_per_conversion_j() const { return energy_j_; }
  // CCO (0 for the other kinds): one oscillator period (power.cco_energy_per_period) and the counters'
  // read-out per conversion, both at the chip's node and supply. The data model (power.array_energy_model)
  // charges the counted periods instead of the window's peak-frequency periods.
  double energy_per_counted_period_j() const { return period_j_; }
  double readout_energy_j() const { return readout_j_; }
  double area_per_adc_um2() const { return area_um2_; }
  const std::string& energy_model() const { return energy_model_; }
  const std::string& area_model() const { return area_model_; }

 private:
  double energy_j_ = 0, area_um2_ = 0, period_j_ = 0, readout_j_ = 0;
  std::string energy_model_, area_model_;
};

}  // namespace aimc
