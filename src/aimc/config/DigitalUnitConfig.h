#pragma once
// The digital unit of a core (keys core.digital_unit.*; ArchParamsDigital.cpp).
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

}  // namespace aimc
