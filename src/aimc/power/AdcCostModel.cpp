#include "aimc/power/AdcCostModel.h"

#include <cmath>

#include <fmt/format.h>

#include "aimc/numerics/MvmTiming.h"
#include "aimc/power/TechScaling.h"

namespace aimc {

AdcCostModel::AdcCostModel(const ArchConfig& arch) {
  const auto& p = arch.power;
  const auto& ar = arch.area;
  const auto& adc = arch.core.tile.adc;
  const auto& dac = arch.core.tile.dac;
  const TechScaling scale(arch);
  switch (adc.kind) {
    case AdcKind::kIdeal:
      energy_model_ = "ideal ADC: no circuit, no energy";
      area_model_ = "ideal ADC: no circuit, no area";
      return;
    case AdcKind::kCco: {
      const double window_ns = MvmTiming::pwm_window_ns(dac) + dac.phase_overhead_ns;
      const double periods = MvmTiming::phases(dac) * window_ns / (adc.cco_t_lsb_ps * 1e-3);
      const int counter_bits = 2 * adc.cco_counter_bits;
      period_j_ = p.cco_energy_per_period_pj * 1e-12 * scale.logic_energy();
      readout_j_ = counter_bits * p.cco_readout_energy_per_bit_pj * 1e-12 * scale.logic_energy();
      energy_j_ = periods * period_j_ + readout_j_;
      energy_model_ = fmt::format(
          "CCO: {:.1f} oscillator periods ({} phase(s) x {:.0f} ns / {:.5g} ps) x {:.5g} pJ + {} counter "
          "bits x {:.5g} pJ "
          "read-out, x{:.3f} node/supply",
          periods, MvmTiming::phases(dac), window_ns, adc.cco_t_lsb_ps, p.cco_energy_per_period_pj,
          counter_bits, p.cco_readout_energy_per_bit_pj, scale.logic_energy());
      area_um2_ = (ar.cco_oscillator_um2 + counter_bits * ar.flipflop_um2) * scale.area();
      area_model_ =
          fmt::format("CCO: area.cco_oscillator ({:.5g} um2) + {} counter bits x area.flipflop ({:.5g} um2)",
                      ar.cco_oscillator_um2, counter_bits, ar.flipflop_um2);
      return;
    }
    case AdcKind::kSar: {
      const int b = adc.bits;
      if (p.sar_model == SarEnergyModel::kWalden) {
        energy_j_ = p.sar_walden_fom_pj * std::ldexp(1.0, b) * 1e-12 * scale.logic_energy();
        energy_model_ = fmt::format("SAR, Walden FOM [G]: {:.5g} pJ/step x 2^{}, x{:.3f} node/supply",
                                    p.sar_walden_fom_pj, b, scale.logic_energy());
      } else {
        const double p_uw = p.sar_neurosim_a_uw * b + p.sar_neurosim_b_uw;
        const double t_ns = (b + 1) / adc.sar_clock_ghz;
        energy_j_ = p_uw * 1e-6 * t_ns * 1e-9 * scale.logic_energy();
        energy_model_ = fmt::format(
            "SAR, NeuroSim [G]: ({:.5g} x {} + {:.5g}) uW x ({} + 1) / {:.5g} GHz, x{:.3f} node/supply",
            p.sar_neurosim_a_uw, b, p.sar_neurosim_b_uw, b, adc.sar_clock_ghz, scale.logic_energy());
      }
      const double transistors = (269.0 + 109.0 * (b - 1)) + (209.0 + 73.0 * (b - 1));
      area_um2_ = ar.sar_min_transistor_um2 * transistors * scale.area();
      area_model_ = fmt::format("SAR, NeuroSim [G]: {:.0f} minimum transistors x {:.5g} um2", transistors,
                                ar.sar_min_transistor_um2);
      return;
    }
    case AdcKind::kFlash: {
      const int b = adc.bits;
      energy_j_ = p.flash_walden_fom_pj * std::ldexp(1.0, b) * 1e-12 * scale.logic_energy();
      energy_model_ = fmt::format("flash, Walden FOM [G]: {:.5g} pJ/step x 2^{}, x{:.3f} node/supply",
                                  p.flash_walden_fom_pj, b, scale.logic_energy());
      const double comparators = std::ldexp(1.0, b) - 1.0;
      const double transistors_per_comparator = 48.0 + 40.0;  // NeuroSim current sense amplifier
      area_um2_ = comparators * transistors_per_comparator * ar.sar_min_transistor_um2 * scale.area();
      area_model_ = fmt::format(
          "flash: {:.0f} comparators x {:.0f} minimum transistors (NeuroSim sense amp [G]) x {:.5g} um2",
          comparators, transistors_per_comparator, ar.sar_min_transistor_um2);
      return;
    }
  }
}

}  // namespace aimc
