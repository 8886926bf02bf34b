// The crossbar tile's read-ahead (host speed only): the digits CNN on three chips in one kernel, run in turn,
// with the tiles reading a Conv sample's pixels in batches of 64 (the default), of 5 (batches that do not
// divide a map) and one by one. Outputs, per-sample latencies and every stat of the module tree must be
// equal, and the batched chips must really have served MVMs from their batches.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "HwTestSupport.h"
#include "aimc/hw/StatsWalker.h"
#include "aimc/sim/Workload.h"

namespace aimc {
namespace {

constexpr int64_t kSamples = 6;

// The digits CNN prepared as `aimcsim run` prepares it (steps calibrated on the batch): the first kSamples
// test images as INT8 codes in the chip's HWC layout.
Workload digits_cnn(const ArchConfig& arch) {
  RunConfig::Workload files;
  files.model = "models/digits_cnn.onnx";
  files.inputs = "traces/digits_test_x_nchw.npy";
  files.batch = kSamples;
  files.calibration_samples = kSamples;
  return prepare_workload(arch, files, "TileReadAheadTest");
}

// Advances the kernel to the next whole microsecond (a common multiple of the 1 GHz and 400 MHz clocks), so
// that each chip's run starts with the same clock phases as the others'.
void start_on_a_microsecond() {
  const int64_t now_ps = hwtest::ps(hwtest::ns_of(sc_core::sc_time_stamp()));
  const int64_t next_ps = (now_ps + 999999) / 1000000 * 1000000;
  if (next_ps > now_ps)
    sc_core::sc_start(sc_core::sc_time(static_cast<double>(next_ps - now_ps), sc_core::SC_PS));
}

std::vector<int64_t> latencies_ps(const ChipRun& run) {
  std::vector<int64_t> ps;
  for (double ns : run.sample_latency_ns) ps.push_back(hwtest::ps(ns));
  return ps;
}

TEST(TileReadAhead, SameOutputsLatenciesAndStatsWithBatchesOf64And5AndOff) {
  const ArchConfig arch = hwtest::hermes();
  const Workload w = digits_cnn(arch);
  Chip ahead64("ahead64", arch, w.mapping, 9), ahead5("ahead5", arch, w.mapping, 9),
      alone("alone", arch, w.mapping, 9);
  const std::vector<std::pair<Chip*, int>> chips = {{&ahead64, 64}, {&ahead5, 5}, {&alone, 1}};
  for (const auto& [chip, k] : chips) {
    chip->program();
    for (const auto& core : chip->cores()) {
      EXPECT_EQ(core->tile().read_ahead(), 64);  // the default
      core->tile().set_read_ahead(k);
    }
  }
  // Two inference times: the second changes every tile's read (drift) and must drop the batches.
  for (double t_s : {3600.0, 86400.0 * 365}) {
    std::vector<ChipRun> runs;
    for (const auto& [chip, k] : chips) {
      chip->set_inference_time(t_s);
      start_on_a_microsecond();
      runs.push_back(chip->run(w.codes, kSamples));
    }
    ASSERT_EQ(runs[2].outputs.size(), static_cast<size_t>(kSamples * w.mapping.output_features));
    int nonzero = 0;
    for (int8_t v : runs[2].outputs) nonzero += v != 0 ? 1 : 0;
    EXPECT_GT(nonzero, kSamples);  // real logits, not an idle chip's zeros
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(runs[i].outputs, runs[2].outputs) << "t = " << t_s << " s, chip " << i;
      EXPECT_EQ(latencies_ps(runs[i]), latencies_ps(runs[2])) << "t = " << t_s << " s, chip " << i;
      EXPECT_EQ(hwtest::ps(runs[i].end_ns - runs[i].start_ns), hwtest::ps(runs[2].end_ns - runs[2].start_ns));
    }
  }
  uint64_t hits64 = 0, hits5 = 0, hits_alone = 0;
  for (size_t c = 0; c < alone.cores().size(); ++c) {
    hits64 += ahead64.cores()[c]->tile().read_ahead_hits();
    hits5 += ahead5.cores()[c]->tile().read_ahead_hits();
    hits_alone += alone.cores()[c]->tile().read_ahead_hits();
  }
  EXPECT_GT(hits64, 0u);
  EXPECT_GT(hits5, 0u);
  EXPECT_EQ(hits_alone, 0u);
  // Every stat of every block (tile mvms, busy time, PWM LSBs, device reads, SRAM bytes, waits, ...), but
  // the controllers' configuration phases: they come before any MVM and depend on where in the kernel's
  // time a chip's run starts (the third chip's differs from the first two's whichever reads ahead).
  nlohmann::json stats = collect_stats();
  for (const char* chip : {"ahead64", "ahead5", "alone"})
    for (auto& [name, block] : stats[chip].items())
      if (block.contains("controller")) {
        block["controller"]["stats"].erase("configure_time");
        block["controller"]["stats"].erase("last_configure_time");
      }
  ASSERT_TRUE(stats.contains("alone"));
  EXPECT_GT(alone.cores()[0]->tile().stats().value("mvms"), 0.0);
  // (An empty JSON patch from the unbatched chip's stats to each batched chip's.)
  EXPECT_EQ(nlohmann::json::diff(stats["alone"], stats["ahead64"]).dump(), "[]");
  EXPECT_EQ(nlohmann::json::diff(stats["alone"], stats["ahead5"]).dump(), "[]");
}

TEST(TileReadAhead, BatchOfLessThanOnePixelIsAUserError) {
  const ArchConfig arch = hwtest::hermes();
  const Mapping m = hwtest::one_core(arch, {{CommandOp::kMvm, input_tag(0)}}, true);
  Chip chip("chip", arch, m, 1);
  EXPECT_THROW(chip.cores()[0]->tile().set_read_ahead(0), UserError);
}

}  // namespace
}  // namespace aimc
