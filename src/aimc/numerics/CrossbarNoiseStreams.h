#pragma once
// Sub-id layout of a crossbar tile's per-read noise streams (CounterRng sub-ids are < 2^24), shared by the
// files of CrossbarArray: bits 0-1 phase, bits 2-5 bound-management pass, bit 8 calibration read; bit 23
// marks the frozen read noise of one inference time.
#include <cstdint>

namespace aimc::crossbar_streams {

constexpr int kSubPassShift = 2;
constexpr int kSubCalibration = 1 << 8;
constexpr uint32_t kSubFrozenNoise = 1u << 23;

}  // namespace aimc::crossbar_streams
