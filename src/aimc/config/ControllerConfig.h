#pragma once
// The core controller (keys core.controller.*; ArchParamsController.cpp).
#include <cstdint>
#include <string>

namespace aimc {

struct ControllerConfig {
  std::string kind;  // command_table
  double clock_mhz = 0;
  int64_t cycles_per_command = 0;
};

}  // namespace aimc
