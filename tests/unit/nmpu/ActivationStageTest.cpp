// The digital units' activation stage (NmpuModel / LdpuFp16Model, ActivationTable): piecewise-linear
// functions exact up to the final rounding, smooth ones within stated bounds of the float function, the
// register encoding the DMA loads equal to configure(), the stage's pipeline cycles, and the user errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"
#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/isa/DigitalUnitImplFactory.h"
#include "aimc/numerics/ActivationStageError.h"
#include "aimc/numerics/ActivationTable.h"
#include "aimc/numerics/AnalogPresets.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/numerics/DigitalUnitImplLdpuFp16.h"
#include "aimc/numerics/DigitalUnitImplNmpu.h"
#include "aimc/numerics/LdpuFp16Model.h"
#include "aimc/numerics/NmpuModel.h"

namespace aimc {
namespace {

NmpuParams nmpu_with_stage(int bins = 18) {
  NmpuParams p;
  p.activation.enabled = true;
  p.activation.bins = bins;
  return p;
}

LdpuFp16Params ldpu_with_stage(int bins = 18) {
  LdpuFp16Params p;
  p.activation_enabled = true;
  p.activation_bins = bins;
  return p;
}

// The table stays near the function at its breakpoints and is linear in between; piecewise-linear functions
// are exact everywhere.
TEST(ActivationTable, MatchesTheFunctionAtBreakpointsAndPiecewiseLinearOnesEverywhere) {
  const double in_lsb = 1.0 / 16, out_step = 1.0 / 127;
  for (const ActivationSpec& spec : example_activations()) {
    const ActivationTable t = ActivationTable::build(spec, in_lsb, out_step, 18);
    if (is_piecewise_linear(spec.kind)) {
      for (double x = -128; x <= 127; x += 0.37)
        EXPECT_NEAR(t.evaluate(x), activation_value(spec, x * in_lsb) / out_step, 1e-9) << spec.describe();
      continue;
    }
    ASSERT_EQ(t.breakpoints.size(), 17u) << spec.describe();
    ASSERT_EQ(t.values.size(), 18u);
    for (double b : t.breakpoints) {
      // The minimax offset moves the line off f by at most the chord's error (h^2/8 max|f''|): cos with
      // h = 1 input unit = 16 steps has 127/8 output steps.
      EXPECT_NEAR(t.evaluate(b), activation_value(spec, b * in_lsb) / out_step, 127.0 / 8 + 1e-9)
          << spec.describe();
      EXPECT_GE(b, -128.0);
      EXPECT_LE(b, 127.0);
    }
    // Breakpoints inside the non-linear region: tanh's over [-4, 4] = [-64, 64] steps.
    if (spec.kind == ActivationKind::kTanh) {
      EXPECT_DOUBLE_EQ(t.breakpoints.front(), -64.0);
      EXPECT_DOUBLE_EQ(t.breakpoints.back(), 64.0);
    }
  }
}

// The NMPU's fixed-point stage is the table's real arithmetic rounded: within 1 LSB of the rounded table
// output on every accumulator value (the slopes' and values' rounding is far below 1/2 LSB).
TEST(NmpuActivation, FixedPointStageFollowsItsRealTable) {
  const NmpuParams p = nmpu_with_stage();
  const NmpuModel model(p);
  for (const ActivationSpec& spec : example_activations()) {
    double in_lsb = 0, out_step = 0;
    activation_error_steps(spec, &in_lsb, &out_step);
    const ActivationTable t = ActivationTable::build(spec, in_lsb, out_step, 18);
    const NmpuActivation act = model.quantize_activation(t);
    NmpuChannel ch;
    ch.act_slope_neg = model.quantize_activation_slope(t.slope_neg);
    int off_by_one = 0;
    for (int64_t t2 = -128 * 256; t2 <= 127 * 256; t2 += 7) {
      const double want = std::clamp(t.evaluate(t2 / 256.0), -128.0, 127.0);
      const auto got = static_cast<double>(model.activate(t2, ch, act));
      EXPECT_LE(std::abs(got - want), 0.5 + 1.0 / 16) << spec.describe() << " t2 = " << t2;
      off_by_one += std::abs(got - std::round(want)) > 0 ? 1 : 0;
    }
    EXPECT_LT(off_by_one, 100) << spec.describe();
  }
}

// Error against the float function over the whole INT8 pre-activation range, in output LSBs. Stated bounds:
// the final rounding (0.5) plus, for a piecewise-linear function, the slope's rounding over 128 steps
// (128 x 2^-15) and the value's (2^-9); for a smooth one, the chord's interpolation error h^2 / 8 max|f''|
// (h the bin width; the table's minimax offset only lowers it) and 0.02 for the coefficients' rounding.
// FP16 (LDPU) adds up to 0.15: half an FP16 ulp at 64..128 (1/32) in each of the coefficients, the
// subtraction and the FMA.
double stated_bound(const ActivationSpec& spec, double in_lsb, double out_step, int bins) {
  if (is_piecewise_linear(spec.kind)) return 0.5 + 128.0 / 32768 + 1.0 / 512;
  const ActivationTable t = ActivationTable::build(spec, in_lsb, out_step, bins);
  const double h = t.breakpoints[1] - t.breakpoints[0];
  auto f = [&](double x) { return activation_value(spec, x * in_lsb) / out_step; };
  double f2 = 0;  // max |f''| inside the breakpoints, by central differences away from HardSwish's kinks
  for (double x = t.breakpoints.front() + 0.01; x < t.breakpoints.back() - 0.01; x += 0.013)
    f2 = std::max(f2, std::abs(f(x + 0.01) - 2 * f(x) + f(x - 0.01)) / 1e-4);
  return 0.5 + h * h / 8 * f2 + 0.02;
}

TEST(NmpuActivation, ErrorAgainstFloatWithinStatedBounds) {
  for (const ActivationSpec& spec : example_activations()) {
    double in_lsb = 0, out_step = 0;
    activation_error_steps(spec, &in_lsb, &out_step);
    const ActivationStageError e = nmpu_activation_error(NmpuParams{}, spec, in_lsb, out_step);
    EXPECT_EQ(e.values, 255 * 256 + 1);
    const double bound = stated_bound(spec, in_lsb, out_step, 18);
    EXPECT_LE(e.max_lsb, bound) << spec.describe();
    EXPECT_LE(e.mean_lsb, std::max(0.5, bound / 2)) << spec.describe();
    EXPECT_GE(e.max_lsb, 0.49) << spec.describe();  // the final rounding is always there
  }
}

TEST(LdpuActivation, ErrorAgainstFloatWithinStatedBounds) {
  for (const ActivationSpec& spec : example_activations()) {
    double in_lsb = 0, out_step = 0;
    activation_error_steps(spec, &in_lsb, &out_step);
    const ActivationStageError e = ldpu_activation_error(LdpuFp16Params{}, spec, in_lsb, out_step);
    const double bound = stated_bound(spec, in_lsb, out_step, 18) + 0.15;
    EXPECT_LE(e.max_lsb, bound) << spec.describe();
    EXPECT_LE(e.mean_lsb, std::max(0.5, bound / 2)) << spec.describe();
  }
}

// More bins, smaller error: the interpolation error of a smooth function falls with the square of the bin
// width (at least 2x from 10 to 34 bins beyond the 0.5 LSB of the final rounding).
TEST(NmpuActivation, MoreBinsReduceTheInterpolationError) {
  for (ActivationKind kind : {ActivationKind::kTanh, ActivationKind::kGelu, ActivationKind::kSin}) {
    const ActivationSpec spec{kind, 0, 0};
    double in_lsb = 0, out_step = 0;
    activation_error_steps(spec, &in_lsb, &out_step);
    const double coarse = nmpu_activation_error(nmpu_with_stage(10), spec, in_lsb, out_step).max_lsb;
    const double fine = nmpu_activation_error(nmpu_with_stage(34), spec, in_lsb, out_step).max_lsb;
    EXPECT_GT(coarse - 0.5, 2 * (fine - 0.5)) << spec.describe();
  }
}

// process() applies the stage to t2 after the side add in place of relu2.
TEST(NmpuActivation, ProcessAppliesTheStageAfterTheSideAdd) {
  const NmpuModel model(nmpu_with_stage());
  const ActivationSpec spec{ActivationKind::kTanh, 0, 0};
  const NmpuActivation act = model.quantize_activation(ActivationTable::build(spec, 1.0 / 16, 1.0 / 127, 18));
  const NmpuChannel ch = model.quantize_channel(1.0, 0.0, 0.05, -3.0, 0.5, false, true);
  CounterRng rng(3, 0, RngPurpose::kStimulus, 1);
  int negative = 0;
  for (uint64_t i = 0; i < 500; ++i) {
    const auto pos = static_cast<uint32_t>(rng.uniform(3 * i) * 4096) & 4095u;
    const auto neg = static_cast<uint32_t>(rng.uniform(3 * i + 1) * 4096) & 4095u;
    const auto side = static_cast<int8_t>(static_cast<int>(rng.uniform(3 * i + 2) * 256) - 128);
    const NmpuModel::Trace t = model.trace(pos, neg, ch, act, side, true);
    EXPECT_EQ(t.output, model.activate(t.side_added, ch, act));
    negative += t.output < 0 ? 1 : 0;  // relu2 is replaced: tanh's negative half comes through
  }
  EXPECT_GT(negative, 50);
}

// The stage's pipeline cycles: ceil(n / lanes) - 1 + pipeline_depth + activation.pipeline_depth.
TEST(ActivationStage, LatencyIsTheClosedForm) {
  NmpuParams p = nmpu_with_stage();
  p.activation.pipeline_depth = 3;
  for (size_t n : {1, 8, 9, 256}) EXPECT_EQ(NmpuModel(p).latency_cycles(n), (n + 7) / 8 - 1 + 4 + 3) << n;
  EXPECT_EQ(NmpuModel(NmpuParams{}).latency_cycles(256), 32u - 1 + 4);
  EXPECT_EQ(LdpuFp16Model(ldpu_with_stage()).latency_cycles(256), 256u - 1 + 5 + 2);
  EXPECT_EQ(LdpuFp16Model(LdpuFp16Params{}).latency_cycles(256), 256u - 1 + 5);
}

std::vector<DigitalChannelCoefficients> channels_with(const ActivationSpec& spec, size_t n, uint64_t seed) {
  CounterRng rng(seed, 0, RngPurpose::kStimulus, 1);
  std::vector<DigitalChannelCoefficients> c(n);
  for (size_t j = 0; j < n; ++j) {
    c[j].gain = 0.9 + 0.2 * rng.uniform(j * 8 + 0);
    c[j].offset = 8.0 * (rng.uniform(j * 8 + 1) - 0.5);
    c[j].scale = 0.02 + 0.05 * rng.uniform(j * 8 + 2);
    c[j].bias = 40.0 * (rng.uniform(j * 8 + 3) - 0.5);
    c[j].side_scale = 0.5 + rng.uniform(j * 8 + 4);
    c[j].relu2 = true;  // replaced by the stage
    c[j].activation.enabled = true;
    c[j].activation.spec = spec;
    if (spec.kind == ActivationKind::kPRelu) c[j].activation.spec.alpha = rng.uniform(j * 8 + 5) - 0.5;
    c[j].activation.in_lsb = 1.0 / 16;
    c[j].activation.out_step = 8.0 / 127;
  }
  return c;
}

// encode -> write every word (garbage first, scrambled order) -> process equals configure -> process, for a
// table function and per-channel PReLU; the words are the shared table then the channels'.
template <typename Impl, typename Params>
void expect_encode_load_is_configure(const Params& params, uint32_t shared, uint32_t per_channel) {
  for (const ActivationSpec& spec :
       {ActivationSpec{ActivationKind::kGelu, 0, 0}, ActivationSpec{ActivationKind::kPRelu, 0, 0}}) {
    const auto coeff = channels_with(spec, 256, 21);
    Impl direct(params), loaded(params);
    direct.configure(coeff);
    const std::vector<uint32_t> words = loaded.encode(coeff);
    ASSERT_EQ(loaded.words_per_channel(), per_channel);
    ASSERT_EQ(loaded.config_words(256), shared + 256 * per_channel);
    ASSERT_EQ(words.size(), loaded.config_words(256));
    for (uint32_t i = 0; i < words.size(); ++i) loaded.write_register(i, ~words[i]);
    for (size_t k = 0; k < words.size(); ++k) {
      const auto i = static_cast<uint32_t>((k * 613) % words.size());
      loaded.write_register(i, words[i]);
    }
    CounterRng rng(22, 0, RngPurpose::kStimulus, 2);
    std::vector<uint32_t> pos(256), neg(256);
    std::vector<int8_t> side(256), got(256), want(256);
    for (size_t i = 0; i < 256; ++i) {
      pos[i] = static_cast<uint32_t>(rng.uniform(3 * i) * 4096) & 4095u;
      neg[i] = static_cast<uint32_t>(rng.uniform(3 * i + 1) * 4096) & 4095u;
      side[i] = static_cast<int8_t>(static_cast<int>(rng.uniform(3 * i + 2) * 256) - 128);
    }
    EXPECT_EQ(loaded.process(pos.data(), neg.data(), 256, side.data(), got.data()),
              direct.process(pos.data(), neg.data(), 256, side.data(), want.data()));
    EXPECT_EQ(got, want) << spec.describe();
    int negative = 0;
    for (int8_t v : got) negative += v < 0 ? 1 : 0;
    EXPECT_GT(negative, 10) << spec.describe();  // the stage, not relu2, made these values
  }
}

TEST(ActivationStage, NmpuRegisterWordsLoadBitIdenticallyToConfigure) {
  expect_encode_load_is_configure<DigitalUnitImplNmpu>(nmpu_with_stage(), 3 * 18 + 4, 7);
  // Without the stage the registers are exactly the published unit's.
  EXPECT_EQ(DigitalUnitImplNmpu(NmpuParams{}).config_words(256), 256u * 6);
}

TEST(ActivationStage, LdpuRegisterWordsLoadBitIdenticallyToConfigure) {
  expect_encode_load_is_configure<DigitalUnitImplLdpuFp16>(ldpu_with_stage(), 2 * 18 + 2, 4);
  EXPECT_EQ(DigitalUnitImplLdpuFp16(LdpuFp16Params{}).config_words(256), 256u * 3);
}

std::string key_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.key() + ": " + e.reason();
  }
  return "";
}

