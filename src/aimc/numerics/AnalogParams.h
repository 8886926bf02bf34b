#pragma once
// Plain parameter structs of the analog numerics (one PCM crossbar tile, its PWM DACs and its ADCs).
// No YAML here: the config layer fills these. Every default names its source (REFERENCE.md section + paper)
// or says plainly that it is an assumption. Units are in the field names. Each enum has one name table (the
// arch keys' choices, base/EnumNames.h).
//
// Physical orientation (HERMES, REFERENCE A): the 256 ADCs sit one per physical ROW, so a weight matrix
// W[out, in] maps out -> physical row (output line, one ADC each) and in -> physical column (input line,
// one PWM driver each). TileParams::rows is therefore the number of output lines, cols the number of inputs.
#include <cstdint>

#include "aimc/base/EnumNames.h"

namespace aimc {

enum class ProgrammingModel : uint8_t {
  kIdeal,          // g = target exactly (no programming noise)
  kStatistical,    // one write with the PCM programming noise of REFERENCE D
  kProgramVerify,  // iterative write / verify-read (REFERENCE A: stop under 5 ADC counts or after 30
                   // iterations)
};
inline constexpr EnumName<ProgrammingModel> kProgrammingModelNames[] = {
    {ProgrammingModel::kIdeal, "ideal"},
    {ProgrammingModel::kStatistical, "statistical"},
    {ProgrammingModel::kProgramVerify, "program_verify"}};
constexpr const auto& enum_names(ProgrammingModel) {
  return kProgrammingModelNames;
}

enum class ReadNoiseMode : uint8_t {
  kOff,
  // 1/f noise drawn once per device at set_inference_time (how AIHWKit applies it, REFERENCE D/E).
  kFrozenAtInferenceTime,
  // A fresh 1/f noise sample on every read (each MVM sees its own noise); added on the output current through
  // its exact variance (see CrossbarArray.h for the derivation).
  kPerRead,
};
inline constexpr EnumName<ReadNoiseMode> kReadNoiseModeNames[] = {
    {ReadNoiseMode::kOff, "off"},
    {ReadNoiseMode::kFrozenAtInferenceTime, "frozen"},
    {ReadNoiseMode::kPerRead, "per_read"}};
constexpr const auto& enum_names(ReadNoiseMode) {
  return kReadNoiseModeNames;
}

// How the per-read output-noise variance sum_i x_i^2 V_ij is evaluated (only for ReadNoiseMode::kPerRead).
enum class ReadNoiseVariance : uint8_t {
  kExact,  // a second GEMV with the squared input codes: exact for independent Gaussian device noise
  kRank1,  // V_ij ~ r_i c_j / S (row sums x column sums / total): O(in + out) per read, exact when V is
           // separable
};
inline constexpr EnumName<ReadNoiseVariance> kReadNoiseVarianceNames[] = {
    {ReadNoiseVariance::kExact, "exact"}, {ReadNoiseVariance::kRank1, "rank1"}};
constexpr const auto& enum_names(ReadNoiseVariance) {
  return kReadNoiseVarianceNames;
}

enum class DeviceTechnology : uint8_t {
  kPcm,   // phase-change memory, REFERENCE D statistical model (DeviceModelPcm)
  kRram,  // filamentary 1T1R resistive RAM with LRS/HRS, levels and relaxation (DeviceModelRram)
};
inline constexpr EnumName<DeviceTechnology> kDeviceTechnologyNames[] = {{DeviceTechnology::kPcm, "pcm"},
                                                                        {DeviceTechnology::kRram, "rram"}};
constexpr const auto& enum_names(DeviceTechnology) {
  return kDeviceTechnologyNames;
}

// What programming does about devices that a read-back finds stuck (numerics/StuckCompensation.h).
enum class StuckCompensation : uint8_t {
  kNone,     // stuck devices stay uncorrected
  kPartner,  // re-aim the other devices of the stuck device's cell so the cell's weight is reached if it can
  kOffset,   // kPartner, then the line's remaining error is offset over its other cells (see the header)
};
inline constexpr EnumName<StuckCompensation> kStuckCompensationNames[] = {
    {StuckCompensation::kNone, "none"},
    {StuckCompensation::kPartner, "partner"},
    {StuckCompensation::kOffset, "offset"}};
constexpr const auto& enum_names(StuckCompensation) {
  return kStuckCompensationNames;
}

// 1T1R RRAM (DeviceModelRram). Defaults and their sources: arch/rram.yaml and config/ArchParamsDevice.cpp.
struct RramParams {
  // MemTorch's Stanford-PKU model defaults (memtorch/bh/memristor/Stanford_PKU.py): r_on = 542 ohm,
  // r_off = 218586 ohm, so g_lrs = 1845 uS and an on/off ratio of 403.
  double g_lrs_us = 1845.0;
  double on_off_ratio = 403.3;
  int levels = 0;                   // 0 = continuous targets; >= 2 = equally spaced levels from HRS to LRS
  double d2d_sigma = 0.05;          // ASSUMPTION: relative device-to-device spread of each device's LRS/HRS
  double c2c_sigma = 0.02;          // ASSUMPTION: write spread per pulse, relative to the window
  double read_noise_sigma = 0.01;   // ASSUMPTION: relative read noise, time independent
  double relaxation_tau_s = 1.0;    // ASSUMPTION: log-time law reference L(t) = log10(1 + t / tau)
  double relaxation_sigma = 0.005;  // ASSUMPTION: spread per decade, relative to the window
  double relaxation_to_mid = 0.01;  // ASSUMPTION: pull toward the window's middle per decade
  // Write pulses of the Stanford-PKU model's own pulse benchmark (its Verilog-A release v1.0.0, nanoHUB
  // doi:10.4231/D37H1DN48, pulseSweep.sp): SET +1.8 V, RESET -1.3 V, 100 ns each.
  double set_voltage_v = 1.8;
  double reset_voltage_v = 1.3;
  double set_pulse_ns = 100.0;
  double reset_pulse_ns = 100.0;
};

enum class WeightLevels : uint8_t {
  kContinuous,  // weights as they are
  kBinary,      // sign(w) * mean|w| per output line (XNOR-Net, Rastegari et al. ECCV 2016)
  kTernary,     // {-a, 0, a} per output line, threshold 0.7 mean|w| (TWN, Li et al. arXiv 1605.04711)
};
inline constexpr EnumName<WeightLevels> kWeightLevelsNames[] = {{WeightLevels::kContinuous, "continuous"},
                                                                {WeightLevels::kBinary, "binary"},
                                                                {WeightLevels::kTernary, "ternary"}};
constexpr const auto& enum_names(WeightLevels) {
  return kWeightLevelsNames;
}

struct DeviceParams {
  DeviceTechnology technology = DeviceTechnology::kPcm;  // REFERENCE A: HERMES is PCM
  RramParams rram;
  StuckCompensation stuck_compensation = StuckCompensation::kNone;  // today's behaviour
  double g_max_us = 25.0;        // REFERENCE D (Nandakumar ICECS 2019 / AIHWKit PCMLikeNoiseModel g_max)
  int devices_per_polarity = 2;  // REFERENCE A: HERMES 8T4R cell, 2 PCM devices per polarity
  ProgrammingModel programming = ProgrammingModel::kStatistical;  // REFERENCE D
  double programming_noise_scale = 1.0;  // AIHWKit PCMLikeNoiseModel prog_noise_scale default (REFERENCE D)
  int verify_tolerance_counts = 5;       // REFERENCE A: program-and-verify stops under 5 ADC counts
  int verify_max_iterations = 30;        // REFERENCE A: ... or after 30 iterations
  // Verify read-back gain: 0 = the MVM's own ADC gain (a one-hot full-pulse read of the cell; the chip has
  // one ADC configuration and no programming-mode gain is published), > 0 = counts of ONE device at g_max.
  double verify_counts_at_g_max = 0.0;
  // Delay between a write pulse and its verify read. ASSUMPTION: not published; 1 us = a few reads later.
  double verify_read_delay_s = 1e-6;
  bool drift_enabled = true;  // REFERENCE A/D: G(t) = G(t0) (t/t0)^-nu
  double drift_scale = 1.0;   // AIHWKit drift_scale default (REFERENCE D)
  double t0_s = 20.0;         // REFERENCE D
  double t_read_s = 250e-9;   // REFERENCE D
  ReadNoiseMode read_noise =
      ReadNoiseMode::kPerRead;  // hardware: every read is a new sample (REFERENCE D model)
  ReadNoiseVariance read_noise_variance = ReadNoiseVariance::kExact;
  double read_noise_scale = 1.0;  // AIHWKit read_noise_scale default (REFERENCE D)
  // Fractions of devices stuck at SET (g_max) / RESET (g_reset_us). No published HERMES figure: 0 = none.
  double stuck_at_set_fraction = 0.0;
  double stuck_at_reset_fraction = 0.0;
  double g_reset_us = 0.1;  // REFERENCE A: RESET state ~0.1 uS
};

enum class DacReadMode : uint8_t {
  kOnePhase,   // all four sign quadrants at once (REFERENCE A)
  kFourPhase,  // x+ and x- against G+ and G- in four separate integrations (REFERENCE A)
};
inline constexpr EnumName<DacReadMode> kDacReadModeNames[] = {{DacReadMode::kOnePhase, "one_phase"},
                                                              {DacReadMode::kFourPhase, "four_phase"}};
constexpr const auto& enum_names(DacReadMode) {
  return kDacReadModeNames;
}

enum class InputScaling : uint8_t {
  kAbsMax,  // per input vector: x / max|x| (AIHWKit noise management "abs_max", REFERENCE E)
  kFixed,   // x / fixed_input_range
};
inline constexpr EnumName<InputScaling> kInputScalingNames[] = {{InputScaling::kAbsMax, "abs_max"},
                                                                {InputScaling::kFixed, "fixed"}};
constexpr const auto& enum_names(InputScaling) {
  return kInputScalingNames;
}

struct DacParams {
  // PWM bits the numerics take (codes are int16 in Int16DotProducts.h); core.dac.bits declares [2, 12].
  static constexpr int kMinBits = 2;  // one magnitude bit and the sign
  static constexpr int kMaxBits = 16;

