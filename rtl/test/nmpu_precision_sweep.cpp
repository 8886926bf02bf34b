// Precision of the NMPU at the bit widths synthesised by rtl/synth/compare_area.py, and of the FP16 LDPU,
// against the real-valued formula (unquantised coefficients, round half to even, INT8 saturation) on
// calibration-like random channels and counts. nmpu_precision_sweep [--values N] [--seed S]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aimc/base/Rng.h"
#include "aimc/numerics/LdpuFp16Model.h"
#include "aimc/numerics/NmpuModel.h"

namespace {

struct Formats {
  const char* name;
  aimc::NmpuParams params;
};

aimc::NmpuParams with_fractions(int gain, int offset, int corr, int scale, int bias, int acc, int side) {
  aimc::NmpuParams p;
  p.gain.frac_bits = gain;
  p.offset.frac_bits = offset;
  p.corrected.frac_bits = corr;
  p.scale.frac_bits = scale;
  p.bias.frac_bits = bias;
  p.accumulator.frac_bits = acc;
  p.side_scale.frac_bits = side;
  p.rounding = aimc::NmpuRounding::kHalfToEven;
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t n = 1000000, seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--values") n = std::strtoull(argv[i + 1], nullptr, 10);
    if (arg == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  // Same formats as rtl/synth/compare_area.py.
  const std::vector<Formats> sets = {{"narrow", with_fractions(10, 2, 1, 12, 4, 4, 6)},
                                     {"default", with_fractions(14, 4, 3, 16, 8, 8, 10)},
                                     {"wide", with_fractions(18, 8, 6, 20, 12, 12, 14)}};
  std::vector<aimc::NmpuModel> nmpus;
  nmpus.reserve(sets.size());
  for (const Formats& f : sets) nmpus.emplace_back(f.params);
  const aimc::LdpuFp16Model ldpu{aimc::LdpuFp16Params{}};
  std::vector<uint64_t> exact(sets.size() + 1, 0);
  std::vector<double> max_error(sets.size() + 1, 0.0), sum_sq(sets.size() + 1, 0.0);
  const aimc::CounterRng rng(seed, 0, aimc::RngPurpose::kStimulus, 600);
  for (uint64_t i = 0; i < n; ++i) {
    const auto w = rng.block(2 * i), u = rng.block(2 * i + 1);
    auto unit = [](uint32_t x) { return aimc::CounterRng::to_unit(x); };
    const double g = 0.8 + 0.4 * unit(w[0]), o = -64 + 128 * unit(w[1]);
    const double a = ((w[3] & 1) ? 1 : -1) * (1.0 / 256 + (1.0 / 8 - 1.0 / 256) * unit(w[2]));
    const double b = -40 + 80 * unit(u[0]), c = -2 + 4 * unit(u[1]);
    const uint32_t pos = u[2] & 0xFFF, neg = u[3] & 0xFFF;
    const int8_t side = static_cast<int8_t>(w[3] >> 8);
    const bool relu1 = (w[3] & 2) != 0, relu2 = (w[3] & 4) != 0, side_valid = (w[3] & 8) != 0;
    double t = ((static_cast<double>(pos) - neg) * g + o) * a + b;
    if (relu1) t = std::max(t, 0.0);
    if (side_valid) t += c * side;
    if (relu2) t = std::max(t, 0.0);
    const double ref = std::min(127.0, std::max(-128.0, std::nearbyint(t)));
    for (size_t k = 0; k <= sets.size(); ++k) {
      const int v =
          k < sets.size()
              ? nmpus[k].process(pos, neg, nmpus[k].quantize_channel(g, o, a, b, c, relu1, relu2), side,
                                 side_valid)
              : ldpu.process(pos, neg, ldpu.quantize_channel(g, o, a, b, c, relu1, relu2), side, side_valid);
      const double e = std::abs(v - ref);
      exact[k] += e == 0 ? 1 : 0;
      max_error[k] = std::max(max_error[k], e);
      sum_sq[k] += e * e;
    }
  }
  std::printf(
      "| digital unit | outputs equal to the real-valued result | RMS error (LSB) | max error (LSB) |\n");
  std::printf("|---|---:|---:|---:|\n");
  for (size_t k = 0; k <= sets.size(); ++k) {
    const std::string name = k < sets.size() ? std::string("NMPU ") + sets[k].name : "FP16 LDPU";
    std::printf("| %s | %.3f %% | %.4f | %g |\n", name.c_str(), 100.0 * static_cast<double>(exact[k]) / n,
                std::sqrt(sum_sq[k] / n), max_error[k]);
  }
  return 0;
}