// A coefficient that does not fit its format names the coefficient, its format and the arch key; an
// activation on a unit without the stage names the key that adds it.
TEST(ActivationStage, UserErrorsNameTheCoefficientFormatAndKey) {
  auto coeff = channels_with({ActivationKind::kTanh, 0, 0}, 4, 5);
  for (auto& c : coeff) c.activation.in_lsb = 1.0, c.activation.out_step = 1.0 / 127;  // slope 127
  DigitalUnitImplNmpu nmpu(nmpu_with_stage());
  const std::string slope = key_of([&] { nmpu.configure(coeff); });
  EXPECT_NE(slope.find("core.digital_unit.activation.format.slope"), std::string::npos) << slope;
  EXPECT_NE(slope.find("activation slope"), std::string::npos) << slope;
  EXPECT_NE(slope.find("Q6.14"), std::string::npos) << slope;
  for (auto& c : coeff) c.activation.in_lsb = 1.0 / 16, c.activation.out_step = 1e-3;  // values 1000 steps
  const std::string value = key_of([&] { (void)nmpu.encode(coeff); });
  EXPECT_NE(value.find("core.digital_unit.activation.format.value"), std::string::npos) << value;
  DigitalUnitImplNmpu without(NmpuParams{});
  const std::string stage = key_of([&] { without.configure(coeff); });
  EXPECT_NE(stage.find("core.digital_unit.activation.enabled"), std::string::npos) << stage;
  EXPECT_NE(stage.find("tanh"), std::string::npos) << stage;
  DigitalUnitImplLdpuFp16 ldpu(ldpu_with_stage());
  for (auto& c : coeff) c.activation.out_step = 1e-8;
  EXPECT_THROW(ldpu.configure(coeff), UserError);  // beyond FP16's 65504
}

