#pragma once
// A RISC-V hart as a SystemC block: the plain RvHart engine runs ahead of simulated time by up to one global
// quantum (temporal decoupling with tlm_utils::tlm_quantumkeeper) and synchronises only at the quantum
// boundary, on a memory-mapped access outside its RAM (a TLM-2.0 b_transport on `socket`, annotated with the
// hart's local time offset; the target's annotation or wait becomes the access latency) and on wfi. The
// hart's cycle count is absolute: cycle n is simulated time n * period, so mtime is simulated time.
//
// A quantum boundary before which the kernel has nothing else to do (no process runnable, no event due up to
// it: sc_time_to_pending_activity) is not waited for: the wait would only resume the hart at that time. The
// hart goes on from there as it would have (`synced_` keeps the time the kernel would be at) and the kernel
// catches up before the next memory-mapped access, wfi or end, so targets see the times and delays they
// would have. Simulated results are the same; a hart computing alone skips the kernel's context switch at
// every quantum (bench_iss: 400 cycles, about 250 instructions, at the default 1 us).
#include <functional>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "aimc/hw/HwModule.h"
#include "aimc/riscv/RvBus.h"
#include "aimc/riscv/RvHart.h"

namespace aimc::riscv {

class RvHartModule : public HwModule, private RvBus {
 public:
  tlm_utils::simple_initiator_socket<RvHartModule> socket;

  SC_HAS_PROCESS(RvHartModule);
  // quantum_ns: how far the hart may run ahead of the SystemC kernel.
  RvHartModule(const sc_core::sc_module_name& name, double period_ns, const RvTiming& timing,
               double quantum_ns);

  RvHart& hart() { return hart_; }
  // Starts the hart at `pc` (its thread runs when the simulation does) and stops it after `max_instret`
  // retired instructions. `finished` is called once with the reason the hart stopped.
  void start(uint32_t pc, uint64_t max_instret);
  std::function<void(RvHart::Stop)> finished;
  // Level of the machine external interrupt line (e.g. a block or the mailbox signalling the hart).
  void set_external_interrupt(bool level);
  // Copies the engine's counters into the stats (instructions, instructions_<class>, cycles, stall_time ...).
  void publish_stats();
  // Quantum boundaries not waited for (host bookkeeping, not a stat: the simulated behaviour is the same).
  uint64_t skipped_syncs() const { return skipped_syncs_; }

 private:
  void run();
  bool read(uint32_t addr, unsigned size, uint32_t& value, uint64_t& cycle) override;
  bool write(uint32_t addr, unsigned size, uint32_t value, uint64_t& cycle) override;
  bool transport(tlm::tlm_command cmd, uint32_t addr, unsigned size, uint32_t& value, uint64_t& cycle);
  sc_core::sc_time time_of(uint64_t cycle) const { return cycles(cycle); }
  uint64_t cycle_at_or_after(const sc_core::sc_time& t) const;
  // Synchronises the kernel with the hart's time t (skipped, if `may_skip`, when nothing else is due by t).
  void sync_to(const sc_core::sc_time& t, bool may_skip);
  // Waits until the kernel is at synced_ (after skipped quantum boundaries).
  void catch_up();

  RvHart hart_;
  tlm_utils::tlm_quantumkeeper qk_;
  sc_core::sc_event start_event_, irq_event_;
  uint64_t max_instret_ = 0;
  bool started_ = false;
  sc_core::sc_time synced_;  // where the kernel would be had every quantum boundary been waited for
  uint64_t skipped_syncs_ = 0;
  sc_core::sc_time due_;  // the kernel's next activity (sc_time_to_pending_activity), if due_known_
  bool due_known_ = false;
  Stat& instructions_;
  Stat* class_stats_[static_cast<int>(RvClass::kCount)];
  Stat& cycles_;
  Stat& stall_time_;
  Stat& sleep_time_;
  Stat& traps_;
  Stat& bus_accesses_;
};

}  // namespace aimc::riscv
