#pragma once
// Parameters of the fixed-point near-memory processing unit (NMPU): the digital unit that turns one MVM's
// CCO-ADC counts into the next layer's INT8 activations (REFERENCE.md C, Ferro et al., arXiv 2402.07549). The
// paper's abstract gives no bit widths or pipeline depth, so every format below is a choice, stated with its
// reason; the formats are parameters so that the precision/area trade-off can be swept (see rtl/README.md).
//
// Arithmetic per output channel (all values two's complement, every stage rounded with `rounding` and
// saturated to its format):
//   d  = pos - neg                                  exact, adc_count_bits + 1 bits
//   y  = requant_corrected(d * gain + offset)       per-column ADC gain/offset correction
//   t1 = requant_accumulator(y * scale + bias)      folded weight scale, batch-norm and output step; relu1
//   t2 = requant_accumulator(t1 + side_scale * s)   partial sum / residual from the links; relu2
//   out = requant_int8(t2)                          or, with the activation stage (it replaces relu2):
//   out = requant_int8(act(t2))                     slope and clamp, or an interpolated table (below)
// The RTL (rtl/nmpu/) implements exactly this; NmpuModel is the bit-exact reference.
#include <cstdint>
#include <string>

#include "aimc/base/EnumNames.h"

namespace aimc {

// A signed two's-complement fixed-point format. int_bits counts the sign bit, so the value range is
// [-2^(int_bits-1), 2^(int_bits-1) - 2^-frac_bits] and the register is int_bits + frac_bits wide.
struct NmpuFixedFormat {
  int int_bits = 1;
  int frac_bits = 0;

  int width() const { return int_bits + frac_bits; }
  // Text such as "Q3.14 (17 bits)", for error messages and reports.
  std::string describe() const {
    return "Q" + std::to_string(int_bits) + "." + std::to_string(frac_bits) + " (" + std::to_string(width()) +
           " bits, signed)";
  }
  // Reads "Qi.f" (the arch keys core.digital_unit.format.*). Returns false and sets *error on other text;
  // the ranges are NmpuParams::validate()'s.
  static bool parse(const std::string& text, NmpuFixedFormat* out, std::string* error);
};

// How a value is rounded when fraction bits are dropped. The same mode applies at every stage.
enum class NmpuRounding : int {
  kHalfAwayFromZero = 0,  // C's round(): ties go away from zero
  kHalfToEven = 1,        // IEEE 754 default: ties go to the even neighbour (unbiased)
  kFloor = 2,             // truncation of two's complement (drop bits): cheapest, biased by -1/2 LSB
};

// The names of the arch key core.digital_unit.rounding (base/EnumNames.h).
inline constexpr EnumName<NmpuRounding> kNmpuRoundingNames[] = {
    {NmpuRounding::kHalfAwayFromZero, "half_away_from_zero"},
    {NmpuRounding::kHalfToEven, "half_to_even"},
    {NmpuRounding::kFloor, "floor"}};
constexpr const auto& enum_names(NmpuRounding) {
  return kNmpuRoundingNames;
}

inline const char* to_string(NmpuRounding mode) {
  return enum_name(mode);
}

// The optional activation stage after the side add (ActivationTable.h for the coefficients' meaning):
//   piecewise linear:  v = clamp((t2 >= 0 ? slope_pos : slope_neg[c]) * t2 + intercept, lo, hi)
//   table:             k = #{breakpoint <= t2} (bins - 1 comparators), anchor = breakpoint[max(k - 1, 0)],
//                      v = value[k] + slope[k] * (t2 - anchor)   (one FMA)
//   out = requant_int8(v), exact int64 intermediates on the common fraction grid. One function and table per
// register bank (the channels of a piece share their steps); only slope_neg is per channel (PReLU).
struct NmpuActivationParams {
  static constexpr int kMaxBins = 64;
  // Whether the unit has the stage (choice: off by default, so that a chip without activation networks keeps
  // the register count, configuration traffic and pipeline of the published design).
  bool enabled = false;
  // Table bins: 18 as the HERMES global unit's tanh (REFERENCE.md H: 17 comparators, 18 bins, one FMA).
  int bins = 18;
  // Breakpoints in the accumulator's format (choice: the comparators then compare register values directly).
  NmpuFixedFormat breakpoint{11, 8};
  // Values, intercept and clamps in output steps: +-512 = 4x the INT8 range (the accumulator's range for the
  // same reason: extrapolated end segments may exceed INT8 before the final saturation); 8 fraction bits =
  // 1/256 output step, well under the final rounding's 1/2 step.
  NmpuFixedFormat value{10, 8};
  // Slopes in output steps per pre-activation step: |slope| < 32 covers a pre-activation step 32x coarser
  // than the output step (e.g. tanh of a +-128-step input onto a +-1 output); 14 fraction bits: over the
  // largest |t2 - anchor| of 1024 steps the slope's rounding moves the output by at most 2^-5 step.
  NmpuFixedFormat slope{6, 14};
  // Register stages: compare/select the bin, then the FMA (choice, as HERMES's comparators + FMA).
  int pipeline_depth = 2;
};

struct NmpuParams {
  // Bounds validate() enforces; the arch keys core.digital_unit.lanes, .pipeline_depth and
  // core.adc.counter_bits declare the same ones.
  static constexpr int kMaxAdcCountBits = 16;
  static constexpr int kMaxLanes = 64;
  static constexpr int kMaxPipelineDepth = 16;

