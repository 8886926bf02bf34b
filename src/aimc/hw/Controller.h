#pragma once
// The core's controller executes the compiler's static schedule (the per-core command table) once per
// sample, writing each command into the target block's registers over TLM-2.0 (RegisterMap.h). Two engines,
// chosen by core.controller.kind:
//  - command_table: a sequencer; fetching and issuing a command costs cycles_per_command controller cycles.
//  - riscv: an RV32IM hart (aimc/riscv) runs the firmware (src/firmware) with the table placed in its SRAM
//    at load time; its loads and stores outside SRAM reach the blocks' registers and the controller's control
//    page (start doorbell, sample done) through this module, so every instruction costs its cycles.
#include <functional>
#include <memory>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "aimc/compiler/Mapping.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/hw/HwModule.h"
#include "aimc/riscv/Htif.h"
#include "aimc/riscv/RvHartModule.h"

namespace aimc {

class Controller : public HwModule {
 public:
  tlm_utils::simple_initiator_socket<Controller> tile_socket;
  tlm_utils::simple_initiator_socket<Controller> digital_socket;
  tlm_utils::simple_initiator_socket<Controller> network_socket;

  SC_HAS_PROCESS(Controller);
  Controller(const sc_core::sc_module_name& name, const ArchConfig& arch, std::vector<Command> table);

  // Runs samples [first, first + count) when started; `sample_done` is called after each one.
  void start(uint64_t first, uint64_t count);
  std::function<void(uint64_t)> sample_done;
  bool idle() const { return table_.empty(); }
  // Simulated time (ns) at which the first sample of the last run began its first non-wait command and ended.
  double first_sample_begin_ns() const { return first_begin_ns_; }
  double first_sample_end_ns() const { return first_end_ns_; }

 private:
  void run();
  void load_firmware(const ArchConfig& arch);
  // The RISC-V hart's bus: block registers (forwarded to the three sockets) and the control page.
  void hart_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void publish_hart_stats();
  void write(tlm_utils::simple_initiator_socket<Controller>& socket, uint64_t base, uint64_t offset,
             uint32_t value);

  std::vector<Command> table_;
  uint64_t cycles_per_command_;
  uint64_t first_ = 0, count_ = 0;
  double first_begin_ns_ = -1, first_end_ns_ = -1;
  sc_core::sc_event start_event_;
  bool pending_ = false;
  Stat& commands_;
  Stat& busy_ns_;

  // kind riscv only
  std::unique_ptr<riscv::RvHartModule> hart_;
  std::unique_ptr<tlm_utils::simple_target_socket<Controller>> hart_bus_;
  std::unique_ptr<riscv::Htif> htif_;
  uint32_t ctl_first_ = 0, ctl_count_ = 0;
  std::vector<std::pair<std::string, Stat*>> hart_stats_;  // mirrored from the hart for the energy report
};

}  // namespace aimc
