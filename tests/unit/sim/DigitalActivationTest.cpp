// The digital units' activation stage end to end: a mapped Gemm network whose last piece gets an activation
// by hand (as the compiler's lowering will set CrossbarPiece::activation), run on the cycle-level chip and on
// the numerics-only executor: identical INT8 outputs, and close to the float function of the pre-activation
// the same chip computes without the stage, for the NMPU and the FP16 LDPU. One chip per test (one SystemC
// elaboration per process).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "../mapping/MappingTestSupport.h"
#include "aimc/hw/Chip.h"
#include "aimc/numerics/ActivationTable.h"
#include "aimc/sim/MappedExecutor.h"
#include "aimc/sim/Workload.h"

namespace aimc {
namespace {

constexpr int64_t kSamples = 16;
constexpr int64_t kInputs = 64, kOutputs = 32;
constexpr uint64_t kSeed = 3;

Workload gemm_workload(const ArchConfig& arch) {
  std::vector<float> x(static_cast<size_t>(kSamples * kInputs));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)));
  // Weights x16: pre-activations over about +-4, where every function here is non-linear.
  Graph g = mapping_test::gemm_graph(kInputs, kOutputs);
  g.nodes[0].weight *= 16.0F;
  g.nodes[0].bias *= 16.0F;
  return prepare_workload(arch, g, NpyArray::fromFloat32({kSamples, kInputs}, x), kSamples, kSamples);
}

// The allowed distance, in output steps, of the chip's code from f(pre * in_lsb) / out_step, where pre is
// the same chip's INT8 pre-activation (the running value t2 rounded): the final rounding (0.5), the table's
// own error against f (measured on a fine grid, the interpolation error), the units' coefficient rounding
// (0.2 covers FP16's), and f's largest slope times the 0.5-step rounding of t2 into pre.
double allowed_error(const ActivationSpec& spec, double in_lsb, double out_step, int bins) {
  const ActivationTable t = ActivationTable::build(spec, in_lsb, out_step, bins);
  double table = 0, slope = 0;
  for (double x = -128; x <= 127; x += 1.0 / 64) {
    const double f = activation_value(spec, x * in_lsb) / out_step;
    table = std::max(table, std::abs(t.evaluate(x) - f));
    slope = std::max(slope, std::abs(activation_value(spec, (x + 1.0 / 64) * in_lsb) / out_step - f) * 64);
  }
  return 0.5 + table + 0.2 + 0.5 * slope;
}

void expect_chip_equals_executor_and_follows_f(const char* kind) {
  const ArchConfig arch =
      mapping_test::hermes({"core.digital_unit.activation.enabled=true", kind, "device.drift=false"});
  Workload w = gemm_workload(arch);
  ASSERT_EQ(w.mapping.pieces.size(), 1u);
  CrossbarPiece& piece = w.mapping.pieces.back();
  Chip chip("chip", arch, w.mapping, kSeed);
  MappedExecutor exec(arch, w.mapping, kSeed);
  chip.program();
  exec.program();
  auto run_both = [&] {
    chip.set_inference_time(1.0);
    exec.set_inference_time(1.0);
    const std::vector<int8_t> out = chip.run(w.codes, kSamples).outputs;
    EXPECT_EQ(exec.run(w.codes, kSamples), out);
    return out;
  };
  run_both();
  // The chip's runs differ in their noise (each run draws its own), so the comparison with f takes the first
  // run of fresh executors (same seed, same noise) with and without the activation.
  auto first_run = [&] {
    MappedExecutor fresh(arch, w.mapping, kSeed);
    fresh.program();
    fresh.set_inference_time(1.0);
    return fresh.run(w.codes, kSamples);
  };
  const std::vector<int8_t> pre = first_run();  // no activation: the pre-activation codes
  int inside = 0;
  for (int8_t v : pre) inside += (v > -128 && v < 127 && v != 0) ? 1 : 0;
  ASSERT_GT(inside, kSamples * kOutputs / 2);
  const double in_lsb = piece.out_step;
  EXPECT_GT(in_lsb * 127, 2.0);  // the non-linear range
  std::vector<double> prelu_alpha(static_cast<size_t>(kOutputs));
  for (size_t c = 0; c < prelu_alpha.size(); ++c) prelu_alpha[c] = 0.05 * static_cast<double>(c % 7);
  for (const ActivationSpec& spec :
       {ActivationSpec{ActivationKind::kTanh, 0, 0}, ActivationSpec{ActivationKind::kGelu, 0, 0},
        ActivationSpec{ActivationKind::kSigmoid, 0, 0}, ActivationSpec{ActivationKind::kPRelu, 0, 0},
        ActivationSpec{ActivationKind::kHardtanh, -0.5, 0.5}, ActivationSpec{ActivationKind::kSin, 0, 0}}) {
    double peak = 0;
    for (int i = -128; i <= 127; ++i) peak = std::max(peak, std::abs(activation_value(spec, i * in_lsb)));
    piece.activation.enabled = true;
    piece.activation.spec = spec;
    piece.activation.alpha = spec.kind == ActivationKind::kPRelu ? prelu_alpha : std::vector<double>{};
    piece.activation.out_step = peak / 127;
    EXPECT_NE(run_both(), pre) << spec.describe();
    const std::vector<int8_t> out = first_run();
    const double bound = allowed_error(spec, in_lsb, piece.activation.out_step, 18);
    double worst = 0;
    for (size_t i = 0; i < out.size(); ++i) {
      if (pre[i] == -128 || pre[i] == 127) continue;  // saturated: t2 unknown
      ActivationSpec channel_spec = spec;
      if (spec.kind == ActivationKind::kPRelu) channel_spec.alpha = prelu_alpha[i % kOutputs];
      const double want = activation_value(channel_spec, pre[i] * in_lsb) / piece.activation.out_step;
      worst = std::max(worst, std::abs(out[i] - std::clamp(want, -128.0, 127.0)));
    }
    EXPECT_LE(worst, bound) << spec.describe() << " on " << kind;
  }
}

TEST(DigitalActivation, NmpuChipEqualsExecutorAndFollowsTheFunction) {
  expect_chip_equals_executor_and_follows_f("core.digital_unit.kind=nmpu");
}

TEST(DigitalActivation, LdpuChipEqualsExecutorAndFollowsTheFunction) {
  expect_chip_equals_executor_and_follows_f("core.digital_unit.kind=ldpu_fp16");
}

}  // namespace
}  // namespace aimc
