// Tile and ADC trade-offs (issue 8, item 5): over ADC type (CCO, SAR with 2 energy models, flash) x bits 4-10
// x columns per ADC 1-8 x crossbar 128-1024, the figures move the way the models say they must: more ADC bits
// are never cheaper (energy per MVM, ADC area), more multiplexing is never faster (MVM latency) and never
// needs more ADC area.
#include <gtest/gtest.h>
#include "aimc/base/Units.h"

#include <string>

#include "aimc/config/ArchConfig.h"
#include "aimc/power/AdcCostModel.h"
#include "aimc/power/PeakFigures.h"

namespace {

struct Point {
  double latency_ns, energy_j, adc_area_mm2, mvm_area_mm2;
};

Point evaluate(const std::string& kind, const std::string& sar_model, int bits, int cpa, int n) {
  aimc::ConfigSource o;
  o.apply_override("core.adc.kind=" + kind, "test");
  // Only the keys the kind reads (a key the kind ignores is an error): the resolution of a CCO is its
  // counter.
  if (kind == "sar") o.apply_override("power.sar_model=" + sar_model, "test");
  if (kind != "cco") o.apply_override("core.adc.bits=" + std::to_string(bits), "test");
  o.apply_override("core.adc.counter_bits=" + std::to_string(bits), "test");
  o.apply_override("core.adc.columns_per_adc=" + std::to_string(cpa), "test");
  o.apply_override("core.adc.count=" + std::to_string((n + cpa - 1) / cpa), "test");
  o.apply_override("core.crossbar.rows=" + std::to_string(n), "test");
  o.apply_override("core.crossbar.cols=" + std::to_string(n), "test");
  const aimc::ArchConfig a = aimc::load_arch("arch/hermes_core.yaml", o);
  const aimc::PeakFigures f = aimc::peak_figures(a, a.core.tile.dac.read_mode);
  double adc_area = 0;
  for (const auto& r : aimc::area_breakdown(a))
    if (r.component == "ADCs") adc_area = r.area_mm2;
  return {f.mvm_latency_ns, f.energy_per_mvm_j, adc_area, aimc::mvm_area_mm2(aimc::area_breakdown(a))};
}

struct Kind {
  const char* kind;
  const char* sar_model;
};
const Kind kKinds[] = {{"cco", "neurosim"}, {"sar", "neurosim"}, {"sar", "walden"}, {"flash", "neurosim"}};
const int kSizes[] = {128, 256, 512, 1024};

TEST(Tradeoff, MoreAdcBitsAreNeverCheaper) {
  int checked = 0;
  for (const auto& k : kKinds)
    for (int n : kSizes)
      for (int cpa = 1; cpa <= 8; ++cpa) {
        Point prev = evaluate(k.kind, k.sar_model, 4, cpa, n);
        for (int bits = 5; bits <= 10; ++bits) {
          const Point p = evaluate(k.kind, k.sar_model, bits, cpa, n);
          const std::string at = std::string(k.kind) + "/" + k.sar_model + " bits " + std::to_string(bits) +
                                 " cpa " + std::to_string(cpa) + " n " + std::to_string(n);
          EXPECT_GT(p.energy_j, prev.energy_j) << at;  // SAR/flash: 2^bits steps; CCO: more counter bits
          EXPECT_GT(p.adc_area_mm2, prev.adc_area_mm2) << at;
          EXPECT_GE(p.latency_ns, prev.latency_ns) << at;
          prev = p;
          ++checked;
        }
      }
  EXPECT_EQ(checked, 4 * 4 * 8 * 6);
}

TEST(Tradeoff, MoreMuxingIsNeverFaster) {
  for (const auto& k : kKinds)
    for (int n : kSizes)
      for (int bits = 4; bits <= 10; ++bits) {
        Point prev = evaluate(k.kind, k.sar_model, bits, 1, n);
        for (int cpa = 2; cpa <= 8; ++cpa) {
          const Point p = evaluate(k.kind, k.sar_model, bits, cpa, n);
          const std::string at = std::string(k.kind) + " bits " + std::to_string(bits) + " cpa " +
                                 std::to_string(cpa) + " n " + std::to_string(n);
          EXPECT_GT(p.latency_ns, prev.latency_ns) << at;
          EXPECT_LE(p.adc_area_mm2, prev.adc_area_mm2) << at;  // fewer ADCs
          prev = p;
        }
      }
}

// A bigger crossbar amortises the same per-MVM latency over more MACs: more TOPS, and the array part of the
// MVM area grows with the cells.
TEST(Tradeoff, BiggerCrossbarsGrowAreaAndEnergy) {
  for (const auto& k : kKinds) {
    Point prev = evaluate(k.kind, k.sar_model, 8, 1, 128);
    for (int n : {256, 512, 1024}) {
      const Point p = evaluate(k.kind, k.sar_model, 8, 1, n);
      EXPECT_GT(p.mvm_area_mm2, prev.mvm_area_mm2);
      EXPECT_GT(p.energy_j, prev.energy_j);
      prev = p;
    }
  }
}

}  // namespace
