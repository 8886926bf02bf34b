#pragma once
// The register values of one NMPU output channel, as written into the RTL's configuration registers: each
// coefficient is the integer q = value * 2^frac_bits of its format in NmpuParams (two's complement).
#include <cstdint>
#include <vector>

namespace aimc {

struct NmpuChannel {
  int32_t gain = 0;        // NmpuParams::gain
  int32_t offset = 0;      // NmpuParams::offset, ADC counts
  int32_t scale = 0;       // NmpuParams::scale, output LSB per corrected count
  int32_t bias = 0;        // NmpuParams::bias, output LSBs
  int32_t side_scale = 0;  // NmpuParams::side_scale, output LSB per side-input LSB
  bool relu1 = false;      // ReLU after scale and bias
  bool relu2 = false;      // ReLU after the side add
  int32_t act_slope_neg =
      0;  // NmpuActivationParams::slope: the activation's slope below 0 (PReLU, per channel)

  bool operator==(const NmpuChannel& o) const {
    return gain == o.gain && offset == o.offset && scale == o.scale && bias == o.bias &&
           side_scale == o.side_scale && relu1 == o.relu1 && relu2 == o.relu2 &&
           act_slope_neg == o.act_slope_neg;
  }
};

// The activation stage's registers shared by the channels of one register bank (NmpuParams.h), in the
// formats of NmpuActivationParams: slope_pos, slopes in `slope`; intercept, lo, hi, values in `value`;
// breakpoints in `breakpoint`. Disabled: the stage passes t2 through (relu2 applies as without the stage).
struct NmpuActivation {
  bool enabled = false;
  bool table = false;  // interpolated table rather than slope and clamp
  int32_t slope_pos = 0, intercept = 0, lo = 0, hi = 0;
  std::vector<int32_t> breakpoints;     // bins - 1
  std::vector<int32_t> values, slopes;  // bins each

  bool operator==(const NmpuActivation& o) const {
    return enabled == o.enabled && table == o.table && slope_pos == o.slope_pos && intercept == o.intercept &&
           lo == o.lo && hi == o.hi && breakpoints == o.breakpoints && values == o.values &&
           slopes == o.slopes;
  }
};

}  // namespace aimc
