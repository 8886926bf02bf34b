#pragma once
// The digital unit and local SRAM of a core (keys core.digital_unit.*, core.sram.*; ArchParamsDigital.cpp).
#include <cstdint>
#include <string>

namespace aimc {

struct DigitalUnitConfig {
  std::string kind;  // nmpu | ldpu_fp16
  std::string impl;  // cpp | rtl
  double clock_mhz = 0;
  int64_t lanes = 0;
  int64_t pipeline_depth = 0;
};

struct SramConfig {
  int64_t size_bytes = 0;
  int64_t width_bits = 0;
  int64_t latency_cycles = 0;
};

}  // namespace aimc
