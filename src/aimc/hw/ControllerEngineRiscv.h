#pragma once
// The RISC-V controller: an RV32IM hart (aimc/riscv/RvHartModule) runs the firmware (src/firmware) from its
// SRAM, where the core's command table is placed at load time. The hart's accesses outside SRAM arrive here:
// block registers go on to the Controller's sockets, the control page (RegisterMap.h kControlBase) starts a
// run (doorbell = machine external interrupt) and reports finished samples. The hart's counters are mirrored
// into the Controller's stats (instructions, instructions_<class>, cycles, stall_time, sleep_time).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "aimc/hw/Controller.h"
#include "aimc/hw/ControllerEngine.h"
#include "aimc/hw/RvHartModule.h"
#include "aimc/riscv/Htif.h"

namespace aimc {

class ControllerEngineRiscv : public sc_core::sc_module, public ControllerEngine {
 public:
  ControllerEngineRiscv(const sc_core::sc_module_name& name, Controller& controller, const ArchConfig& arch);
  void start(uint64_t first, uint64_t count) override;
  // Rings the doorbell with the control page's SETUP flag set: the firmware runs the set-up commands (its
  // own loads and stores) and writes SETUP_DONE.
  void configure() override;

 private:
  void load_firmware(const ArchConfig& arch);
  void transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void publish_stats();

  Controller& c_;
  riscv::RvHartModule hart_;
  tlm_utils::simple_target_socket<ControllerEngineRiscv> bus_;
  std::unique_ptr<riscv::Htif> htif_;
  uint32_t ctl_first_ = 0, ctl_count_ = 0, ctl_setup_ = 0;
  uint64_t current_sample_ = 0;  // the sample the firmware works on (samples run in order)
  std::vector<std::pair<std::string, Stat*>> mirrored_;
};

}  // namespace aimc