  int bits = 8;           // REFERENCE A: 8-bit PWM including the sign (7-bit magnitude, B)
  double t_lsb_ns = 1.0;  // REFERENCE A: 1 ns per LSB
  // Set-up time per read phase (CCO reset, line settling). Not published: fitted together with
  // AdcParams::cco_readout_ns so that 1-phase 128 + 1 + 4 = 133 ns and 4-phase 4 (128 + 1) + 4 = 520 ns
  // reproduce REFERENCE A's MVM latencies.
  double phase_overhead_ns = 1.0;
  double read_voltage_v = 0.2;  // REFERENCE A: 100-400 mV; 0.2 V chosen inside the published range
  DacReadMode read_mode = DacReadMode::kOnePhase;      // REFERENCE A (the faster mode)
  InputScaling input_scaling = InputScaling::kAbsMax;  // REFERENCE E
  double fixed_input_range = 1.0;       // for kFixed: |x| at full pulse width. No published figure.
  bool bound_management = true;         // REFERENCE E (iterative bound management)
  int bound_management_max_passes = 5;  // REFERENCE E: r = 1, 2, 4, 8, 16
};

enum class AdcKind : uint8_t {
  kIdeal,  // round half-to-even, saturating, no mismatch
  kCco,    // HERMES current-controlled-oscillator ADC with dual counters (REFERENCE A, B)
  kSar,    // successive approximation (REFERENCE G, NeuroSim)
  kFlash,  // 2^bits - 1 parallel comparators, one clock per conversion (appended: existing indices stay)
};
inline constexpr EnumName<AdcKind> kAdcKindNames[] = {
    {AdcKind::kIdeal, "ideal"}, {AdcKind::kCco, "cco"}, {AdcKind::kSar, "sar"}, {AdcKind::kFlash, "flash"}};
constexpr const auto& enum_names(AdcKind) {
  return kAdcKindNames;
}

struct AdcParams {
  // Resolutions the numerics take; the declarations core.adc.bits and core.adc.counter_bits use the same
  // bounds, so a value that passes the config layer converts.
  static constexpr int kMinBits = 2;   // one magnitude bit and the sign: a 1-bit ADC has no code but 0
  static constexpr int kMaxBits = 16;  // core.adc.bits' bound; the flash's 2^16 - 1 comparators are plenty
  static constexpr int kMinCounterBits = 2;  // counter_max = 2^bits - 1 must hold more than one count
  // The digital units take at most 16-bit counts (NmpuParams/LdpuFp16Params::kMaxAdcCountBits).
  static constexpr int kMaxCounterBits = 16;

