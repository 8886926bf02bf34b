#include "aimc/numerics/AdcModel.h"

#include <cmath>
#include <limits>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/AdcCco.h"
#include "aimc/numerics/AdcFlash.h"
#include "aimc/numerics/AdcIdeal.h"
#include "aimc/numerics/AdcSar.h"

namespace aimc {

double AdcModel::cco_integration_ns(const AdcParams& params, const DacParams& dac) {
  if (params.cco_integration_ns > 0.0) return params.cco_integration_ns;
  return std::ldexp(1.0, dac.bits - 1) * dac.t_lsb_ns;
}

int32_t AdcModel::full_scale_counts_for(const AdcParams& params, const DacParams& dac) {
  switch (params.kind) {
    case AdcKind::kCco:
      return static_cast<int32_t>(std::floor(cco_integration_ns(params, dac) * 1000.0 / params.cco_t_lsb_ps));
    case AdcKind::kIdeal:
    case AdcKind::kSar:
    case AdcKind::kFlash:
      break;
  }
  return (int32_t{1} << (params.bits - 1)) - 1;
}

std::unique_ptr<AdcModel> AdcModel::create(const AdcParams& params, const DacParams& dac, int lines,
                                           uint64_t seed, uint32_t tile_id) {
  // The arch keys core.adc.bits and core.adc.counter_bits declare these ranges; direct callers (tests,
  // library users building AdcParams by hand) get the same bounds as a UserError.
  if (params.bits < AdcParams::kMinBits || params.bits > AdcParams::kMaxBits)
    throw UserError(
        "", 0, "adc.bits",
        "must be in " + std::to_string(AdcParams::kMinBits) + ".." + std::to_string(AdcParams::kMaxBits));
  if (params.kind == AdcKind::kCco &&
      (params.cco_t_lsb_ps <= 0.0 || params.cco_counter_bits < AdcParams::kMinCounterBits ||
       params.cco_counter_bits > AdcParams::kMaxCounterBits))
    throw UserError("", 0, "adc.cco",
                    "t_lsb_ps must be > 0 and counter_bits in " + std::to_string(AdcParams::kMinCounterBits) +
                        ".." + std::to_string(AdcParams::kMaxCounterBits));
  switch (params.kind) {
    case AdcKind::kIdeal:
      return std::make_unique<AdcIdeal>(params);
    case AdcKind::kCco:
      return std::make_unique<AdcCco>(params, dac, lines, seed, tile_id);
    case AdcKind::kSar:
      return std::make_unique<AdcSar>(params, lines, seed, tile_id);
    case AdcKind::kFlash:
      return std::make_unique<AdcFlash>(params, lines, seed, tile_id);
  }
  AIMC_ASSERT(false);
  return nullptr;
}

AdcMismatch AdcMismatch::draw(const AdcParams& params, int lines, uint64_t seed, uint32_t tile_id) {
  AdcMismatch m;
  m.gain.resize(lines);
  m.offset_counts.resize(lines);
  m.inl_peak_counts.resize(lines);
  m.calibrated_gain.resize(lines);
  const CounterRng gain_rng(seed, tile_id, RngPurpose::kAdcMismatch, 0);
  const CounterRng offset_rng(seed, tile_id, RngPurpose::kAdcMismatch, 1);
  const CounterRng inl_rng(seed, tile_id, RngPurpose::kAdcMismatch, 2);
  const CounterRng cal_rng(seed, tile_id, RngPurpose::kAdcMismatch, 3);
  for (int j = 0; j < lines; ++j) {
    const double g = 1.0 + params.gain_sigma * gain_rng.normal(j);
    m.gain[j] = static_cast<float>(g);
    m.offset_counts[j] = static_cast<float>(params.offset_sigma_counts * offset_rng.normal(j));
    m.inl_peak_counts[j] = static_cast<float>(params.inl_peak_sigma_lsb * inl_rng.normal(j));
    m.calibrated_gain[j] = params.gain_equalised_digitally
                               ? static_cast<double>(m.gain[j]) *
                                     (1.0 + params.gain_equalisation_residual_sigma * cal_rng.normal(j))
                               : 1.0;
  }
  return m;
}

}  // namespace aimc
