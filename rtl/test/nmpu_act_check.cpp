// Checks the Verilated rtl/nmpu/nmpu_act_stage.sv against aimc::NmpuModel::activate, one new value every
// clock, comparing every output bit two cycles later (NmpuActivationParams::pipeline_depth). Stimulus: tables
// and lines built from every activation function (ActivationTable, random steps), and raw random register
// values of the stage's formats; t2 random over the accumulator format, half of it within the INT8 range.
// nmpu_act_check [--vectors N] [--seed S].
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

#include "Vnmpu_act_stage.h"
#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/ActivationStageError.h"
#include "aimc/numerics/NmpuFixedPoint.h"
#include "aimc/numerics/NmpuModel.h"
#include "verilated.h"

namespace {

// Writes `width` bits of `value` at bit `offset` of a Verilated wide port.
template <typename Wide>
void set_bits(Wide& port, int offset, int width, int64_t value) {
  for (int b = 0; b < width; ++b) {
    const int bit = offset + b;
    const uint32_t mask = 1u << (bit % 32);
    if ((value >> b) & 1)
      port[bit / 32] |= mask;
    else
      port[bit / 32] &= ~mask;
  }
}

int64_t random_in(uint32_t u, int width) {  // a random two's-complement value of `width` bits
  const int64_t span = int64_t{1} << width;
  return static_cast<int64_t>(u % static_cast<uint64_t>(span)) - span / 2;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t vectors = 200000;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--vectors") vectors = std::strtoull(argv[i + 1], nullptr, 10);
    if (arg == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  aimc::NmpuParams params;
  params.activation.enabled = true;
  const aimc::NmpuModel model(params);
  const aimc::NmpuActivationParams& a = params.activation;
  const int bins = a.bins;
  const std::vector<aimc::ActivationSpec> functions = aimc::example_activations();
  VerilatedContext context;
  Vnmpu_act_stage dut(&context, "nmpu_act_stage");
  dut.clk_i = 0;
  dut.en_i = 1;
  dut.eval();
  const aimc::CounterRng rng(seed, 0, aimc::RngPurpose::kStimulus, 600);
  struct Pending {
    uint64_t index;
    int64_t t2;
    int expected;
    std::string what;
  };
  std::deque<Pending> pending;
  uint64_t errors = 0, checked = 0, built = 0;
  const int depth = a.pipeline_depth;
  for (uint64_t i = 0; i < vectors + static_cast<uint64_t>(depth); ++i) {
    if (i < vectors) {
      const auto w = rng.block(2 * i);
      const auto u = rng.block(2 * i + 1);
      aimc::NmpuActivation act;
      aimc::NmpuChannel ch;
      std::string what = "raw";
      if (w[3] & 1) {
        // A real table or line: a function with random steps (skipped if a coefficient does not fit).
        const aimc::ActivationSpec& spec = functions[u[0] % functions.size()];
        const double in_lsb = std::ldexp(1.0, -6 + static_cast<int>(u[1] % 6));
        double peak = 0;
        for (int x = -128; x <= 127; ++x)
          peak = std::max(peak, std::abs(aimc::activation_value(spec, x * in_lsb)));
        const double out_step = peak / (32 + u[2] % 96);
        try {
          const aimc::ActivationTable t = aimc::ActivationTable::build(spec, in_lsb, out_step, bins);
          act = model.quantize_activation(t);
          ch.act_slope_neg = model.quantize_activation_slope(t.slope_neg);
          what = spec.describe();
          ++built;
        } catch (const aimc::UserError&) {
          act = aimc::NmpuActivation{};
        }
      }
      if (!act.enabled) {
        act.enabled = true;
        act.table = (w[3] & 2) != 0;
        act.slope_pos = static_cast<int32_t>(random_in(u[0], a.slope.width()));
        ch.act_slope_neg = static_cast<int32_t>(random_in(u[1], a.slope.width()));
        act.intercept = static_cast<int32_t>(random_in(u[2], a.value.width()));
        const auto x = static_cast<int32_t>(random_in(u[3], a.value.width()));
        const auto y = static_cast<int32_t>(random_in(w[2], a.value.width()));
        act.lo = std::min(x, y), act.hi = std::max(x, y);
        // Sorted breakpoints (the hardware's table is sorted); random values and slopes.
        aimc::CounterRng table_rng(seed, i, aimc::RngPurpose::kStimulus, 601);
        int64_t b = random_in(table_rng.block(0)[0], a.breakpoint.width() - 1);
        act.breakpoints.clear(), act.values.clear(), act.slopes.clear();
        for (int k = 0; k < bins; ++k) {
          const auto r = table_rng.block(static_cast<uint64_t>(k) + 1);
          if (k + 1 < bins) {
            act.breakpoints.push_back(static_cast<int32_t>(
                std::min<int64_t>(b, aimc::NmpuFixedPoint::max_signed(a.breakpoint.width()))));
            b += r[0] % 8192;
          }
          act.values.push_back(static_cast<int32_t>(random_in(r[1], a.value.width())));
          act.slopes.push_back(static_cast<int32_t>(random_in(r[2], a.slope.width())));
        }
      }
      if (act.breakpoints.empty()) {  // a line: the table registers hold zeros
        act.breakpoints.assign(static_cast<size_t>(bins - 1), 0);
        act.values.assign(static_cast<size_t>(bins), 0);
        act.slopes.assign(static_cast<size_t>(bins), 0);
      }
      const int64_t t2 = (w[3] & 4) ? random_in(w[0], params.accumulator.width())
                                    : random_in(w[0], params.output_bits + params.accumulator.frac_bits);
      dut.t2_i = static_cast<uint32_t>(t2) & ((1u << params.accumulator.width()) - 1);
      dut.table_i = act.table;
      dut.slope_pos_i = static_cast<uint32_t>(act.slope_pos) & ((1u << a.slope.width()) - 1);
      dut.slope_neg_i = static_cast<uint32_t>(ch.act_slope_neg) & ((1u << a.slope.width()) - 1);
      dut.intercept_i = static_cast<uint32_t>(act.intercept) & ((1u << a.value.width()) - 1);
      dut.lo_i = static_cast<uint32_t>(act.lo) & ((1u << a.value.width()) - 1);
      dut.hi_i = static_cast<uint32_t>(act.hi) & ((1u << a.value.width()) - 1);
      for (int k = 0; k < bins; ++k) {
        if (k + 1 < bins)
          set_bits(dut.breakpoints_i, k * a.breakpoint.width(), a.breakpoint.width(), act.breakpoints[k]);
        set_bits(dut.values_i, k * a.value.width(), a.value.width(), act.values[k]);
        set_bits(dut.slopes_i, k * a.slope.width(), a.slope.width(), act.slopes[k]);
      }
      pending.push_back({i, t2, static_cast<int>(model.activate(t2, ch, act)), what});
    }
    dut.clk_i = 1;
    dut.eval();
    dut.clk_i = 0;
    dut.eval();
    if (i + 1 >= static_cast<uint64_t>(depth) && !pending.empty()) {
      const Pending p = pending.front();
      pending.pop_front();
      ++checked;
      const int observed = static_cast<int8_t>(dut.out_o);
      if (observed != p.expected && ++errors <= 10)
        std::printf("ACT MISMATCH value %llu (%s, t2 %lld): expected %d observed %d\n",
                    static_cast<unsigned long long>(p.index), p.what.c_str(), static_cast<long long>(p.t2),
                    p.expected, observed);
    }
  }
  dut.final();
  const bool pass = errors == 0 && checked == vectors && built > vectors / 4;
  std::printf("nmpu_act_stage: %llu values checked (%llu from function tables), %llu mismatches: %s\n",
              static_cast<unsigned long long>(checked), static_cast<unsigned long long>(built),
              static_cast<unsigned long long>(errors), pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
