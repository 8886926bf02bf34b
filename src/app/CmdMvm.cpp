// aimcsim mvm ARCH --weights W.npy --inputs X.npy [--t-inference 0,1h,1d,1y] [--seed S] [--set k=v]... --out
// Y.npy: the numerics of one layer alone. W [out, in] is programmed over as many crossbar tiles as it needs
// (WeightMatrixMapper, the arch's core.* / device.* keys), drifted to each time and read with every row of X
// [batch, in]; Y [times, batch, out] (float32) and, per time, ||Y - X W^T||_F / ||X W^T||_F and the
// drift-compensation factor are reported. No SystemC: this is the plain numerics library.
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
#include "aimc/base/Units.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/ConfigSource.h"
#include "aimc/config/RunConfig.h"
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

  const Eigen::MatrixXd reference = x.cast<double>() * w.cast<double>().transpose();
  const double ref_norm = reference.norm();
  const int64_t batch = x.rows(), out = w.rows();
  std::vector<float> y_all(static_cast<size_t>(times.size() * batch * out));
  for (size_t k = 0; k < times.size(); ++k) {
    mapper.set_inference_time(times[k]);
    // Each time reads with its own noise: read indices k * batch + b.
    const Eigen::MatrixXf y = mapper.mvm(x, static_cast<uint64_t>(k * batch));
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t j = 0; j < out; ++j) y_all[(k * batch + b) * out + j] = y(b, j);
    const double err = (y.cast<double>() - reference).norm();
    std::cout << fmt::format("t = {:>10}: relative error {:.3f} %, drift compensation {:.5f}\n",
                             aimc::format_duration(times[k]), ref_norm > 0.0 ? 100.0 * err / ref_norm : 0.0,
                             mapper.mean_drift_compensation());
  }
  aimc::Npy::write(o.out,
                   aimc::NpyArray::fromFloat32({static_cast<int64_t>(times.size()), batch, out}, y_all));
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
