#pragma once
// The core's controller: a command-table sequencer that executes the compiler's static schedule once per
// sample, writing each command into the target block's registers over TLM-2.0 (RegisterMap.h). Fetching and
// issuing a command costs cycles_per_command controller cycles. (RISC-V controllers running firmware replace
// this sequencer in issue 5 behind the same register map.)
#include <functional>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "aimc/compiler/Mapping.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/hw/HwModule.h"

namespace aimc {

class Controller : public HwModule {
 public:
  tlm_utils::simple_initiator_socket<Controller> tile_socket;
  tlm_utils::simple_initiator_socket<Controller> digital_socket;
  tlm_utils::simple_initiator_socket<Controller> network_socket;

  SC_HAS_PROCESS(Controller);
  Controller(const sc_core::sc_module_name& name, const ArchConfig& arch, std::vector<Command> table);

  // Runs samples [first, first + count) when started; `sample_done` is called after each one.
  void start(uint64_t first, uint64_t count) {
    first_ = first;
    count_ = count;
    pending_ = true;  // start() may come before the kernel runs this thread for the first time
    start_event_.notify(sc_core::SC_ZERO_TIME);
  }
  std::function<void(uint64_t)> sample_done;
  bool idle() const { return table_.empty(); }
  // Simulated time (ns) at which the first sample of the last run began its first non-wait command and ended.
  double first_sample_begin_ns() const { return first_begin_ns_; }
  double first_sample_end_ns() const { return first_end_ns_; }

 private:
  void run();
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
};

}  // namespace aimc
