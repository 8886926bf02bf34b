#pragma once
// Flash ADC: 2^bits - 1 comparators against a reference ladder decide every code at once. Its transfer is the
// SAR's (a sampled bipolar value, code = round-half-to-even(v'), v' = gain_j (v + INL_j(v)) + offset_j,
// saturating at +-(2^(bits-1) - 1)), with the same per-ADC mismatch draw: ladder and comparator offsets show
// up as the same gain/offset/INL terms. Timing (ONE clock cycle per conversion, lines_per_adc conversions in
// a row) lives in MvmTiming; energy and area (Walden FOM, comparator count) in power/AdcCostModel.
#include "aimc/numerics/AdcSar.h"

namespace aimc {

// The thermometer code of the comparators counts the thresholds below v: the nearest level, and the top
// (bottom) level once v passes the last threshold — the SAR's transfer, so the conversion is AdcSar's.
class AdcFlash : public AdcSar {
 public:
  using AdcSar::AdcSar;
};

}  // namespace aimc
