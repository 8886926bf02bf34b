#include "aimc/numerics/AnalogPresets.h"

namespace aimc {

TileParams AnalogPresets::hermes_like() {
  TileParams p;  // the struct defaults are the HERMES values (256x256, 8T4R, 8-bit PWM, CCO 300 ps, ...)
  p.device.programming = ProgrammingModel::kProgramVerify;  // REFERENCE A: program-and-verify
  p.dac.read_mode = DacReadMode::kOnePhase;                 // REFERENCE A: the 63.1 TOPS mode
  p.adc.kind = AdcKind::kCco;                               // REFERENCE A/B
  p.drift_compensation = DriftCompensation::kGlobal;        // REFERENCE A: global per-core output rescaling
  return p;
}

TileParams AnalogPresets::aihwkit_compatible() {
  TileParams p;
  p.rows = 512;  // AIHWKit MappingParameter max_output_size default
  p.cols = 512;  // AIHWKit MappingParameter max_input_size default
  p.forward_mode = ForwardMode::kAihwkitCompatible;
  p.device.devices_per_polarity = 1;                            // REFERENCE D: one G+ / G- pair
  p.device.programming = ProgrammingModel::kStatistical;        // REFERENCE D
  p.device.read_noise = ReadNoiseMode::kFrozenAtInferenceTime;  // AIHWKit adds 1/f noise at drift time
  p.dac.bits = 7;                                               // REFERENCE E: din = 2/126, i.e. +-63 levels
  p.dac.input_scaling = InputScaling::kAbsMax;                  // REFERENCE E: nm = max|x|
  p.dac.bound_management = true;                                // REFERENCE E
  p.dac.bound_management_max_passes = 5;                        // REFERENCE E: r = 1, 2, 4, 8, 16
  p.adc.kind = AdcKind::kIdeal;                                 // REFERENCE E: rint, clamp
  p.adc.bits = 9;                                     // REFERENCE E: dout = 24/510, i.e. +-255 levels
  p.adc.full_scale_normalised = 12.0;                 // REFERENCE E: out_bound 12
  p.aihwkit_out_noise = 0.06;                         // REFERENCE E
  p.weight_scaling = WeightScaling::kPerTile;         // REFERENCE D: s = g_max / max|W| over the tile
  p.drift_compensation = DriftCompensation::kGlobal;  // REFERENCE D
  p.wire.enabled = false;
  return p;
}

}  // namespace aimc
