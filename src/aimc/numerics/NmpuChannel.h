#pragma once
// The register values of one NMPU output channel, as written into the RTL's configuration registers: each
// coefficient is the integer q = value * 2^frac_bits of its format in NmpuParams (two's complement).
#include <cstdint>

namespace aimc {

struct NmpuChannel {
  int32_t gain = 0;        // NmpuParams::gain
  int32_t offset = 0;      // NmpuParams::offset, ADC counts
  int32_t scale = 0;       // NmpuParams::scale, output LSB per corrected count
  int32_t bias = 0;        // NmpuParams::bias, output LSBs
  int32_t side_scale = 0;  // NmpuParams::side_scale, output LSB per side-input LSB
  bool relu1 = false;      // ReLU after scale and bias
  bool relu2 = false;      // ReLU after the side add

  bool operator==(const NmpuChannel& o) const {
    return gain == o.gain && offset == o.offset && scale == o.scale && bias == o.bias &&
           side_scale == o.side_scale && relu1 == o.relu1 && relu2 == o.relu2;
  }
};

}  // namespace aimc
