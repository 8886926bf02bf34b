#pragma once
// The core's controller executes the compiler's static schedule (the per-core command table) once per
// sample, writing each command into the target block's registers over TLM-2.0 (RegisterMap.h). The engine
// that does it is chosen by core.controller.kind (ControllerEngine.h):
//  - command_table: a sequencer; fetching and issuing a command costs cycles_per_command controller cycles.
//  - riscv: an RV32IM hart (aimc/riscv) runs the firmware (src/firmware) with the table placed in its SRAM
//    at load time; its loads and stores outside SRAM reach the blocks' registers and the controller's control
//    page (start doorbell, sample done), so every instruction costs its cycles.
#include <functional>
#include <memory>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "aimc/compiler/Mapping.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/hw/HwModule.h"

namespace aimc {

class ControllerEngine;

class Controller : public HwModule {
 public:
  tlm_utils::simple_initiator_socket<Controller> tile_socket;
  tlm_utils::simple_initiator_socket<Controller> digital_socket;
  tlm_utils::simple_initiator_socket<Controller> network_socket;

  Controller(const sc_core::sc_module_name& name, const ArchConfig& arch, std::vector<Command> table);
  ~Controller() override;

  // Runs samples [first, first + count) when started; `sample_done` is called after each one.
  void start(uint64_t first, uint64_t count);
  std::function<void(uint64_t)> sample_done;
  bool idle() const { return table_.empty(); }
  // Simulated time (ns) at which the first sample of the last run began its first non-wait command and ended.
  double first_sample_begin_ns() const { return first_begin_ns_; }
  double first_sample_end_ns() const { return first_end_ns_; }

  // For the engines.
  const std::vector<Command>& table() const { return table_; }
  // The socket of the block whose registers hold `address` (RegisterMap.h), or nullptr.
  tlm_utils::simple_initiator_socket<Controller>* socket_for(uint64_t address);
  Stat& commands() { return commands_; }
  Stat& busy_ns() { return busy_ns_; }
  // Bookkeeping of a command about to start and of a finished sample (at the current simulated time + `at`).
  void note_command(uint64_t sample, CommandOp op, double at_ns);
  void finish_sample(uint64_t sample);

 private:
  std::vector<Command> table_;
  uint64_t first_ = 0;
  double first_begin_ns_ = -1, first_end_ns_ = -1;
  Stat& commands_;
  Stat& busy_ns_;
  std::unique_ptr<ControllerEngine> engine_;
};

}  // namespace aimc
