#pragma once
// Activity of a crossbar tile, accumulated by every read, for the power model (DESIGN: power/area are pure
// functions of parameters and activity).
#include <cstdint>

namespace aimc {

struct MvmActivity {
  int64_t reads = 0;           // analog integrations of one input vector (x phases x bound-management passes)
  int64_t pwm_pulse_lsbs = 0;  // sum over reads of sum_i |code_i|: the PWM on-time of all drivers, in LSBs
  int64_t adc_conversions = 0;  // output lines converted, summed over reads and phases
  int64_t device_reads = 0;     // devices conducting: nonzero inputs x used outputs x devices per weight
  int64_t bound_management_extra_passes = 0;  // passes beyond the first (already counted in reads)
  // Data-dependent energy (numerics/ArrayReadEnergy.h): sum over reads of sum_i |code_i| G_line_i and of the
  // wires' loss conductance, in ArrayReadEnergy::kUnitSiemens x LSB; the ADC counts of every conversion
  // (pos + neg counters: the CCO's counted oscillation periods).
  int64_t array_conductance_lsbs = 0;
  int64_t wire_conductance_lsbs = 0;
  int64_t adc_counts = 0;

  MvmActivity& operator+=(const MvmActivity& o) {
    reads += o.reads;
    pwm_pulse_lsbs += o.pwm_pulse_lsbs;
    adc_conversions += o.adc_conversions;
    device_reads += o.device_reads;
    bound_management_extra_passes += o.bound_management_extra_passes;
    array_conductance_lsbs += o.array_conductance_lsbs;
    wire_conductance_lsbs += o.wire_conductance_lsbs;
    adc_counts += o.adc_counts;
    return *this;
  }
};

}  // namespace aimc
