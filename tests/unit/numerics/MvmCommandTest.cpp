// `aimcsim mvm` through the built CLI (AIMCSIM_CLI): the AIHWKit preset arch/aihwkit.yaml against a
// hand-computed case and bit for bit against the in-process AIHWKit-mode numerics, tiling of a matrix larger
// than a crossbar, every accepted NPY element type, and clean errors (exit 2, the file named) for bad files.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "aimc/base/Npy.h"
#include "aimc/base/Rng.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/numerics/AnalogPresets.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/numerics/WeightMatrixMapper.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

namespace fs = std::filesystem;

struct CliResult {
  int status = -1;
  std::string out, err;
};

class MvmCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("aimcsim_mvm_") + info->name() + "_" + std::to_string(static_cast<long>(::getpid())));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  CliResult run(const std::string& args) const {
    const std::string out = path("stdout.txt"), err = path("stderr.txt");
    const std::string cmd = std::string(AIMCSIM_CLI) + " mvm " + args + " >" + out + " 2>" + err;
    const int raw = std::system(cmd.c_str());
    CliResult r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

  static std::string slurp(const std::string& p) {
    std::ifstream f(p);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }

  std::string write_matrix(const std::string& name, const Eigen::MatrixXf& m) const {
    Npy::write(path(name), NpyArray::fromMatrix(m));
    return path(name);
  }

