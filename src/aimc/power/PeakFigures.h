#pragma once
// The chip's peak figures for one read mode, without a workload (`aimcsim area`): every core runs one full
// MVM (all rows x cols cells) at the same time, inputs at power.peak_input_duty of the full pulse width.
//   latency        MvmTiming::mvm_latency_ns (the same closed form the SystemC tile waits)
//   energy         array + PWM + ADC rows of energy_breakdown for that activity ([A]'s "array + ADC + PWM")
//   TOPS           2 x rows x cols x cores / latency (1 MAC = 2 OP, 8-bit in / out as in [A])
//   TOPS/W         ops / energy;  TOPS/mm2  TOPS / MVM area ([A]: array + ADC + PWM), and over the chip
#include <string>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/power/EnergyModel.h"

namespace aimc {

struct PeakFigures {
  std::string read_mode;  // one_phase | four_phase
  double mvm_latency_ns = 0;
  double energy_per_mvm_j = 0;  // full chip, array + ADC + PWM
  double ops_per_mvm = 0;
  double tops = 0;
  double tops_per_w = 0;
  double tops_per_mm2 = 0;        // over the MVM area
  double tops_per_mm2_chip = 0;   // over the whole chip area
  std::vector<EnergyRow> energy;  // per full-chip MVM
};

PeakFigures peak_figures(const ArchConfig& arch, DacReadMode mode);

// Activity of one full-chip MVM at the peak input duty (for tests and the peak figures).
Activity peak_mvm_activity(const ArchConfig& arch);

}  // namespace aimc
