// prepare_workload, the one preparation of a workload for the chip that `aimcsim run`, tests and benchmarks
// share: the input codes follow the crossbar's INT8 rule and the chip's HWC order, the shapes follow the
// batch, and a bad input file or batch is a user error naming the file.
#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "../CliRunner.h"
#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/sim/BatchMemory.h"
#include "aimc/sim/Workload.h"

namespace aimc {
namespace {

ArchConfig hermes(std::initializer_list<const char*> sets = {}) {
  ConfigSource overrides;
  for (const char* s : sets) overrides.apply_override(s, "test");
  return load_arch("arch/hermes.yaml", overrides);
}

RunConfig::Workload digits_cnn(int64_t batch) {
  RunConfig::Workload files;
  files.model = "models/digits_cnn.onnx";
  files.inputs = "traces/digits_test_x_nchw.npy";
  files.labels = "traces/digits_test_y.npy";
  files.batch = batch;
  files.calibration_samples = 16;
  return files;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "no UserError";
}

TEST(Workload, InputCodeMaxIsTheCrossbarsLargestPwmCode) {
  for (const char* bits : {"core.dac.bits=8", "core.dac.bits=5", "core.dac.bits=2"}) {
    const ArchConfig arch = hermes({bits});
    EXPECT_EQ(input_code_max(arch), CrossbarArray(arch.core.tile, 1, 0).input_code_max()) << bits;
  }
  EXPECT_EQ(input_code_max(hermes()), 127);
}

TEST(Workload, QuantiseInputRoundsHalfToEvenAndClampsSymmetrically) {
  EXPECT_EQ(quantise_input(0.5F, 1.0, 127), 0);
  EXPECT_EQ(quantise_input(1.5F, 1.0, 127), 2);
  EXPECT_EQ(quantise_input(-2.5F, 1.0, 127), -2);
  EXPECT_EQ(quantise_input(0.26F, 0.1, 127), 3);
  EXPECT_EQ(quantise_input(1000.0F, 1.0, 127), 127);
  EXPECT_EQ(quantise_input(-1000.0F, 1.0, 127), -127);
  EXPECT_EQ(quantise_input(-40.0F, 1.0, 31), -31);
}

TEST(Workload, CodesAreTheQuantisedInputsInHwcOrder) {
  const ArchConfig arch = hermes({"core.dac.bits=6"});
  const int64_t n = 5;
  const Workload w = prepare_workload(arch, digits_cnn(n), "run.yaml");
  const Mapping& m = w.mapping;
  ASSERT_EQ(w.samples, n);
  EXPECT_EQ(w.input_code_max, 31);
  ASSERT_EQ(m.input_channels * m.input_pixels, m.input_features);
  ASSERT_EQ(w.codes.size(), static_cast<size_t>(n * m.input_features));
  const std::vector<float> x = Npy::read("traces/digits_test_x_nchw.npy").toFloatVector();
  int nonzero = 0;
  for (int64_t s = 0; s < n; ++s)
    for (int64_t c = 0; c < m.input_channels; ++c)
      for (int64_t p = 0; p < m.input_pixels; ++p) {
        const float nchw = x[static_cast<size_t>((s * m.input_channels + c) * m.input_pixels + p)];
        const int8_t code = w.codes[static_cast<size_t>((s * m.input_pixels + p) * m.input_channels + c)];
        EXPECT_EQ(code, quantise_input(nchw, m.input_step, 31)) << "sample " << s << " channel " << c;
        nonzero += code != 0;
      }
  EXPECT_GT(nonzero, n);
}

TEST(Workload, ShapesFollowTheBatch) {
  const ArchConfig arch = hermes();
  const Workload some = prepare_workload(arch, digits_cnn(7), "run.yaml");
  EXPECT_EQ(some.samples, 7);
  EXPECT_EQ(some.float_logits.shape, (std::vector<int64_t>{7, 10}));
  EXPECT_EQ(some.float_top1.size(), 7u);
  EXPECT_GE(some.labels.size(), 7u);
  EXPECT_EQ(some.mapping.output_features, 10);
  EXPECT_FALSE(some.absmax.empty());
  // Batch 0: every row of the inputs.
  const Workload all = prepare_workload(arch, digits_cnn(0), "run.yaml");
  const int64_t rows = Npy::read("traces/digits_test_x_nchw.npy").shape[0];
  EXPECT_EQ(all.samples, rows);
  EXPECT_EQ(all.codes.size(), static_cast<size_t>(rows * all.mapping.input_features));
  // The same calibration samples give the same steps whatever the batch.
  EXPECT_EQ(all.mapping.input_step, some.mapping.input_step);
  EXPECT_EQ(
      std::vector<int8_t>(all.codes.begin(), all.codes.begin() + static_cast<int64_t>(some.codes.size())),
      some.codes);
}

TEST(Workload, InputsInMemoryAreQuantisedAsFromAFile) {
  const ArchConfig arch = hermes();
  const Workload from_file = prepare_workload(arch, digits_cnn(4), "run.yaml");
  const NpyArray x = Npy::read("traces/digits_test_x_nchw.npy");
  NpyArray in_memory = NpyArray::fromFloat32(x.shape, x.toFloatVector());
  const Workload w = prepare_workload(arch, OnnxImporter::load("models/digits_cnn.onnx"), in_memory, 4, 16);
  EXPECT_EQ(w.codes, from_file.codes);
  EXPECT_EQ(w.mapping.input_step, from_file.mapping.input_step);
  EXPECT_TRUE(w.labels.empty());
}

TEST(Workload, BadInputShapeIsAUserErrorNamingTheFile) {
  RunConfig::Workload files = digits_cnn(4);
  files.inputs = "traces/digits_test_y.npy";  // one value per sample, the model takes 64
  const std::string what = message_of([&] { prepare_workload(hermes(), files, "run.yaml"); });
  EXPECT_NE(what.find("traces/digits_test_y.npy"), std::string::npos) << what;
  EXPECT_NE(what.find("samples have 1 values but the model's input"), std::string::npos) << what;

  NpyArray in_memory = NpyArray::fromFloat32({3, 5}, std::vector<float>(15, 0.0F));
  in_memory.source = "images in memory";
  const std::string memory_what = message_of(
      [&] { prepare_workload(hermes(), OnnxImporter::load("models/digits_cnn.onnx"), in_memory, 0, 3); });
  EXPECT_NE(memory_what.find("images in memory"), std::string::npos) << memory_what;
}

TEST(Workload, BatchLargerThanTheInputsIsAUserErrorNamingTheRunFile) {
  const std::string what = message_of([] { prepare_workload(hermes(), digits_cnn(100000), "run.yaml"); });
  EXPECT_NE(what.find("run.yaml"), std::string::npos) << what;
  EXPECT_NE(what.find("workload.batch"), std::string::npos) << what;
  EXPECT_NE(what.find("traces/digits_test_x_nchw.npy"), std::string::npos) << what;
}

// Issue 21: the workload checked against the model before a run: the input layout (not only the element
// count), the labels (class range, no more than the samples), NaN/Inf inputs, and the memory of the batch.
// Writes `a` to a file of the test's temporary directory and returns its path.
std::string temp_npy(const std::string& name, const NpyArray& a) {
  const std::string path = ::testing::TempDir() + "/" + name;
  Npy::write(path, a);
  return path;
}

void expect_fragments(const std::string& what, std::initializer_list<std::string> fragments) {
  for (const std::string& f : fragments) EXPECT_NE(what.find(f), std::string::npos) << what;
}

TEST(WorkloadChecks, NhwcDataForAnNchwInputIsRefusedWithBothShapes) {
  // The digits CNN takes [N, 1, 8, 8]; the same images as [N, 8, 8, 1] have the count but not the layout.
  const NpyArray nchw = Npy::read("traces/digits_test_x_nchw.npy");
  std::vector<float> values = nchw.toFloatVector();
  values.resize(4 * 64);
  RunConfig::Workload files = digits_cnn(4);
  files.labels.clear();
  files.inputs = temp_npy("nhwc.npy", NpyArray::fromFloat32({4, 8, 8, 1}, values));
  expect_fragments(message_of([&] { prepare_workload(hermes(), files, "run.yaml"); }),
                   {files.inputs, "(4, 8, 8, 1)", "(4, 1, 8, 8)", "[N,1,8,8]"});
  // The documented flattening [rows, values] is the same C-order data: accepted, same codes as NCHW.
  files.inputs = temp_npy("flat.npy", NpyArray::fromFloat32({4, 64}, values));
  const Workload flat = prepare_workload(hermes(), files, "run.yaml");
  files.inputs = temp_npy("nchw4.npy", NpyArray::fromFloat32({4, 1, 8, 8}, values));
  EXPECT_EQ(flat.codes, prepare_workload(hermes(), files, "run.yaml").codes);
}

TEST(WorkloadChecks, LabelsOutsideTheClassesOrMoreThanTheSamplesAreRefused) {
  std::vector<int32_t> labels = Npy::read("traces/digits_test_y.npy").toInt32Vector();
  RunConfig::Workload files = digits_cnn(4);
  labels[2] = 10;  // the digits model has classes 0..9
  files.labels = temp_npy("range.npy", NpyArray::fromInt32({static_cast<int64_t>(labels.size())}, labels));
  expect_fragments(message_of([&] { prepare_workload(hermes(), files, "run.yaml"); }),
                   {files.labels, "label 10 of sample 2", "0..9"});
  labels[2] = -1;
  files.labels = temp_npy("negative.npy", NpyArray::fromInt32({static_cast<int64_t>(labels.size())}, labels));
  expect_fragments(message_of([&] { prepare_workload(hermes(), files, "run.yaml"); }),
                   {"label -1 of sample 2"});
  labels[2] = 1;
  labels.push_back(3);  // 451 labels for the 450 rows of the inputs
  files.labels = temp_npy("many.npy", NpyArray::fromInt32({static_cast<int64_t>(labels.size())}, labels));
  expect_fragments(message_of([&] { prepare_workload(hermes(), files, "run.yaml"); }),
                   {files.labels, "451 labels", "450 samples"});
}

TEST(WorkloadChecks, NanOrInfinityInTheInputsIsRefusedAsByMvm) {
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    std::vector<float> values = Npy::read("traces/digits_test_x_nchw.npy").toFloatVector();
    values.resize(4 * 64);
    values[70] = bad;
    RunConfig::Workload files = digits_cnn(4);
    files.labels.clear();
    files.inputs = temp_npy("nonfinite.npy", NpyArray::fromFloat32({4, 1, 8, 8}, values));
    expect_fragments(message_of([&] { prepare_workload(hermes(), files, "run.yaml"); }),
                     {files.inputs, "NaN or infinity", "element 70"});
  }
}

TEST(WorkloadChecks, BatchMemoryIsEstimatedAndLimitedBeforeAllocating) {
  const Graph g = OnnxImporter::load("models/digits_cnn.onnx");
  const BatchMemoryEstimate one = estimate_batch_memory(g, 1, 450),
                            many = estimate_batch_memory(g, 1000, 450);
  int64_t tensors = 0;
  for (const GraphTensor& t : g.tensors()) tensors += t.sampleSize();
  // Per sample: the codes and the float logits, not the reference's tensors (those only for the rows run at
  // once: here all 1000 rows fit in one chunk).
  EXPECT_GE(one.per_sample, static_cast<uint64_t>(64 + 4 * 10));
  EXPECT_LT(one.per_sample, static_cast<uint64_t>(4 * tensors));
  EXPECT_EQ(one.per_sample, many.per_sample);
  EXPECT_EQ(one.reference, static_cast<uint64_t>(4 * tensors));
  EXPECT_EQ(many.reference,
            static_cast<uint64_t>(4 * tensors * std::min<int64_t>(1000, reference_chunk_rows(g))));
  EXPECT_EQ(many.total, many.inputs + many.reference + 1000 * many.per_sample);
  EXPECT_EQ(one.inputs, 450u * 4u * 64u);
  // A batch whose estimate exceeds workload.max_memory is refused, naming the batch and the limit.
  RunConfig::Workload files = digits_cnn(100);
  files.max_memory = static_cast<int64_t>(estimate_batch_memory(g, 100, 450, 16).total) - 1;
  expect_fragments(message_of([&] { prepare_workload(hermes(), files, "run.yaml"); }),
                   {"run.yaml", "workload.batch", "a batch of 100 samples", "workload.max_memory"});
  files.max_memory += 1;
  EXPECT_NO_THROW(prepare_workload(hermes(), files, "run.yaml"));
  // The default limit is half of the physical memory: a 10^12-sample batch is far beyond it.
  EXPECT_GT(default_batch_memory_limit(), uint64_t{1} << 20);
  EXPECT_NE(message_of([&] { check_batch_memory(g, 1'000'000'000'000, 450, 0, "run.yaml"); }),
            "no UserError");
}

TEST(WorkloadChecks, CliRefusesTheBatchOverTheMemoryLimitWithExitTwo) {
  int rc = 0;
  const std::string out = aimc_test::run_cli_all(
      "run configs/quickstart.yaml --timing off --set workload.max_memory=64KiB --out " +
          ::testing::TempDir() + "/memory_run",
      &rc);
  EXPECT_EQ(rc, 2) << out;
  expect_fragments(out,
                   {"aimcsim: error:", "configs/quickstart.yaml", "workload.batch", "workload.max_memory"});
}

}  // namespace
}  // namespace aimc
