// Issue 21: the workload checked against the model before a run: the input layout (not only the element
// count), the labels (class range, no more than the samples), NaN/Inf inputs, and the memory of the batch.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "../CliRunner.h"
#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/sim/BatchMemory.h"
#include "aimc/sim/Workload.h"

namespace aimc {
namespace {

ArchConfig hermes() {
  return load_arch("arch/hermes.yaml");
}

RunConfig::Workload digits_cnn(int64_t batch) {
  RunConfig::Workload files;
  files.model = "models/digits_cnn.onnx";
  files.inputs = "traces/digits_test_x_nchw.npy";
  files.labels = "traces/digits_test_y.npy";
  files.batch = batch;
  files.calibration_samples = 8;
  return files;
}

// Writes `a` to a file of the test's temporary directory and returns its path.
std::string temp_npy(const std::string& name, const NpyArray& a) {
  const std::string path = ::testing::TempDir() + "/" + name;
  Npy::write(path, a);
  return path;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "no UserError";
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
  EXPECT_GE(one.per_sample, static_cast<uint64_t>(4 * tensors));
  EXPECT_EQ(one.per_sample, many.per_sample);
  EXPECT_EQ(many.total, many.inputs + 1000 * many.per_sample);
  EXPECT_EQ(one.inputs, 450u * 4u * 64u);
  // A batch whose estimate exceeds workload.max_memory is refused, naming the batch and the limit.
  RunConfig::Workload files = digits_cnn(100);
  files.max_memory = static_cast<int64_t>(estimate_batch_memory(g, 100, 450).total) - 1;
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