  // A raw .npy (version 1.0) with any descr / order, for the element types and layouts Npy::write does not
  // produce.
  std::string write_raw(const std::string& name, const std::string& descr, bool fortran,
                        const std::vector<int64_t>& shape, const std::vector<uint8_t>& data) const {
    std::string dims;
    for (size_t i = 0; i < shape.size(); ++i)
      dims += std::to_string(shape[i]) + (shape.size() == 1 ? "," : (i + 1 < shape.size() ? ", " : ""));
    std::string header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                         ", 'shape': (" + dims + "), }";
    while ((10 + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    std::ofstream f(path(name), std::ios::binary);
    f.write("\x93NUMPY\x01\x00", 8);
    const uint16_t len = static_cast<uint16_t>(header.size());
    f.put(static_cast<char>(len & 0xFF));
    f.put(static_cast<char>(len >> 8));
    f << header;
    f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    return path(name);
  }

  Eigen::MatrixXf read_time_slice(const std::string& p, int64_t k, int64_t* times = nullptr) const {
    const NpyArray a = Npy::read(p, 3);
    EXPECT_EQ(a.dtype, NpyDtype::kFloat32);
    if (times) *times = a.shape[0];
    const std::vector<float> v = a.toFloatVector();
    Eigen::MatrixXf m(a.shape[1], a.shape[2]);
    for (int64_t b = 0; b < a.shape[1]; ++b)
      for (int64_t j = 0; j < a.shape[2]; ++j) m(b, j) = v[(k * a.shape[1] + b) * a.shape[2] + j];
    return m;
  }

  fs::path dir_;
};

Eigen::MatrixXf uniform_matrix(int r, int c, uint32_t sub) {
  const CounterRng rng(77, 0, RngPurpose::kStimulus, sub);
  Eigen::MatrixXf m(r, c);
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < c; ++j) m(i, j) = static_cast<float>(2.0 * rng.uniform(uint64_t(i) * c + j) - 1.0);
  return m;
}

const char* kNoiseOff =
    " --set device.programming=ideal --set device.drift=false --set device.read_noise=off"
    " --set core.crossbar.aihwkit_out_noise=0 --set core.crossbar.drift_compensation=none";

TEST_F(MvmCommand, AihwkitPresetHandComputedCase) {
  // The case of CrossbarMvmTest's AihwkitForward.HandComputedSmallCase, now through the arch file:
  // nm = 0.6; x/nm/din = (30.45, -63, 5.25) -> rint (30, -63, 5); y = W x' = (0.567460, -0.176190) (units of
  // max|W| = 1); /dout (24/510) = (12.0585, -3.7440) -> rint (12, -4) -> (12, -4) * 24/510 * 0.6.
  Eigen::MatrixXf w(2, 3), x(1, 3);
  w << 0.5f, -0.25f, 1.0f, 0.1f, 0.2f, -0.3f;
  x << 0.29f, -0.6f, 0.05f;
  const std::string out = path("y.npy");
  const CliResult r = run("arch/aihwkit.yaml --weights " + write_matrix("w.npy", w) + " --inputs " +
                          write_matrix("x.npy", x) + " --t-inference 0" + kNoiseOff + " --out " + out);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const Eigen::MatrixXf y = read_time_slice(out, 0);
  EXPECT_NEAR(y(0, 0), 12 * 24.0 / 510 * 0.6, 1e-6);
  EXPECT_NEAR(y(0, 1), -4 * 24.0 / 510 * 0.6, 1e-6);
  EXPECT_NE(r.out.find("relative error"), std::string::npos) << r.out;
}

TEST_F(MvmCommand, AihwkitPresetEqualsInProcessNumericsBitForBit) {
  // Full noise (programming, drift, frozen 1/f noise, out noise, drift compensation) at three times: the arch
  // file must give exactly what AnalogPresets::aihwkit_compatible() gives in process with the same seed and
  // read indices (time k reads with indices k * batch + b).
  const Eigen::MatrixXf w = uniform_matrix(12, 20, 1);
  const Eigen::MatrixXf x = uniform_matrix(5, 20, 2);
  const std::string out = path("y.npy");
  const CliResult r = run("arch/aihwkit.yaml --weights " + write_matrix("w.npy", w) + " --inputs " +
                          write_matrix("x.npy", x) + " --t-inference 0,1h,1y --seed 9 --out " + out);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  WeightMatrixMapper mapper(AnalogPresets::aihwkit_compatible(), 9);
  mapper.program(w);
  const double times[] = {0.0, 3600.0, 365.25 * 86400.0};
  int64_t n_times = 0;
  read_time_slice(out, 0, &n_times);
  ASSERT_EQ(n_times, 3);
  for (int k = 0; k < 3; ++k) {
    mapper.set_inference_time(times[k]);
    const Eigen::MatrixXf expected = mapper.mvm(x, static_cast<uint64_t>(k) * x.rows());
    const Eigen::MatrixXf got = read_time_slice(out, k);
    ASSERT_EQ(got.rows(), expected.rows());
    ASSERT_EQ(got.cols(), expected.cols());
    for (int b = 0; b < got.rows(); ++b)
      for (int j = 0; j < got.cols(); ++j)
        EXPECT_EQ(got(b, j), expected(b, j)) << "t " << k << " (" << b << ", " << j << ")";
  }
  // One line per time, in the order given.
  EXPECT_NE(r.out.find("t =         1y"), std::string::npos) << r.out;
}

TEST_F(MvmCommand, HermesSplitsALargeMatrixOverTiles) {
  // 300 x 260 needs 2 x 2 crossbars of 256 x 256; the relative error stays at the few-percent level of one
  // tile (CrossbarMvmTest's HermesMvmError), and Y has shape [times, batch, out].
  const Eigen::MatrixXf w = uniform_matrix(300, 260, 3);
  const Eigen::MatrixXf x = uniform_matrix(8, 260, 4);
  const std::string out = path("y.npy");
  const CliResult r = run("arch/hermes.yaml --weights " + write_matrix("w.npy", w) + " --inputs " +
                          write_matrix("x.npy", x) + " --t-inference 1s,1d --out " + out);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("2 x 2 tiles"), std::string::npos) << r.out;
  int64_t n_times = 0;
  const Eigen::MatrixXf y = read_time_slice(out, 1, &n_times);
  EXPECT_EQ(n_times, 2);
  ASSERT_EQ(y.rows(), 8);
  ASSERT_EQ(y.cols(), 300);
  const Eigen::MatrixXf ref = x * w.transpose();
  const double err = (y - ref).norm() / ref.norm();
  EXPECT_GT(err, 0.002);  // noisy hardware, not a float GEMM
  EXPECT_LT(err, 0.10);
}

