#pragma once
// The global digital processing unit (REFERENCE.md H): gdpu.slices slices in a row between core rows
// gdpu.feed_row and gdpu.feed_row + 1, slice s fed by the core of column s in row gdpu.feed_row
// (gdpu_feeding_core). A slice computes LSTM/GRU cell steps in FP16 (numerics/GdpuCell.h, the functional step
// step::gdpu_step) with its own state registers and the scale banks the loader set (Mapping::gdpu_banks).
//
// On the network: the feeding core's network interface streams a step's gate vector into the slice
// (kGdpuStep; the slice sits against that core's router, so the stream takes no network link), and the slice
// injects h_t into the network at that router, to the step's destination core and slot (or the chip's output
// port), like a core's send: it arrives after the network's own latency and contention.
//
// Timing, in whole cycles of the GDPU clock (gdpu.clock), from the closed form step_cycles():
//   a step of U units streams N = 4U inputs, one per cycle (cycles 0 .. N-1); unit k's last input is in at
//   the end of cycle 4k + 3 and its output leaves the pipeline gdpu.pipeline_cycles (P) later, the outputs at
//   least gdpu.cycles_per_output (R) apart: the last output at
//     T(U) = 4 + P + max(4, R) (U - 1)        cycles after the first input (R = 4: 4U + P).
//   The feeding core is busy for the N streaming cycles; a slice runs one step at a time (the next step's
//   first input enters once the previous step's last output is out), so T is also its busy time per step.
//   The h_t packet is injected at T (its head leaves on the network clock's next edge, as every packet's).
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/HwModule.h"
#include "aimc/hw/NetworkInterface.h"
#include "aimc/hw/Noc.h"
#include "aimc/isa/Instructions.h"
#include "aimc/isa/Mapping.h"

namespace aimc {

class Gdpu : public HwModule {
 public:
  SC_HAS_PROCESS(Gdpu);
  Gdpu(const sc_core::sc_module_name& name, const ArchConfig& arch, const Mapping& mapping, Noc& noc,
       NetworkInterface::Deliver deliver);

  // Closed form: GDPU cycles from the first serial input of a step of `units` units to its last output.
  static uint64_t step_cycles(const GdpuConfig& g, uint64_t units);

  // kGdpuStep from the feeding core of `slice`, in its controller's thread: waits until the slice is free,
  // streams `gates` in (returns when the last value is in), runs the step and schedules the h_t packet.
  void step(int slice, const isa::GdpuStep& g, uint32_t pixel, uint64_t sample, const int8_t* gates);

  // The last step's first-input and last-output times (for timing tests and reports).
  struct StepTimes {
    sc_core::sc_time first_input, last_output;
  };
  const StepTimes& last_step() const { return last_step_; }

 private:
  struct Slice {
    std::vector<Fp16> state;
    sc_core::sc_time free_at;  // the previous step's last output
  };
  struct Output {
    sc_core::sc_time at;
    int router = 0;  // the feeding core's
    NetworkInterface::Packet packet;
    std::vector<int8_t> data;
    bool operator>(const Output& o) const { return at > o.at; }
  };
  void check_step(int slice, const isa::GdpuStep& g) const;
  void on_output();  // injects the packets whose last output is out

  const ArchConfig& arch_;
  const Mapping& mapping_;
  Noc& noc_;
  NetworkInterface::Deliver deliver_;
  std::vector<Slice> slices_;
  std::priority_queue<Output, std::vector<Output>, std::greater<Output>> outputs_;
  sc_core::sc_event output_event_;
  StepTimes last_step_;
  Stat& steps_;
  Stat& inputs_;
  Stat& outputs_stat_;
  Stat& busy_cycles_;
  Stat& lut_lookups_;
  Stat& fmas_;
  Stat& state_accesses_;
};

}  // namespace aimc
