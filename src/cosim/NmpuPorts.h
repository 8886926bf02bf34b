#pragma once
// Port values of rtl/nmpu/nmpu_top.sv in one clock cycle, as plain C++ (no Verilator types), shared by the
// Verilated wrapper (NmpuRtl) and the lockstep checker (NmpuLockstepChecker).
#include <cstdint>
#include <vector>

namespace aimc {

// What the testbench drives in one cycle (sampled by the RTL at the next rising edge).
struct NmpuPortInputs {
  bool cfg_we = false;
  uint32_t cfg_chan = 0;
  uint32_t cfg_field = 0;   // NmpuRegisterMap::Field
  uint32_t cfg_wdata = 0;   // also the data of cfg_act_we
  bool cfg_act_we = false;  // write cfg_wdata into the activation stage's shared word cfg_act_index
  uint32_t cfg_act_index = 0;

  bool in_valid = false;
  uint32_t in_chan = 0;             // channel of lane 0; lane l uses (in_chan + l) mod channels
  std::vector<uint32_t> pos;        // lanes entries, CCO positive counter
  std::vector<uint32_t> neg;        // lanes entries, CCO negative counter
  std::vector<int8_t> side;         // lanes entries, INT8 side input
  std::vector<uint8_t> side_valid;  // lanes entries, 0/1

  bool out_ready = true;
};

// What the RTL drives in that cycle, before the edge.
struct NmpuPortOutputs {
  bool in_ready = false;
  bool out_valid = false;
  std::vector<int8_t> out_data;  // lanes entries; meaningful only when out_valid
};

}  // namespace aimc
