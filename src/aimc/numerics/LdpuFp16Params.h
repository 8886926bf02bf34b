#pragma once
// Parameters of the FP16 local digital processing unit (LDPU) of the published 64-core chip (REFERENCE.md A,
// Le Gallo et al. 2023), modelled for the fixed-point vs FP16 comparison of the NMPU paper (REFERENCE.md C).

namespace aimc {

struct LdpuFp16Params {
  // Bounds validate() enforces; the arch keys core.digital_unit.ldpu_fp16.lanes, .pipeline_depth and
  // core.adc.counter_bits declare the same ones.
  static constexpr int kMaxAdcCountBits = 16;
  static constexpr int kMaxLanes = 64;
  static constexpr int kMaxPipelineDepth = 32;
  static constexpr int kMaxActivationBins = 64;

  // 12-bit CCO counters (REFERENCE.md A).
  int adc_count_bits = 12;
  // "about 1 output value per clock at 400 MHz" (REFERENCE.md A).
  int lanes = 1;
  // Register stages from input to output. Not published; guess: int -> FP16 conversion, three FMA steps (gain
  // and offset, scale and bias, side add) and the INT8 conversion, one stage each.
  int pipeline_depth = 5;
  // Digital units up to 400 MHz (REFERENCE.md A).
  double clock_hz = 400e6;

  // The activation stage (NmpuActivationParams for the meaning; FP16 coefficients): whether the unit has it
  // (core.digital_unit.activation.enabled), its table bins (HERMES's 18, REFERENCE.md H) and register stages
  // (compare/select and the FMA, as HERMES's FP16 global unit).
  bool activation_enabled = false;
  int activation_bins = 18;
  int activation_pipeline_depth = 2;

  // Throws aimc::UserError naming the parameter.
  void validate() const;
};

}  // namespace aimc
