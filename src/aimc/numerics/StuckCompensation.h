#pragma once
// What programming does about stuck devices that a read-back after the first write finds (a device whose
// stuck state is further than `detect_tolerance_us` from its target). One output line at a time, on targets
// in uS, before the programming model writes them:
//
//  partner  re-aim the free devices of each cell with a detected stuck device so that the cell's difference
//           (sum G+ - sum G-) equals its wanted value where the free devices' range allows (the "reprogram
//           the partner device" fix: a G+ stuck at LRS is cancelled by raising G-).
//  offset   partner, then the error the stuck cells still carry, summed over the line, is offset over the
//           line's healthy cells: each moves by -E / m (m healthy cells). The line's total weight is kept, so
//           the output error cancels exactly for an input that drives all inputs equally and, for inputs of
//           equal mean (post-ReLU activations), in expectation; it costs each healthy cell E / m of error.
//           This is the column-offsetting idea of the MemTorch-based stuck-weight work (Li, Lammie et al.
//           2022, REFERENCE J: recover accuracy without retraining by absorbing a stuck device's error in
//           the column's remaining weights), in its simplest form; a digital per-line offset needs the sum
//           of the inputs, which the digital units do not have, so the correction stays in the array.
#include <cstdint>
#include <vector>

#include "aimc/numerics/AnalogParams.h"

namespace aimc {

// One output line: `planes` = 2 n device planes x `cols` cells, plane-major (plane p, cell c at p * cols +
// c); planes [0, n) are G+, [n, 2n) G-. stuck: 0 free, 1 high, 2 low.
struct StuckLine {
  int n = 1;
  int cols = 0;
  std::vector<double> target_us;  // in: wanted targets; out: compensated targets of the free devices
  std::vector<uint8_t> stuck;
};

struct StuckLineResult {
  int64_t detected = 0;
  int64_t cells_compensated = 0;
  bool offset = false;
};

struct StuckDeviceRange {
  double low_us = 0.0;   // weight-zero conductance (g_zero)
  double high_us = 0.0;  // g_zero + span
  double stuck_high_us = 0.0;
  double stuck_low_us = 0.0;
  double detect_tolerance_us = 0.0;
};

StuckLineResult compensate_stuck_line(StuckLine& line, const StuckDeviceRange& range, StuckCompensation mode);

}  // namespace aimc