// piece_channel_coefficients passes a piece's activation to every channel of depthwise and affine pieces as
// of crossbar pieces (those: tests/unit/sim/DigitalActivationTest.cpp): the pre-activation step is the
// piece's out_step, PReLU's slope the channel's own.
TEST(ActivationStage, EveryKindOfPieceCarriesItsActivation) {
  const CrossbarArray array(AnalogPresets::hermes_like(), 1, 0);
  Mapping m;
  m.layers.resize(1);
  m.layers[0].in_step = 0.02;
  CrossbarPiece p;
  p.out_count = 3;
  p.out_step = 0.05;
  p.bias_lsb = Eigen::VectorXf::Zero(3);
  p.activation.enabled = true;
  p.activation.spec = {ActivationKind::kPRelu, 0, 0};
  p.activation.alpha = {0.1, 0.2, 0.3};
  p.activation.out_step = 0.04;
  CrossbarPiece affine = p, depthwise = p;
  affine.affine = true;
  affine.affine_scale = Eigen::VectorXd::Constant(3, 0.5);
  depthwise.depthwise.enabled = true;
  depthwise.depthwise.weight_step = {0.01, 0.01, 0.01};
  depthwise.depthwise.shift = {0, 0, 0};
  m.pieces = {affine, depthwise};
  for (size_t piece = 0; piece < m.pieces.size(); ++piece) {
    const auto channels = piece_channel_coefficients(m, piece, array);
    ASSERT_EQ(channels.size(), 3u);
    for (size_t j = 0; j < 3; ++j) {
      EXPECT_TRUE(channels[j].activation.enabled) << piece;
      EXPECT_EQ(channels[j].activation.spec.kind, ActivationKind::kPRelu);
      EXPECT_DOUBLE_EQ(channels[j].activation.spec.alpha, 0.1 * static_cast<double>(j + 1));
      EXPECT_DOUBLE_EQ(channels[j].activation.in_lsb, 0.05);
      EXPECT_DOUBLE_EQ(channels[j].activation.out_step, 0.04);
    }
  }
  m.pieces[0].activation.enabled = false;
  for (const auto& c : piece_channel_coefficients(m, 0, array)) EXPECT_FALSE(c.activation.enabled);
}

