// aimcsim mvm ARCH --weights W.npy --inputs X.npy [--t-inference 0,1h,1d,1y] [--seed S] [--set k=v]... --out
// Y.npy: the numerics of one layer alone. W [out, in] is programmed over as many crossbar tiles as it needs
// (WeightMatrixMapper, the arch's core.* / device.* keys), drifted to each time and read with every row of X
// [batch, in]; Y [times, batch, out] (float32, written time by time) and, per time, ||Y - X W^T||_F /
// ||X W^T||_F over the rows of X up to 4096, or over every k-th row of a larger X (at most 4096; the line
// says which), and the drift-compensation factor are reported. X W^T is the float32 product (Eigen's float
// GEMM, relative error about 1e-6, far below the analog error it is compared with; issue 20: the double
// product of every row cost 28 % of the command); the norms are summed in double. No SystemC: the plain
// numerics library.
#include <Eigen/Core>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "CliChecks.h"
#include "CommandRegistry.h"
#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/base/NpyStreamWriter.h"
#include "aimc/base/Units.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/ConfigSource.h"
#include "aimc/config/RunConfig.h"
#include "aimc/numerics/MatrixTypes.h"
#include "aimc/numerics/WeightMatrixMapper.h"

namespace aimcsim {
namespace {

struct MvmOptions {
  std::string arch, weights, inputs, t_inference = "1h", out;
  int64_t seed = 1;  // the run config's default seed
  std::vector<std::string> sets;
};

// A 2-D matrix of one of the element types the command accepts; anything else names the file.
Eigen::MatrixXf read_matrix(const std::string& path) {
  const aimc::NpyArray a = aimc::Npy::read(path);
  if (a.dtype == aimc::NpyDtype::kInt64)
    throw aimc::UserError(path, 0, "dtype",
                          "int64 is not accepted here; use float32, float64, int8 or int32");
  if (a.shape.size() != 2)
    throw aimc::UserError(path, 0, "shape",
                          "expected a 2-D array, got " + std::to_string(a.shape.size()) + " dimensions");
  if (a.shape[0] < 1 || a.shape[1] < 1) throw aimc::UserError(path, 0, "shape", "has an empty dimension");
  aimc::Npy::require_finite(a);
  return a.toMatrix();
}

// Rows of X whose error `aimcsim mvm` prints: all up to this many, else an evenly strided sample of at most
// this many (a choice: the error of 4096 x out values is known to about 1 % of itself).
constexpr Eigen::Index kErrorRows = 4096;

// sum (a - b)^2 (difference) or sum a^2, in double.
double squared_norm(const float* a, const float* b, Eigen::Index n, bool difference) {
  double sum = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double d = difference ? static_cast<double>(a[i]) - b[i] : a[i];
    sum += d * d;
  }
  return sum;
}

int run_mvm(const MvmOptions& o) {
  aimc::ConfigSource overrides;
  for (const std::string& s : o.sets) overrides.apply_override(s, "command line");
  const aimc::ArchConfig arch = aimc::load_arch(o.arch, overrides);
  // The run key's own declaration (units, range): the same times are accepted here as in a run config.
  const std::vector<double> times = aimc::parse_inference_times(o.t_inference, "--t-inference");
  const Eigen::MatrixXf w = read_matrix(o.weights);
  const Eigen::MatrixXf x = read_matrix(o.inputs);
  if (x.cols() != w.cols())
    throw aimc::UserError(o.inputs, 0, "shape",
                          "inputs have " + std::to_string(x.cols()) + " columns but the weights (" +
                              o.weights + ") have " + std::to_string(w.cols()) + " inputs ([out, in] = [" +
                              std::to_string(w.rows()) + ", " + std::to_string(w.cols()) + "])");

  aimc::WeightMatrixMapper mapper(arch.core.tile, static_cast<uint64_t>(o.seed));
  const aimc::ProgramResult prog = mapper.program(w);
  std::cout << fmt::format(
      "programmed W [{}, {}] on {} x {} tiles of {}x{}: weight error {:.2f} % of max|W| (rms), {:.2f} % "
      "relative; {:.2f} writes per device\n",
      w.rows(), w.cols(), mapper.out_blocks(), mapper.in_blocks(), arch.core.tile.rows, arch.core.tile.cols,
      100.0 * prog.weight_error_rms_over_max, 100.0 * prog.weight_error_relative, prog.mean_iterations);

  // The printed error is over a sample of the rows (every stride-th, at most kErrorRows): the reference
  // product of all rows would cost as much as the analog read itself.
  const Eigen::Index stride = (x.rows() + kErrorRows - 1) / kErrorRows;
  const Eigen::Index sampled = (x.rows() + stride - 1) / stride;
  const Eigen::MatrixXf x_sample = x(Eigen::seq(0, Eigen::last, stride), Eigen::all);
  const Eigen::MatrixXf reference = x_sample * w.transpose();
  const double ref_norm = squared_norm(reference.data(), reference.data(), reference.size(), false);
  const int64_t batch = x.rows(), out = w.rows();
  aimc::NpyStreamWriter y_file(o.out, aimc::NpyDtype::kFloat32,
                               {static_cast<int64_t>(times.size()), batch, out}, "--out");
  for (size_t k = 0; k < times.size(); ++k) {
    mapper.set_inference_time(times[k]);
    // Each time reads with its own noise: read indices k * batch + b.
    const Eigen::MatrixXf y = mapper.mvm(x, static_cast<uint64_t>(k * batch));
    const Eigen::MatrixXf y_sample = y(Eigen::seq(0, Eigen::last, stride), Eigen::all);
    const double err = squared_norm(y_sample.data(), reference.data(), y_sample.size(), true);
    const aimc::MatrixXfRowMajor rows = y;  // the file's C order
    y_file.write(rows.data(), rows.size());
    std::cout << fmt::format(
        "t = {:>10}: relative error {:.3f} %{}, drift compensation {:.5f}\n", aimc::format_duration(times[k]),
        ref_norm > 0.0 ? 100.0 * std::sqrt(err / ref_norm) : 0.0,
        stride == 1 ? std::string()
                    : fmt::format(" (rows 0, {}, {}, ...: {} of {})", stride, 2 * stride, sampled, batch),
        mapper.mean_drift_compensation());
  }
  y_file.commit();
  std::cout << fmt::format("wrote {} [{}, {}, {}] float32\n", o.out, times.size(), batch, out);
  return 0;
}

const RegisterCommand kMvm(30, [](CLI::App& app, CLI::App*& sub) -> CommandAction {
  sub =
      app.add_subcommand("mvm", "One layer's analog MVM alone: program W, drift, read X, write Y and errors");
  auto o = std::make_shared<MvmOptions>();
  sub->add_option("arch", o->arch, "Architecture file (arch/*.yaml)")->required();
  sub->add_option("--weights", o->weights, "Weights W [out, in] (.npy)")->required();
  sub->add_option("--inputs", o->inputs, "Inputs X [batch, in] (.npy)")->required();
  sub->add_option("--t-inference", o->t_inference, "Time(s) since programming, e.g. 0,1h,1d,1y (default 1h)");
  sub->add_option("--seed", o->seed, "Seed of every random draw (default 1)")->check(at_least(0));
  sub->add_option("--set", o->sets, "Override any arch key: --set core.adc.bits=8 (repeatable)");
  sub->add_option("--out", o->out, "Output Y [times, batch, out] (.npy, float32)")->required();
  return [o] { return run_mvm(*o); };
});

}  // namespace
}  // namespace aimcsim