  // CCO ADC: dual 12-bit ripple counter, positive and negative current, 24-bit bus (REFERENCE.md A,
  // Le Gallo et al. 2023).
  int adc_count_bits = 12;

  // Per-column ADC gain correction. HERMES-Core trims the CCO gain to a residual spread of sigma = 7.09 % and
  // equalises the rest digitally (REFERENCE.md B, Khaddam-Aljameh et al. 2022), so |gain| < 2 covers > 10
  // sigma. 14 fraction bits: a gain step of 2^-14 moves a full-scale count (4095) by 0.25 count, below the
  // ADC's
  // +-1 LSB INL (REFERENCE.md B).
  NmpuFixedFormat gain{2, 14};

  // Per-column ADC offset, in ADC counts. Guess (no published figure): +-512 counts = 1/8 of the 12-bit range
  // covers the CCO offsets after the analog trim; 4 fraction bits keep the offset's rounding at 1/32 count.
  NmpuFixedFormat offset{10, 4};

  // Corrected count y = d * gain + offset: |d| <= 4095, |gain| < 2, |offset| <= 512 gives |y| < 8703, so 15
  // integer bits (with sign) never saturate; 3 fraction bits keep 1/16-count rounding error, well under the
  // ADC's own +-1 LSB INL.
  NmpuFixedFormat corrected{15, 3};

  // Per-channel scale from count to output LSB (weight scale x batch-norm scale / output INT8 step). A
  // full-scale 4095-count output mapped onto 127 output LSBs needs ~0.031; |scale| < 8 leaves room for layers
  // whose outputs use a fraction of the ADC range. 16 fraction bits: the scale's rounding moves the output by
  // at most 8703 * 2^-17 = 0.066 output LSB.
  NmpuFixedFormat scale{4, 16};

  // Per-channel bias incl. batch-norm shift, in output LSBs: +-512 LSB is 4x the INT8 range; 8 fraction bits.
  NmpuFixedFormat bias{10, 8};

  // Running value t (after scale/bias and after the side add), in output LSBs. 11 integer bits (+-1024): the
  // INT8 range (+-128) plus the largest side term (|side_scale * s| <= 4 * 128 = 512) with margin, so that an
  // intermediate saturation never changes the final INT8 result. 8 fraction bits match the bias.
  NmpuFixedFormat accumulator{11, 8};

  // Scale of the optional INT8 side input (partial sum from another core or residual): the ratio of its step
  // to the output step. |side_scale| < 4 (the two INT8 steps within a factor 4); 10 fraction bits: the
  // scale's rounding moves the output by at most 128 * 2^-11 = 0.0625 LSB.
  NmpuFixedFormat side_scale{3, 10};

  // Output activation: INT8 (REFERENCE.md A: "INT8 out").
  int output_bits = 8;

  NmpuRounding rounding =
      NmpuRounding::kHalfAwayFromZero;  // chosen: matches round() in the training frameworks'
                                        // fake quantisation of the reference models

  // Values per clock. The 256 ADC outputs of a 1-phase MVM arrive every 133 ns (REFERENCE.md A), 53 cycles at
  // 400 MHz: at least 4.8 values per clock keep up; 8 lanes (next power of two) finish in 32 cycles.
  int lanes = 8;

  // Register stages from input handshake to output: one per multiplier/adder step (affine correction, scale
  // and bias, side add, requantise), so no stage holds more than one multiplier. Chosen so that a 20x18-bit
  // multiply-add fits a 2.5 ns cycle in 14 nm (estimate, not a published figure).
  int pipeline_depth = 4;

  // Digital units run up to 400 MHz (REFERENCE.md A, Le Gallo et al. 2023).
  double clock_hz = 400e6;

  // Output channels with their own coefficient set: one per ADC, 256 per core (REFERENCE.md A).
  int channels = 256;

  NmpuActivationParams activation;

  // Throws aimc::UserError naming the parameter if a format is impossible or the stages do not line up.
  void validate() const;
  // The fraction bits of the activation stage's comparisons: max(accumulator, breakpoint).
  int activation_grid_frac() const {
    return accumulator.frac_bits > activation.breakpoint.frac_bits ? accumulator.frac_bits
                                                                   : activation.breakpoint.frac_bits;
  }

 private:
  void validate_activation() const;
};

}  // namespace aimc
