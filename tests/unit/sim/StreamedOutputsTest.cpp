// Issue 20, item 5: a run's outputs go to logits.npy as they are produced (NpyStreamWriter through
// AtomicFile) and are scored on the way; the run holds at most 1 KB per sample beyond them, the streamed
// outputs are the kept ones bit for bit, and a failed run leaves no logits.npy.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../CliRunner.h"
#include "../SanitizerBuild.h"
#include "aimc/base/Npy.h"
#include "aimc/base/Rng.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/ConfigSource.h"
#include "aimc/sim/Execution.h"
#include "aimc/sim/OutputScores.h"
#include "aimc/sim/Workload.h"

namespace aimc {
namespace {

// `rows` inputs of the digits MLP (64 features, 0..16 as the digits' pixels), uniform from a fixed seed.
std::string mlp_inputs(int64_t rows) {
  const std::string file = testing::TempDir() + "/streamed_mlp_" + std::to_string(rows) + ".npy";
  const CounterRng rng(5, 0, RngPurpose::kStimulus, 0);
  std::vector<float> x(static_cast<size_t>(rows * 64));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(16.0 * rng.uniform(i));
  Npy::write(file, NpyArray::fromFloat32({rows, 64}, x));
  return file;
}

std::string mlp_run(const std::string& inputs, const std::string& out) {
  return "run --arch arch/hermes.yaml --model models/digits_mlp.onnx --inputs " + inputs +
         " --timing off --t-inference 1h,1d --seed 9 --out " + out;
}

// The largest resident set of the children waited for so far, in KiB.
long children_max_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return u.ru_maxrss;
}

TEST(StreamedOutputs, LogitsOfTheCliEqualTheKeptOutputsBitForBit) {
  // More samples than the executor runs at once when streaming (kStreamedSamples): several parts per time.
  const int64_t rows = 2 * kStreamedSamples + 123;
  const std::string inputs = mlp_inputs(rows), out = testing::TempDir() + "/streamed_cli";
  int status = -1;
  const std::string log = aimc_test::run_cli_all(mlp_run(inputs, out), &status);
  ASSERT_EQ(status, 0) << log;
  const NpyArray streamed = Npy::read(out + "/logits.npy");

  const ArchConfig arch = load_arch("arch/hermes.yaml", ConfigSource());
  const Workload w =
      prepare_workload(arch, OnnxImporter::load("models/digits_mlp.onnx"), Npy::read(inputs), 0, 64);
  RunConfig run;
  run.timing = TimingMode::kOff;
  run.t_inference_s = {3600.0, 86400.0};
  run.seed = 9;
  run.repeats = 2;
  run.source_file = "StreamedOutputsTest";
  const Execution kept = execute_workload(run, arch, w);
  std::vector<int8_t> all, sunk;
  for (const ChipRun& r : kept.runs) all.insert(all.end(), r.outputs.begin(), r.outputs.end());
  ASSERT_EQ(streamed.shape, (std::vector<int64_t>{2, rows, 10}));
  EXPECT_EQ(streamed.bytes, std::vector<uint8_t>(all.begin(), all.end()));

  // The same execution with a sink: the same outputs in the same order, none kept, the same scores.
  const Execution with_sink = execute_workload(run, arch, w, [&](const int8_t* o, int64_t n) {
    sunk.insert(sunk.end(), o, o + n * w.mapping.output_features);
  });
  EXPECT_EQ(sunk, all);
  EXPECT_TRUE(with_sink.runs[0].outputs.empty());
  ASSERT_EQ(with_sink.scores.size(), 2u);
  for (size_t r = 0; r < 2; ++r)
    for (size_t t = 0; t < 2; ++t) {
      EXPECT_EQ(with_sink.scores[r][t].agreement_with_float, kept.scores[r][t].agreement_with_float);
      EXPECT_EQ(with_sink.scores[r][t].logit_relative_error, kept.scores[r][t].logit_relative_error);
    }
  // The tally over parts equals the score over the whole batch.
  const OutputScores whole = score_outputs(w, kept.repeat_outputs[1][1]);
  EXPECT_EQ(whole.logit_relative_error, with_sink.scores[1][1].logit_relative_error);
  EXPECT_EQ(whole.agreement_with_float, with_sink.scores[1][1].agreement_with_float);
}

TEST(StreamedOutputs, HostMemoryGrowsByAtMostOneKilobytePerSample) {
  if (aimc_test::kAddressSanitizer)
    GTEST_SKIP() << "resident memory under AddressSanitizer (SanitizerBuild.h)";
  const std::string small = mlp_inputs(10'000), large = mlp_inputs(100'000);
  int status = -1;
  // The large run after the small one: the children's maximum is then the large run's.
  aimc_test::run_cli_all(mlp_run(small, testing::TempDir() + "/streamed_10k"), &status);
  ASSERT_EQ(status, 0);
  const long small_kib = children_max_rss_kib();
  aimc_test::run_cli_all(mlp_run(large, testing::TempDir() + "/streamed_100k"), &status);
  ASSERT_EQ(status, 0);
  const long large_kib = children_max_rss_kib();
  const double bytes_per_sample = 1024.0 * static_cast<double>(large_kib - small_kib) / 90'000.0;
  EXPECT_LE(bytes_per_sample, 1024.0) << small_kib << " KiB at 10k samples, " << large_kib << " at 100k";
}

TEST(StreamedOutputs, AFailedRunLeavesNoLogits) {
  const std::string out = testing::TempDir() + "/streamed_failed";
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out);
  // A regular file where the activations' folder must go: the run fails after the outputs were streamed.
  std::ofstream(out + "/activations") << "in the way\n";
  int status = -1;
  const std::string log =
      aimc_test::run_cli_all(mlp_run(mlp_inputs(500), out) + " --activations all", &status);
  EXPECT_EQ(status, 2) << log;
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(out)) left.push_back(entry.path().filename());
  EXPECT_EQ(left, (std::vector<std::string>{"activations"})) << log;
}

}  // namespace
}  // namespace aimc
