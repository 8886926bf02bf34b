// Inputs the libFuzzer targets (tests/fuzz) found, kept as regression cases (tests/data/fuzz/<target>/): each
// must end in a UserError (exit status 2) or a clean result, never a sanitizer report, a hang or an abort.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/compiler/Mapping.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/ConfigSource.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

const std::string kFuzz = std::string(AIMCSIM_TEST_DATA) + "/fuzz/";

// A depthwise Conv whose float32 weights hold NaN: the kernel's quantiser converted NaN to int64 (UBSan).
// The importer now refuses non-finite constants, naming the tensor.
TEST(FuzzRegression, OnnxNanWeightIsRefusedByTheImporter) {
  const std::string path = kFuzz + "onnx/nan_depthwise_weight.onnx";
  try {
    const Graph g = OnnxImporter::load(path);
    std::map<std::string, double> absmax;
    for (const GraphTensor& t : g.tensors()) absmax[t.name] = 1.0;
    map_network(g, resolve_arch(ConfigSource()), absmax);
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_NE(std::string(e.what()).find("NaN or infinity"), std::string::npos) << e.what();
  }
}

// A Mul by a constant whose dims multiply past int64: the activation-pattern matcher's scalar test overflowed
// (UBSan). Now the dims are checked; the model is refused or imported, never undefined.
TEST(FuzzRegression, OnnxConstantDimsOverflowingInt64AreNoUndefinedBehaviour) {
  const std::string path = kFuzz + "onnx/scalar_dims_overflow.onnx";
  try {
    OnnxImporter::load(path);
  } catch (const UserError& e) {
    EXPECT_EQ(e.file(), path);
  }
}

// Shape (455555555555, 0): no elements, so the file is valid, but toMatrix looped over every row (a hang).
TEST(FuzzRegression, NpyWithHugeRowsAndNoColumnsConvertsAtOnce) {
  const auto start = std::chrono::steady_clock::now();
  const NpyArray a = Npy::read(kFuzz + "npy/huge_rows_zero_columns.npy");
  ASSERT_EQ(a.shape, (std::vector<int64_t>{455555555555, 0}));
  const Eigen::MatrixXf m = a.toMatrix();
  EXPECT_EQ(m.rows(), 455555555555);
  EXPECT_EQ(m.cols(), 0);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
}

}  // namespace
}  // namespace aimc
