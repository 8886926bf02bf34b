// The whole SystemC chip with one 256x256 piece on every core, all fed at once (a synthetic mapping built
// here): every core's MVM takes the closed form, they all run in the same window, and the chip's peak
// throughput, 64 x 2 x 256 x 256 operations per MVM window, reproduces the published 63.1 / 16.1 TOPS
// (REFERENCE A, 1 MAC = 2 OP) within 2 %.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "HwTestSupport.h"
#include "aimc/hw/Chip.h"
#include "aimc/hw/TraceRecorder.h"
#include "aimc/numerics/MvmTiming.h"

namespace aimc {
namespace {

// Every core holds piece `core` and runs MVM + digital unit on its (zero) input slot each sample.
Mapping every_core_busy(const ArchConfig& arch) {
  Mapping m;
  m.chip_cores = static_cast<int>(arch.chip.cores);
  MappedLayer layer;
  layer.name = "synthetic";
  layer.in_features = arch.core.tile.cols;
  layer.out_features = arch.core.tile.rows * arch.chip.cores;
  layer.in_step = 1.0 / 127;
  layer.out_step = 1.0 / 127;
  m.commands.assign(static_cast<size_t>(arch.chip.cores), {});
  for (int c = 0; c < arch.chip.cores; ++c) {
    layer.pieces.push_back(c);
    m.pieces.push_back(hwtest::piece(c, arch.core.tile.rows, arch.core.tile.cols));
    m.commands[static_cast<size_t>(c)] = {{CommandOp::kMvm, input_tag(c)},
                                          {CommandOp::kDigital, output_tag(c), kNoSlot}};
  }
  m.layers.push_back(layer);
  m.cores_used = m.chip_cores;
  m.controller_commands = m.commands;  // one controller per core, no barrier
  return m;
}

struct Window {
  double begin_ns = 1e300, end_ns = 0;
  int mvms = 0;
};

// Runs `samples` samples and returns the first MVM window over all cores (integration start to the end of
// the ADC conversion), checking every core's own MVM against the closed form.
Window run_chip(const ArchConfig& arch, uint64_t samples, double mvm_ns) {
  TraceRecorder trace;
  const Mapping mapping = every_core_busy(arch);
  Chip chip("chip", arch, mapping, 1);
  chip.program();
  chip.set_inference_time(1.0);
  hwtest::load_digital_units(chip, mapping);
  chip.run({}, samples);
  std::map<std::string, double> integrate_begin;
  Window w;
  for (const auto& s : trace.spans()) {
    const std::string& track = trace.track_name(s.track);
    const std::string core = track.substr(0, track.rfind('.'));
    if (s.name.rfind("integrate", 0) == 0 && !integrate_begin.count(core)) {
      integrate_begin[core] = s.begin_ns;
      w.begin_ns = std::min(w.begin_ns, s.begin_ns);
    }
    if (s.name.rfind("convert", 0) == 0 && integrate_begin.count(core) &&
        s.end_ns <= integrate_begin[core] + mvm_ns + 1e-6) {
      EXPECT_DOUBLE_EQ(s.end_ns - integrate_begin[core], mvm_ns) << core;
      w.end_ns = std::max(w.end_ns, s.end_ns);
      ++w.mvms;
    }
  }
  for (const auto& c : chip.cores())
    EXPECT_EQ(c->tile().stats().value("mvms"), static_cast<double>(samples)) << c->id();
  return w;
}

void check_peak(const ArchConfig& arch, double mvm_ns, double published_tops) {
  EXPECT_DOUBLE_EQ(MvmTiming::mvm_latency_ns(arch.core.tile), mvm_ns);
  const Window w = run_chip(arch, 1, mvm_ns);
  EXPECT_EQ(w.mvms, 64);
  EXPECT_DOUBLE_EQ(w.end_ns - w.begin_ns, mvm_ns);  // all 64 in the same window
  const double ops = 64.0 * 2.0 * 256.0 * 256.0;
  const double tops = ops / ((w.end_ns - w.begin_ns) * 1e-9) * 1e-12;
  const double closed_form = ops / (mvm_ns * 1e-9) * 1e-12;
  EXPECT_DOUBLE_EQ(tops, closed_form);
  EXPECT_NEAR(tops / published_tops, 1.0, 0.02) << tops << " TOPS";
  std::printf("peak %.2f TOPS (published %.1f), MVM %.0f ns\n", tops, published_tops, w.end_ns - w.begin_ns);
}

TEST(ChipPeak, HermesOnePhase63TopsAt133ns) {
  check_peak(hwtest::hermes(), 133.0, 63.1);
}

TEST(ChipPeak, HermesFourPhase16TopsAt520ns) {
  check_peak(hwtest::hermes({"core.dac.read_mode=four_phase"}), 520.0, 16.1);
}

TEST(ChipPeak, SustainedBatchKeepsEveryCoreInStep) {
  // Several samples back to back: every MVM still takes its closed form and every core does the same work
  // (the per-sample period adds the controller, the SRAM load and the digital unit, which the published
  // peak excludes).
  const ArchConfig arch = hwtest::hermes();
  const Window w = run_chip(arch, 4, 133.0);
  EXPECT_EQ(w.mvms, 64);
}

}  // namespace
}  // namespace aimc
