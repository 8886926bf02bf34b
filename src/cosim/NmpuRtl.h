#pragma once
// The Verilated rtl/nmpu/nmpu_top.sv behind plain C++ (no Verilator header leaks out of NmpuRtl.cpp), so that
// the co-simulation and, later, the chip's digital unit can drive the RTL cycle by cycle.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "aimc/numerics/NmpuChannel.h"
#include "aimc/numerics/NmpuParams.h"
#include "cosim/NmpuPorts.h"

namespace aimc {

class NmpuRtlBackend;

class NmpuRtl {
 public:
  // activation_stage: the unit verilated with the activation stage (ActStage = 1) rather than without;
  // throws aimc::UserError if this build has no such unit (built_with_activation_stage()).
  // wave_path: write a VCD of every signal there ("" = no waves).
  explicit NmpuRtl(bool activation_stage = false, const std::string& wave_path = "");
  ~NmpuRtl();
  NmpuRtl(const NmpuRtl&) = delete;
  NmpuRtl& operator=(const NmpuRtl&) = delete;

  // The parameters the RTL was verilated with (rtl/CMakeLists.txt passes the same values to both); with the
  // stage, activation.enabled and NmpuActivationParams' defaults (the RTL's Act* defaults).
  static NmpuParams params(bool activation_stage = false);
  // Whether this build also holds the unit verilated with the activation stage.
  static bool built_with_activation_stage();
  NmpuParams own_params() const { return params(activation_stage_); }
  bool activation_stage() const { return activation_stage_; }

  // Holds reset for `cycles` clock cycles with all inputs idle.
  void reset(int cycles = 2);

  // Drives `in` with the clock low and returns the outputs of this cycle (before the next rising edge).
  NmpuPortOutputs evaluate(const NmpuPortInputs& in);

  // Rising then falling clock edge; the inputs of the last evaluate() are sampled.
  void clock_edge();

  uint64_t cycle() const { return cycle_; }

  // Closes the VCD of wave_path: complete under its name, or a UserError naming it (full disk).
  void close_wave();

  // Programs one channel's coefficients (six register writes, one per cycle; stream idle).
  void write_channel(uint32_t channel, const NmpuChannel& coefficients);
  // One configuration register write (NmpuRegisterMap field of `channel`), one cycle; stream idle.
  void write_field(uint32_t channel, uint32_t field, uint32_t wdata);
  // One write of the activation stage's shared registers (NmpuRegisterMap::apply_activation's index), one
  // cycle; stream idle. Asserts the unit has the stage.
  void write_activation(uint32_t index, uint32_t wdata);

  // Streams values [0, n) through the RTL without back-pressure, value i on channel first_channel + i (mod
  // channels), side input absent when side is nullptr. Writes out[0, n) and returns the cycles from the first
  // accepted beat to the last output taken (NmpuModel::latency_cycles(n)).
  uint64_t process_range(const uint32_t* pos, const uint32_t* neg, size_t first_channel, size_t n,
                         const int8_t* side, const bool* side_valid, int8_t* out);

 private:
  void write(const NmpuPortInputs& in);

  bool activation_stage_;
  std::unique_ptr<NmpuRtlBackend> v_;
  uint64_t cycle_ = 0;
  uint64_t time_ps_ = 0;
};

}  // namespace aimc