TEST_F(MvmCommand, AcceptsFloat64Int8AndInt32) {
  // Integer weights and inputs, noise off on the AIHWKit preset: max|W| = 2 and max|x| = 3 are on the grids,
  // so y = x W^T up to the output step.
  std::vector<uint8_t> w_i8 = {1, 0xFE, 0, 2};  // [[1, -2], [0, 2]] as int8
  std::vector<uint8_t> x_i32(2 * 2 * 4, 0);
  const int32_t xv[4] = {3, -1, 0, 3};
  std::memcpy(x_i32.data(), xv, sizeof xv);
  const std::string w = write_raw("w.npy", "|i1", false, {2, 2}, w_i8);
  const std::string x = write_raw("x.npy", "<i4", false, {2, 2}, x_i32);
  const std::string out = path("y.npy");
  CliResult r = run("arch/aihwkit.yaml --weights " + w + " --inputs " + x + " --t-inference 0" + kNoiseOff +
                    " --out " + out);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  Eigen::MatrixXf y = read_time_slice(out, 0);
  // Row 0: x = (3, -1): W x = (5, -2); row 1: x = (0, 3): (-6, 6). Output step 24/510 * max|x| * max|W|.
  const double step0 = 24.0 / 510 * 3 * 2;
  EXPECT_NEAR(y(0, 0), 5.0, step0 / 2);
  EXPECT_NEAR(y(0, 1), -2.0, step0 / 2);
  EXPECT_NEAR(y(1, 0), -6.0, step0 / 2);
  EXPECT_NEAR(y(1, 1), 6.0, step0 / 2);
  // The same weights as float64 give the same result bit for bit.
  std::vector<uint8_t> w_f8(4 * 8);
  const double wv[4] = {1, -2, 0, 2};
  std::memcpy(w_f8.data(), wv, sizeof wv);
  const std::string w8 = write_raw("w8.npy", "<f8", false, {2, 2}, w_f8);
  r = run("arch/aihwkit.yaml --weights " + w8 + " --inputs " + x + " --t-inference 0" + kNoiseOff +
          " --out " + path("y8.npy"));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(read_time_slice(path("y8.npy"), 0), y);
}

TEST_F(MvmCommand, BadFilesAndShapesAreUserErrorsNamingTheFile) {
  const std::string w = write_matrix("w.npy", uniform_matrix(4, 6, 5));
  const std::string x_bad_shape = write_matrix("x_bad_shape.npy", uniform_matrix(3, 5, 6));
  const std::string x = write_matrix("x.npy", uniform_matrix(3, 6, 6));
  const std::string out = " --out " + path("y.npy");
  auto expect_error = [&](const std::string& args, const std::string& named) {
    const CliResult r = run(args + out);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(named), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(r.err.find("terminate"), std::string::npos) << r.err;
  };
  // Shape mismatch: names the inputs file.
  expect_error("arch/hermes.yaml --weights " + w + " --inputs " + x_bad_shape, x_bad_shape);
  // Truncated file.
  {
    std::ifstream in(x, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream t(path("x_trunc.npy"), std::ios::binary);
    t.write(bytes.data(), static_cast<std::streamsize>(bytes.size() - 7));
  }
  expect_error("arch/hermes.yaml --weights " + w + " --inputs " + path("x_trunc.npy"), path("x_trunc.npy"));
  // Big-endian, Fortran order, an unsupported type, a 3-D weight array, int64, a missing file.
  const std::vector<uint8_t> four_floats(4 * 4, 0);
  expect_error("arch/hermes.yaml --weights " + write_raw("w_be.npy", ">f4", false, {2, 2}, four_floats) +
                   " --inputs " + x,
               path("w_be.npy"));
  expect_error("arch/hermes.yaml --weights " + write_raw("w_f.npy", "<f4", true, {2, 2}, four_floats) +
                   " --inputs " + x,
               path("w_f.npy"));
  expect_error("arch/hermes.yaml --weights " + write_raw("w_u2.npy", "<u2", false, {2, 4}, four_floats) +
                   " --inputs " + x,
               path("w_u2.npy"));
  expect_error("arch/hermes.yaml --weights " + write_raw("w_3d.npy", "<f4", false, {1, 2, 2}, four_floats) +
                   " --inputs " + x,
               path("w_3d.npy"));
  expect_error("arch/hermes.yaml --weights " + write_raw("w_i8.npy", "<i8", false, {1, 2}, four_floats) +
                   " --inputs " + x,
               path("w_i8.npy"));
  expect_error("arch/hermes.yaml --weights " + path("missing.npy") + " --inputs " + x, path("missing.npy"));
  // NaN in the inputs.
  Eigen::MatrixXf nan_x = uniform_matrix(3, 6, 7);
  nan_x(1, 2) = std::nanf("");
  expect_error("arch/hermes.yaml --weights " + w + " --inputs " + write_matrix("x_nan.npy", nan_x),
               path("x_nan.npy"));
  // A bad time and a bad arch override.
  expect_error("arch/hermes.yaml --weights " + w + " --inputs " + x + " --t-inference 1h,-3s", "t-inference");
  expect_error("arch/hermes.yaml --weights " + w + " --inputs " + x + " --set core.dac.bits=40",
               "core.dac.bits");
}

}  // namespace
}  // namespace aimc
