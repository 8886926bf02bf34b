#pragma once
// What executes a core's command table inside its Controller (strategy; chosen by core.controller.kind):
// ControllerEngineCommandTable (a sequencer) or ControllerEngineRiscv (an RV32IM hart running the firmware).
#include <cstdint>

namespace aimc {

class ControllerEngine {
 public:
  virtual ~ControllerEngine() = default;
  // Runs samples [first, first + count); reports each through Controller::finish_sample.
  virtual void start(uint64_t first, uint64_t count) = 0;
  // Runs the controller's set-up commands (Controller::setup_table) once; ends with
  // Controller::finish_setup.
  virtual void configure() = 0;
};

}  // namespace aimc
