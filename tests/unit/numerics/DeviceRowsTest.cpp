// The per-line device loops of CrossbarArray (CounterRng::fill_normal + DeviceModel::*_row, vectorised) give
// exactly the scalar definition, device by device: targets, programmed conductances, drift parameters and
// drifted conductances, for PCM and RRAM, on line lengths that leave vector tails; and a tile's
// state does not depend on which other tiles were programmed before it.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <utility>
#include <vector>

#include "UniformWeights.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/AnalogPresets.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/numerics/DeviceModel.h"

namespace aimc {
namespace {

Eigen::MatrixXf weights(int rows, int cols, uint32_t sub) {
  return test::uniform_weights(rows, cols, 11, sub);
}

TileParams tile_params(DeviceTechnology technology) {
  TileParams p = AnalogPresets::hermes_like();
  p.device.technology = technology;
  p.device.programming = ProgrammingModel::kStatistical;
  p.device.read_noise = ReadNoiseMode::kOff;  // the frozen-noise line loop: PcmStatistics.FrozenReadNoise...
  p.device.stuck_at_set_fraction = 0.0;
  p.device.stuck_at_reset_fraction = 0.0;
  return p;
}

// Every device of a programmed and drifted tile, recomputed one device at a time from the scalar functions.
void expect_scalar_definition(DeviceTechnology technology) {
  const TileParams p = tile_params(technology);
  const int rows = 13, cols = 37;  // 37: not a multiple of any vector width or of the 8-counter Philox batch
  const uint64_t seed = 77;
  const uint32_t tile_id = 4;
  CrossbarArray tile(p, seed, tile_id);
  const Eigen::MatrixXf w = weights(rows, cols, 1);
  tile.program(w);
  const double t = 86400.0;
  tile.set_inference_time(t);
  const auto device = DeviceModel::create(p.device);
  const DeviceTime time = device->at(t);
  const int n = p.device.devices_per_polarity, planes = 2 * n;
  const CounterRng prog(seed, tile_id, RngPurpose::kProgramming, 0);
  const CounterRng nu_rng(seed, tile_id, RngPurpose::kDriftNu);
  const CounterRng win_rng(seed, tile_id, RngPurpose::kDeviceWindow);
  for (int pl = 0; pl < planes; ++pl)
    for (int r = 0; r < rows; ++r) {
      const double w_max = p.weight_scaling == WeightScaling::kPerColumn ? w.row(r).cwiseAbs().maxCoeff()
                                                                         : w.cwiseAbs().maxCoeff();
      for (int c = 0; c < cols; ++c) {
        const size_t e = (static_cast<size_t>(pl) * rows + r) * cols + c;
        const uint64_t phys = (static_cast<uint64_t>(pl) * p.rows + r) * p.cols + c;
        const float signed_w = (pl < n ? 1 : -1) * w(r, c);
        const float target = static_cast<float>(device->target_us(signed_w, w_max));
        ASSERT_EQ(tile.target_conductances_us()[e], target) << e;
        DeviceWindow window;
        if (device->window_draws() > 0) {
          const auto z = win_rng.normal_pair(phys);
          const DeviceWindow wd = device->window(z[0], z[1]);
          window = {static_cast<float>(wd.low_us), static_cast<float>(wd.high_us)};
        }
        const float g_prog = static_cast<float>(device->programmed_us(target, window, prog.normal(phys)));
        ASSERT_EQ(tile.programmed_conductances_us()[e], g_prog) << e;
        const float nu = static_cast<float>(device->time_parameter(target, nu_rng.normal(phys)));
        ASSERT_EQ(tile.current_conductances_us()[e],
                  static_cast<float>(device->conductance_at(g_prog, nu, time)))
            << e;
      }
    }
}

TEST(DeviceRows, PcmTileEqualsTheScalarDefinitionDeviceByDevice) {
  expect_scalar_definition(DeviceTechnology::kPcm);
}

TEST(DeviceRows, RramTileEqualsTheScalarDefinitionDeviceByDevice) {
  expect_scalar_definition(DeviceTechnology::kRram);
}

// The row functions of each model against their scalar functions, on lengths 0 .. 70 (all vector tails).
TEST(DeviceRows, RowFunctionsEqualScalarFunctions) {
  for (DeviceTechnology technology : {DeviceTechnology::kPcm, DeviceTechnology::kRram}) {
    const TileParams p = tile_params(technology);
    const auto device = DeviceModel::create(p.device);
    const CounterRng rng(3, 9, RngPurpose::kStimulus);
    const DeviceTime time = device->at(3.15e7);
    for (int n = 0; n <= 70; ++n) {
      std::vector<float> w(n), aim(n), lo(n), hi(n), param(n), target(n), prog(n);
      std::vector<double> xi(n), g(n), sigma(n);
      for (int i = 0; i < n; ++i) {
        w[i] = static_cast<float>(2.0 * rng.uniform(4 * i) - 1.0);
        aim[i] = static_cast<float>(device->target_us(w[i], 1.0));
        xi[i] = rng.normal(4 * i + 1);
        const DeviceWindow win = device->window(rng.normal(4 * i + 2), rng.normal(4 * i + 3));
        lo[i] = static_cast<float>(win.low_us);
        hi[i] = static_cast<float>(win.high_us);
      }
      const bool windows = device->window_draws() > 0;
      device->target_row(n, w.data(), 1.0, target.data());
      device->programmed_row(n, aim.data(), windows ? lo.data() : nullptr, windows ? hi.data() : nullptr,
                             xi.data(), prog.data());
      device->time_parameter_row(n, aim.data(), xi.data(), param.data());
      device->conductance_row(n, prog.data(), param.data(), time, g.data(), sigma.data());
      for (int i = 0; i < n; ++i) {
        ASSERT_EQ(target[i], static_cast<float>(device->target_us(w[i], 1.0)));
        const DeviceWindow win = windows ? DeviceWindow{lo[i], hi[i]} : DeviceWindow{};
        ASSERT_EQ(prog[i], static_cast<float>(device->programmed_us(aim[i], win, xi[i])));
        ASSERT_EQ(param[i], static_cast<float>(device->time_parameter(aim[i], xi[i])));
        ASSERT_EQ(g[i], device->conductance_at(prog[i], param[i], time));
        ASSERT_EQ(sigma[i], device->read_sigma_rel(prog[i], time));
      }
    }
  }
}

// Tiles are keyed by (seed, tile id): programming them in either order, or one alone, gives the same bits.
TEST(DeviceRows, TileStateDoesNotDependOnProgrammingOrder) {
  const TileParams p = tile_params(DeviceTechnology::kPcm);
  const Eigen::MatrixXf wa = weights(64, 200, 2), wb = weights(100, 256, 3);
  auto state = [&](bool a_first) {
    CrossbarArray a(p, 5, 1), b(p, 5, 2);
    if (a_first) {
      a.program(wa);
      b.program(wb);
    } else {
      b.program(wb);
      a.program(wa);
    }
    a.set_inference_time(3600.0);
    b.set_inference_time(3600.0);
    return std::make_pair(a.current_conductances_us(), b.current_conductances_us());
  };
  EXPECT_EQ(state(true), state(false));
  CrossbarArray alone(p, 5, 2);
  alone.program(wb);
  alone.set_inference_time(3600.0);
  EXPECT_EQ(alone.current_conductances_us(), state(true).second);
}

}  // namespace
}  // namespace aimc
