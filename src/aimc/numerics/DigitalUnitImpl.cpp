#include "aimc/numerics/DigitalUnitImpl.h"

#include "aimc/base/Error.h"
#include "aimc/numerics/ActivationTable.h"

namespace aimc {

namespace {

// Only the slope below 0 is per channel in the units' registers.
bool same_bank_activation(const DigitalActivationCoefficients& a, const DigitalActivationCoefficients& b) {
  if (a.enabled != b.enabled) return false;
  if (!a.enabled) return true;
  const bool per_channel_alpha =
      a.spec.kind == ActivationKind::kPRelu || a.spec.kind == ActivationKind::kLeakyRelu;
  return a.spec.kind == b.spec.kind && a.spec.beta == b.spec.beta &&
         (per_channel_alpha || a.spec.alpha == b.spec.alpha) && a.in_lsb == b.in_lsb &&
         a.out_step == b.out_step;
}

}  // namespace

bool bank_activation_table(const std::vector<DigitalChannelCoefficients>& channels, bool has_stage, int bins,
                           ActivationTable* table) {
  if (channels.empty() || !channels.front().activation.enabled) {
    for (const DigitalChannelCoefficients& c : channels)
      AIMC_ASSERT_MSG(!c.activation.enabled, "channels of one register bank with and without an activation");
    return false;
  }
  const DigitalActivationCoefficients& a = channels.front().activation;
  for (const DigitalChannelCoefficients& c : channels)
    AIMC_ASSERT_MSG(same_bank_activation(a, c.activation),
                    "channels of one register bank need one activation");
  if (!has_stage)
    throw UserError("", 0, "core.digital_unit.activation.enabled",
                    "the layer's activation " + a.spec.describe() +
                        " runs in the digital unit's activation stage, which this arch does not have (set "
                        "core.digital_unit.activation.enabled: true)");
  AIMC_ASSERT_MSG(a.in_lsb > 0 && a.out_step > 0, "activation steps must be positive");
  *table = ActivationTable::build(a.spec, a.in_lsb, a.out_step, bins);
  return true;
}

double channel_activation_slope_neg(const DigitalChannelCoefficients& c) {
  if (!c.activation.enabled || !is_piecewise_linear(c.activation.spec.kind)) return 0.0;
  return ActivationTable::build(c.activation.spec, c.activation.in_lsb, c.activation.out_step, 3).slope_neg;
}

}  // namespace aimc
