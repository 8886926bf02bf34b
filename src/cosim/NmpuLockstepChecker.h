#pragma once
// Lockstep checker for rtl/nmpu/nmpu_top.sv, in the style of Ibex's co-simulation (dv/cosim/cosim.h): the
// reference is NmpuModel (bit-exact arithmetic) inside a cycle model of the RTL's handshake (PipeDepth stages
// that advance together when the output stage is empty or taken). Each cycle, step() gets the inputs driven
// and the outputs the RTL showed before the clock edge, compares in_ready, out_valid and, when valid, every
// output bit, then advances the reference by one edge. With the activation stage (params.activation.enabled)
// the pipeline has activation.pipeline_depth more stages and the reference applies the shared activation
// registers written through cfg_act_we (read when a value is accepted: write them while the stream is idle).
// A mismatch prints the cycle, the inputs of the beat and both outputs.
#include <cstdint>
#include <ostream>
#include <vector>

#include "aimc/numerics/NmpuModel.h"
#include "cosim/NmpuPorts.h"

namespace aimc {

class NmpuLockstepChecker {
 public:
  // log receives mismatch reports (at most max_reports; later mismatches are only counted).
  NmpuLockstepChecker(const NmpuParams& params, std::ostream& log, uint64_t max_reports = 10);

  // Returns true if the observed outputs equal the reference's in this cycle.
  bool step(const NmpuPortInputs& in, const NmpuPortOutputs& observed);

  // Reset: empties the pipeline (the RTL's valid bits reset; the coefficient registers keep their values).
  void reset();

  uint64_t errors() const { return errors_; }
  uint64_t cycle() const { return cycle_; }
  uint64_t values_checked() const { return values_checked_; }
  const NmpuModel& model() const { return model_; }
  const std::vector<NmpuChannel>& channels() const { return channels_; }
  // The activation stage's shared registers as the reference believes them to be (params.activation.enabled).
  const NmpuActivation& activation() const { return act_; }

 private:
  struct Slot {
    bool valid = false;
    uint64_t accept_cycle = 0;
    NmpuPortInputs beat;
    std::vector<NmpuChannel> coefficients;
    std::vector<int8_t> expected;
  };

  void report(const char* what, const NmpuPortInputs& in, const NmpuPortOutputs& observed, const Slot& out);

  NmpuModel model_;
  std::vector<NmpuChannel> channels_;  // the coefficient registers as the reference believes them to be
  NmpuActivation act_;                 // the shared activation registers (reset: stage off)
  std::vector<Slot> pipe_;             // pipe_[0] first stage, pipe_.back() drives the outputs
  std::ostream& log_;
  uint64_t max_reports_;
  uint64_t errors_ = 0;
  uint64_t cycle_ = 0;
  uint64_t values_checked_ = 0;
};

}  // namespace aimc