// `aimcsim activations --json`: every function at the arch's 18 bins and the sizes asked for, the same
// figures as the library's measurement.
TEST(ActivationStage, CommandReportsEachFunctionsErrorAtEachTableSize) {
  int status = -1;
  const std::string out = aimc_test::run_cli("activations arch/hermes.yaml --bins 10 --json", &status);
  ASSERT_EQ(status, 0) << out;
  const nlohmann::json r = nlohmann::json::parse(out);
  ASSERT_EQ(r["rows"].size(), 2 * example_activations().size());
  for (const auto& row : r["rows"]) {
    if (row["function"] != "tanh") continue;
    double in_lsb = 0, out_step = 0;
    activation_error_steps({ActivationKind::kTanh, 0, 0}, &in_lsb, &out_step);
    const int bins = row["bins"].get<int>();
    EXPECT_DOUBLE_EQ(
        row["nmpu"]["max_lsb"].get<double>(),
        nmpu_activation_error(nmpu_with_stage(bins), {ActivationKind::kTanh, 0, 0}, in_lsb, out_step)
            .max_lsb);
  }
  (void)aimc_test::run_cli("activations arch/hermes.yaml --bins 2", &status);
  EXPECT_NE(status, 0);  // fewer than 3 bins is refused
}

}  // namespace
}  // namespace aimc