  AdcKind kind = AdcKind::kCco;  // REFERENCE A/B
  int bits = 9;                  // ideal/SAR, including the sign: +-255 codes (AIHWKit 24/510 step, REF. E)
  // Output value (in units of full-scale input x full-scale weight) that reaches the last ADC code.
  double full_scale_normalised =
      12.0;  // AIHWKit out_bound = 12 (REFERENCE E); HERMES does not publish its range
  // CCO
  double cco_t_lsb_ps = 300.0;      // REFERENCE B: 300 ps/LSB
  double cco_integration_ns = 0.0;  // 0 = the PWM window 2^(dac_bits-1) * t_lsb (128 ns for 8 bits, REF. B)
  int cco_counter_bits = 12;        // REFERENCE A: dual 12-bit ripple counters
  double cco_readout_ns = 4.0;      // fitted with DacParams::phase_overhead_ns to REFERENCE A's 133/520 ns
  // Mismatch (CCO, SAR and flash), drawn once per ADC from CounterRng(kAdcMismatch).
  double gain_sigma = 0.0709;                     // REFERENCE B: gain trim residual sigma = 7.09 %
  bool gain_equalised_digitally = true;           // REFERENCE B: remaining gain spread equalised digitally
  double gain_equalisation_residual_sigma = 0.0;  // not published; 0 = the digital equalisation is exact
  double offset_sigma_counts =
      0.0;  // not published (an offset trim is one of the 3 calibration parameters, B)
  double inl_peak_sigma_lsb = 1.0 / 3.0;  // REFERENCE B: INL within +-1 LSB, read as a 3-sigma bound
  double output_noise_sigma_counts =
      0.0;  // not published for HERMES; AIHWKit: 0.06 / (24/510) = 1.275 counts
  // SAR and flash conversion clock. A flash resolves all bits in ONE cycle of it; no flash clock is published
  // for an AIMC macro, so it shares the SAR's (REFERENCE G) 1 GHz rather than adding a separate key.
  double sar_clock_ghz = 1.0;  // REFERENCE G (NeuroSim): (bits + 1) x 1 ns per SAR conversion
  int lines_per_adc = 1;       // REFERENCE A: one ADC per row, no multiplexing
};

enum class WeightScaling : uint8_t {
  kPerTile,    // s = g_max / max|W| over the tile (REFERENCE D)
  kPerColumn,  // one s per output line (AIHWKit's "per column"; a physical row on HERMES)
};
inline constexpr EnumName<WeightScaling> kWeightScalingNames[] = {{WeightScaling::kPerTile, "per_tile"},
                                                                  {WeightScaling::kPerColumn, "per_column"}};
constexpr const auto& enum_names(WeightScaling) {
  return kWeightScalingNames;
}

enum class DriftCompensation : uint8_t {
  kNone,
  kGlobal,     // REFERENCE D: alpha = mean|y| of a one-hot calibration read at programming / now
  kPerColumn,  // the same per output line
};
inline constexpr EnumName<DriftCompensation> kDriftCompensationNames[] = {
    {DriftCompensation::kNone, "none"},
    {DriftCompensation::kGlobal, "global"},
    {DriftCompensation::kPerColumn, "per_column"}};
constexpr const auto& enum_names(DriftCompensation) {
  return kDriftCompensationNames;
}

enum class ForwardMode : uint8_t {
  kHardware,           // PWM codes -> conductances -> ADC counts (HERMES-like)
  kAihwkitCompatible,  // REFERENCE E exactly (normalised units, out noise, rounding half-to-even)
};
inline constexpr EnumName<ForwardMode> kForwardModeNames[] = {{ForwardMode::kHardware, "hardware"},
                                                              {ForwardMode::kAihwkitCompatible, "aihwkit"}};
constexpr const auto& enum_names(ForwardMode) {
  return kForwardModeNames;
}

// Wire resistance of the lines (IR drop), numerics/WireResistance.h. HERMES publishes no line resistance;
// the default is NeuroSim's (DNN_NeuroSim V2.1 Param.cpp) 14 nm wire: width 25 nm, aspect ratio 2.0,
// resistivity 5.08e-8 ohm m, i.e. 40.6 ohm/um, over one 2F = 50 nm cell of its 4F^2 crossbar: 2.03 ohm.
struct WireParams {
  bool enabled = false;               // design option: off = ideal lines (today's chip model)
  double r_row_ohm_per_cell = 2.032;  // output line (physical row, towards its ADC)
  double r_col_ohm_per_cell = 2.032;  // input line (physical column, from its PWM driver)
};

struct TileParams {
  int rows = 256;  // output lines (one ADC each), REFERENCE A: 256x256 unit cells
  int cols = 256;  // input lines (one PWM driver each)
  DeviceParams device;
  DacParams dac;
  AdcParams adc;
  WeightScaling weight_scaling = WeightScaling::kPerTile;  // REFERENCE D
  // Binary/ternary quantise each output line to LRS/HRS-only cells with a per-line scale.
  WeightLevels weight_levels = WeightLevels::kContinuous;
  DriftCompensation drift_compensation =
      DriftCompensation::kGlobal;  // REFERENCE A: global per-core rescaling
  WireParams wire;
  ForwardMode forward_mode = ForwardMode::kHardware;
  double aihwkit_out_noise = 0.06;  // REFERENCE E: y = W x' + 0.06 xi (normalised units)
};

}  // namespace aimc
