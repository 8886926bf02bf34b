#pragma once
// How far the digital units' activation stage is from the float function: every pre-activation value the unit
// can hold within the INT8 pre-activation range [-128, 127] steps (the NMPU's accumulator grid, every FP16
// value for the LDPU) through the stage, against the exact output clamp(f(x * in_lsb) / out_step, -128, 127),
// in output steps (LSBs). The final rounding to INT8 alone gives up to 0.5 LSB.
#include <vector>

#include "aimc/numerics/ActivationFunction.h"
#include "aimc/numerics/LdpuFp16Params.h"
#include "aimc/numerics/NmpuParams.h"

namespace aimc {

struct ActivationStageError {
  double max_lsb = 0;
  double mean_lsb = 0;
  long values = 0;  // pre-activation values measured
};

// The steps the measurement uses for `spec` (a choice: the INT8 pre-activation range covers [-8, 8), the
// domain where every function here is non-linear; the output step puts max |f| over it at 127).
void activation_error_steps(const ActivationSpec& spec, double* in_lsb, double* out_step);

// params.activation.enabled / activation_enabled is set by the function.
ActivationStageError nmpu_activation_error(NmpuParams params, const ActivationSpec& spec, double in_lsb,
                                           double out_step);
ActivationStageError ldpu_activation_error(LdpuFp16Params params, const ActivationSpec& spec, double in_lsb,
                                           double out_step);

// One example of each function (as torch.nn's defaults where they have parameters; LeakyReLU 0.1 so that
// its slope shows within INT8).
std::vector<ActivationSpec> example_activations();

}  // namespace aimc
