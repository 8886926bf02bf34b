#pragma once
// One bank of ADCs (one per output line) behind a small interface; variants AdcIdeal, AdcCco, AdcSar,
// AdcFlash.
//
// Input convention: `ideal_counts[j]` is the signed charge integrated on output line j during one phase,
// expressed in counts of an ideal linear converter of the same range (so an ideal ADC outputs round(v)).
// The converter adds |code| to the positive counter when the line current is positive and to the negative
// counter otherwise (HERMES dual counters, REFERENCE A); counters saturate at counter_max(). The chip's
// digital unit subtracts the two counters.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "aimc/numerics/AnalogParams.h"

namespace aimc {

class AdcModel {
 public:
  virtual ~AdcModel() = default;

  // Converts one phase of all `lines` lines and accumulates into pos/neg. Returns true if any conversion hit
  // the per-conversion bound (used by bound management).
  virtual bool convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const = 0;

  // Largest code of one conversion (the full-scale output, REFERENCE E's out_bound maps to it).
  int32_t full_scale_counts() const { return full_scale_counts_; }
  // Largest value a counter can hold across phases.
  int32_t counter_max() const { return counter_max_; }
  // Gain of line j's converter as known to the digital unit after calibration (1 for an ideal ADC).
  virtual double calibrated_gain(int line) const {
    (void)line;
    return 1.0;
  }

  // The variant selected by params.kind, with per-ADC mismatch drawn from CounterRng(seed, tile_id,
  // kAdcMismatch, sub) for sub = 0 gain, 1 offset, 2 INL, 3 calibration residual; index = line.
  static std::unique_ptr<AdcModel> create(const AdcParams& params, const DacParams& dac, int lines,
                                          uint64_t seed, uint32_t tile_id);
  // Full-scale counts of a variant without building it: ideal/SAR/flash 2^(bits-1)-1,
  // CCO floor(T_int / t_lsb).
  static int32_t full_scale_counts_for(const AdcParams& params, const DacParams& dac);
  // The CCO integration window (ns): cco_integration_ns, or the PWM window 2^(dac_bits-1) * t_lsb.
  static double cco_integration_ns(const AdcParams& params, const DacParams& dac);

 protected:
  // The rounding quantisers (ideal, SAR, flash): rounds v half-to-even (nearbyint in the default rounding
  // mode, REFERENCE E) to a signed code saturating at +-full scale, and adds it to the counter of its sign.
  // Returns whether it saturated.
  bool quantise_into(float v, int32_t& pos, int32_t& neg) const {
    const float fs = static_cast<float>(full_scale_counts_);
    float c = std::nearbyint(v);
    const bool saturated = std::abs(c) >= fs;
    if (saturated) c = c < 0.0f ? -fs : fs;
    const auto code = static_cast<int32_t>(c);
    if (code >= 0)
      pos = saturating_add(pos, code, counter_max_);
    else
      neg = saturating_add(neg, -code, counter_max_);
    return saturated;
  }

  static int32_t saturating_add(int32_t counter, int32_t code, int32_t max) {
    const int64_t s = static_cast<int64_t>(counter) + code;
    return s > max ? max : static_cast<int32_t>(s);
  }
  // v + sign(v) * peak * 4u(1-u), u = min(|v| / full scale, 1): the INL bow shared by CCO, SAR and flash.
  static float with_inl(float v, float peak, float inv_full_scale) {
    const float u = std::min(std::abs(v) * inv_full_scale, 1.0f);
    const float bow = peak * 4.0f * u * (1.0f - u);
    return v < 0.0f ? v - bow : v + bow;
  }

  AdcModel(int32_t full_scale_counts, int32_t counter_max)
      : full_scale_counts_(full_scale_counts), counter_max_(counter_max) {}

 private:
  int32_t full_scale_counts_;
  int32_t counter_max_;
};

// Per-line gain, offset and INL of a real converter (CCO or SAR), drawn deterministically.
struct AdcMismatch {
  std::vector<float> gain;              // multiplicative, 1 + gain_sigma xi
  std::vector<float> offset_counts;     // additive, offset_sigma_counts xi
  std::vector<float> inl_peak_counts;   // peak of a mid-scale bow, inl_peak_sigma_lsb xi
  std::vector<double> calibrated_gain;  // what the digital unit divides by
  static AdcMismatch draw(const AdcParams& params, int lines, uint64_t seed, uint32_t tile_id);
};

}  // namespace aimc
