// The GDPU slice's LSTM and GRU cell steps (numerics/GdpuCell) against a double-precision reference with the
// exact sigmoid and tanh, over a sequence; and their bit-exactness properties.
#include "aimc/numerics/GdpuCell.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "aimc/base/Error.h"

namespace aimc {
namespace {

constexpr size_t kUnits = 64;         // a full slice
constexpr int kSteps = 32;            // timesteps
constexpr double kHStep = 1.0 / 127;  // h in [-1, 1] on the INT8 codes

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// Gate pre-activation codes of one timestep (random, fixed seed: test stimulus only).
std::vector<int8_t> random_gates(std::mt19937& gen) {
  std::uniform_int_distribution<int> code(-128, 127);
  std::vector<int8_t> q(kGdpuGatesPerUnit * kUnits);
  for (int8_t& v : q) v = static_cast<int8_t>(code(gen));
  return q;
}

struct Deviation {
  int max_code = 0;      // |output code - reference code|
  double max_state = 0;  // |state - reference state|
  double mean_h = 0;     // mean |h - h_ref| in real units
};

// Runs kSteps steps of `kind` on the slice model and on the double reference; `scales`: gate dequantisation.
Deviation run_sequence(GdpuCellKind kind, const std::array<double, kGdpuGatesPerUnit>& scales) {
  const GdpuBank bank = GdpuBank::from_real(scales, 1.0 / kHStep, "test");
  std::mt19937 gen(7);
  std::vector<Fp16> state(kUnits);
  std::vector<double> ref_state(kUnits, 0.0);
  std::vector<int8_t> out(kUnits);
  Deviation d;
  for (int t = 0; t < kSteps; ++t) {
    const std::vector<int8_t> q = random_gates(gen);
    gdpu_cell_step(kind, bank, q.data(), kUnits, state.data(), t == 0, out.data());
    for (size_t u = 0; u < kUnits; ++u) {
      const int8_t* g = q.data() + kGdpuGatesPerUnit * u;
      double x[kGdpuGatesPerUnit];
      for (int k = 0; k < kGdpuGatesPerUnit; ++k) x[k] = g[k] * bank.gate_scale[k].to_double();
      double h = 0;
      if (kind == GdpuCellKind::kLstm) {
        ref_state[u] = sigmoid(x[2]) * ref_state[u] + sigmoid(x[0]) * std::tanh(x[1]);
        h = sigmoid(x[3]) * std::tanh(ref_state[u]);
      } else {
        const double n = std::tanh(x[2] + sigmoid(x[0]) * x[3]);
        const double z = sigmoid(x[1]);
        h = (1 - z) * n + z * ref_state[u];
        ref_state[u] = h;
      }
      const long ref_code = std::lround(std::clamp(h / kHStep, -128.0, 127.0));
      d.max_code = std::max(d.max_code, static_cast<int>(std::labs(out[u] - ref_code)));
      d.max_state = std::max(d.max_state, std::fabs(state[u].to_double() - ref_state[u]));
      d.mean_h += std::fabs(out[u] * kHStep - h) / (kSteps * kUnits);
    }
  }
  std::printf("%s: max |code - ref| %d, max |state - ref| %.3e, mean |h - h_ref| %.3e\n",
              gdpu_cell_name(kind), d.max_code, d.max_state, d.mean_h);
  return d;
}

// Tolerances: each step adds the table's error (about 1e-3 per tanh or sigmoid, GdpuTanhTableTest) and a few
// FP16 roundings (2^-11 relative each) to the state; f < 1 (z < 1 for the GRU) contracts what came before,
// so the state error stays within a few 1e-3 (bound 1e-2). h then differs from the reference by well under
// one output step (1/127 = 7.9e-3), so an output code is off by at most 1 (rounding on the other side of a
// half step) and the mean error is below half a step (the rounding itself, 1/4 step on average, plus that).
TEST(GdpuCell, LstmFollowsTheDoubleReferenceOverASequence) {
  const Deviation d = run_sequence(GdpuCellKind::kLstm, {1.0 / 32, 1.0 / 32, 1.0 / 32, 1.0 / 32});
  EXPECT_LE(d.max_code, 1);
  EXPECT_LE(d.max_state, 1e-2);
  EXPECT_LE(d.mean_h, 0.5 * kHStep);
}

TEST(GdpuCell, GruFollowsTheDoubleReferenceOverASequence) {
  const Deviation d = run_sequence(GdpuCellKind::kGru, {1.0 / 32, 1.0 / 32, 1.0 / 48, 1.0 / 48});
  EXPECT_LE(d.max_code, 1);
  EXPECT_LE(d.max_state, 1e-2);
  EXPECT_LE(d.mean_h, 0.5 * kHStep);
}

TEST(GdpuCell, SameInputsGiveTheSameBits) {
  for (const GdpuCellKind kind : {GdpuCellKind::kLstm, GdpuCellKind::kGru}) {
    const GdpuBank bank = GdpuBank::from_real({0.03, 0.05, 0.02, 0.07}, 100.0, "test");
    std::mt19937 gen(11);
    std::vector<Fp16> s1(kUnits),
        s2(kUnits, Fp16::from_double(123.0));  // s2's stale state: `first` ignores it
    std::vector<int8_t> o1(kUnits), o2(kUnits);
    for (int t = 0; t < 4; ++t) {
      const std::vector<int8_t> q = random_gates(gen);
      gdpu_cell_step(kind, bank, q.data(), kUnits, s1.data(), t == 0, o1.data());
      gdpu_cell_step(kind, bank, q.data(), kUnits, s2.data(), t == 0, o2.data());
      EXPECT_EQ(o1, o2);
      for (size_t u = 0; u < kUnits; ++u) EXPECT_EQ(s1[u].bits(), s2[u].bits());
    }
  }
}

TEST(GdpuCell, KnownCornerCases) {
  const GdpuBank bank = GdpuBank::from_real({0.25, 0.25, 0.25, 0.25}, 127.0, "test");
  const GdpuTanhTable& table = GdpuTanhTable::standard();
  // Zero pre-activations from a zero state: i = f = o = 0.5 (exact), a = tanh(0) = 0, so c = +0 and h = 0.
  const int8_t zeros[4] = {0, 0, 0, 0};
  Fp16 c = Fp16::from_double(5.0);
  EXPECT_EQ(gdpu_lstm_unit(zeros, bank, c, true, table), 0);
  EXPECT_EQ(c.bits(), 0u);
  // GRU: r = z = 0.5, n = tanh(0) = 0, h' = fma(0.5, h - 0, 0) = h / 2 exactly.
  Fp16 h = Fp16::from_double(0.75);
  EXPECT_EQ(gdpu_gru_unit(zeros, bank, h, false, table), 48);  // 0.375 * 127 = 47.6
  EXPECT_EQ(h.to_double(), 0.375);
  // Saturated gates (127 * 0.25 = 31.75: bin 17): i = f = o = 1 and a = 1 exactly, so c' = c + 1; h =
  // tanh(c').
  const int8_t high[4] = {127, 127, 127, 127};
  Fp16 c2 = Fp16::from_double(1.0);
  const int8_t code = gdpu_lstm_unit(high, bank, c2, false, table);
  EXPECT_EQ(c2.to_double(), 2.0);
  EXPECT_EQ(code,
            static_cast<int8_t>(
                Fp16::mul(table.tanh(Fp16::from_double(2.0)), bank.out_scale).to_int_saturated(-128, 127)));
  // The output saturates at the INT8 range: h = 1 with an output scale of 200 steps per unit.
  const GdpuBank wide = GdpuBank::from_real({0.25, 0.25, 0.25, 0.25}, 200.0, "test");
  Fp16 c3 = Fp16::from_double(20.0);
  EXPECT_EQ(gdpu_lstm_unit(high, wide, c3, false, table), 127);
}

TEST(GdpuCell, ScalesOutsideFp16AreUserErrors) {
  EXPECT_THROW(GdpuBank::from_real({0.1, 0.1, 0.1, 0.1}, 1e6, "layer"), UserError);
  EXPECT_THROW(GdpuBank::from_real({0.1, -0.1, 0.1, 0.1}, 1.0, "layer"), UserError);
  EXPECT_THROW(GdpuBank::from_real({0.1, 0.1, 1e-7, 0.1}, 1.0, "layer"), UserError);
  EXPECT_NO_THROW(GdpuBank::from_real({0.1, 0.1, 0.1, 0.1}, 1.0, "layer"));
}

TEST(GdpuCell, ActivityCountsPerUnit) {
  const GdpuBank bank = GdpuBank::from_real({0.1, 0.1, 0.1, 0.1}, 1.0, "test");
  std::vector<int8_t> in(4 * 10), out(10);
  std::vector<Fp16> state(10);
  const GdpuActivity a =
      gdpu_cell_step(GdpuCellKind::kLstm, bank, in.data(), 10, state.data(), true, out.data());
  EXPECT_EQ(a.inputs, 40u);
  EXPECT_EQ(a.outputs, 10u);
  EXPECT_EQ(a.lut_lookups, 50u);
  EXPECT_EQ(a.fmas, 10 * gdpu_unit_activity(GdpuCellKind::kLstm).fmas);
  EXPECT_EQ(a.state_writes, 10u);
}

}  // namespace
}  // namespace aimc
