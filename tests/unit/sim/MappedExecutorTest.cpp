// The numerics-only executor (sim/MappedExecutor) against the cycle-level chip: the same mapped digits MLP,
// the same seed, bit-identical INT8 outputs at several inference times, with the command-table and the
// RISC-V controllers, with layers split over crossbars in both dimensions (partial-sum chains), and whether
// the executor interprets the batch in one chunk or sample by sample. One chip per test (one SystemC
// elaboration per process).
#include <gtest/gtest.h>

#include <initializer_list>

#include "aimc/hw/Chip.h"
#include "aimc/sim/MappedExecutor.h"
#include "aimc/sim/Workload.h"

namespace aimc {
namespace {

constexpr int64_t kSamples = 24;
constexpr uint64_t kSeed = 7;

ArchConfig hermes(std::initializer_list<const char*> sets) {
  ConfigSource overrides;
  for (const char* s : sets) overrides.apply_override(s, "test");
  return load_arch("arch/hermes.yaml", overrides);
}

// The digits MLP prepared as `aimcsim run` prepares it, with INT8 steps calibrated on the batch.
Workload digits(const ArchConfig& arch) {
  RunConfig::Workload files;
  files.model = "models/digits_mlp.onnx";
  files.inputs = "traces/digits_test_x.npy";
  files.batch = kSamples;
  files.calibration_samples = kSamples;
  return prepare_workload(arch, files, "MappedExecutorTest");
}

// Runs chip and executor (whole batch and one sample per chunk) at each time; every output must be equal.
void expect_bit_identical(const ArchConfig& arch, std::initializer_list<double> times) {
  const Workload w = digits(arch);
  Chip chip("chip", arch, w.mapping, kSeed);
  MappedExecutor batched(arch, w.mapping, kSeed);
  MappedExecutor single(arch, w.mapping, kSeed, 1);
  const auto prog_chip = chip.program();
  const auto prog_exec = batched.program();
  single.program();
  ASSERT_EQ(prog_chip.size(), prog_exec.size());
  for (size_t i = 0; i < prog_chip.size(); ++i)
    EXPECT_EQ(prog_chip[i].write_pulses, prog_exec[i].write_pulses);
  std::vector<std::vector<int8_t>> per_time;
  for (double t : times) {
    chip.set_inference_time(t);
    batched.set_inference_time(t);
    single.set_inference_time(t);
    const std::vector<int8_t> want = chip.run(w.codes, kSamples).outputs;
    ASSERT_EQ(want.size(), static_cast<size_t>(kSamples * w.mapping.output_features));
    EXPECT_EQ(batched.run(w.codes, kSamples), want) << "t = " << t << " s, whole batch in one chunk";
    EXPECT_EQ(single.run(w.codes, kSamples), want) << "t = " << t << " s, one sample per chunk";
    per_time.push_back(want);
  }
  // The comparison must see real, time-dependent outputs (drift changes some logits).
  int nonzero = 0;
  for (int8_t v : per_time.front()) nonzero += v != 0;
  EXPECT_GT(nonzero, kSamples);
  EXPECT_NE(per_time.front(), per_time.back());
}

TEST(MappedExecutor, BitIdenticalToTheChipAtTwoInferenceTimes) {
  expect_bit_identical(hermes({}), {3600.0, 365.25 * 86400});
}

TEST(MappedExecutor, BitIdenticalToTheChipWithRiscvControllers) {
  expect_bit_identical(hermes({"core.controller.kind=riscv"}), {1.0, 86400.0});
}

TEST(MappedExecutor, BitIdenticalWithOneControllerPerClusterOfCores) {
  // The chip runs merged per-controller tables with barriers; the executor the per-core tables.
  expect_bit_identical(hermes({"core.controller.cores_per_controller=4"}), {3600.0, 86400.0});
}

TEST(MappedExecutor, BitIdenticalWithLayersSplitInBothDimensions) {
  // 32x32 crossbars: 64->128 is 4 x 2 pieces, 128->64 is 2 x 4 (partial-sum chains of 4), 64->10 is 1 x 2.
  const ArchConfig arch = hermes({"core.crossbar.rows=32", "core.crossbar.cols=32", "core.adc.count=32"});
  expect_bit_identical(arch, {60.0, 86400.0});
}

TEST(MappedExecutor, FourPhaseReadsAndTheFp16DigitalUnit) {
  expect_bit_identical(hermes({"core.dac.read_mode=four_phase", "core.digital_unit.kind=ldpu_fp16"}),
                       {3600.0, 1e6});
}

}  // namespace
}  // namespace aimc
