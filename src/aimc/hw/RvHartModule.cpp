#include "aimc/hw/RvHartModule.h"

#include <cmath>

#include "aimc/base/Error.h"

namespace aimc::riscv {

RvHartModule::RvHartModule(const sc_core::sc_module_name& name, double period_ns, const RvTiming& timing,
                           double quantum_ns)
    : HwModule(name, period_ns),
      socket("socket"),
      hart_(timing, *this),
      instructions_(stats().add("instructions", "1", "Instructions retired")),
      cycles_(stats().add("cycles", "1", "Controller cycles from reset to the last instruction")),
      stall_time_(stats().add("stall_time", "ns", "Time stalled on memory and block registers, load-use")),
      sleep_time_(stats().add("sleep_time", "ns", "Time asleep in wfi or waiting for a block")),
      traps_(stats().add("traps", "1", "Exceptions and interrupts taken")),
      bus_accesses_(stats().add("bus_accesses", "1", "Loads and stores to memory-mapped registers (TLM)")) {
  for (int c = 0; c < static_cast<int>(RvClass::kCount); ++c) {
    const std::string n = rv_class_name(static_cast<RvClass>(c));
    class_stats_[c] = &stats().add("instructions_" + n, "1", "Instructions retired of class " + n);
  }
  // The global quantum is shared by every initiator of the kernel; the largest requested one wins.
  const sc_core::sc_time q(quantum_ns, sc_core::SC_NS);
  if (tlm_utils::tlm_quantumkeeper::get_global_quantum() < q)
    tlm_utils::tlm_quantumkeeper::set_global_quantum(q);
  qk_.reset();
  SC_THREAD(run);
}

void RvHartModule::start(uint32_t pc, uint64_t max_instret) {
  hart_.reset(pc);
  max_instret_ = max_instret;
  started_ = true;
  start_event_.notify(sc_core::SC_ZERO_TIME);
}

void RvHartModule::set_external_interrupt(bool level) {
  hart_.set_external_interrupt(level);
  if (level) irq_event_.notify(sc_core::SC_ZERO_TIME);
}

uint64_t RvHartModule::cycle_at_or_after(const sc_core::sc_time& t) const {
  return static_cast<uint64_t>(std::ceil(t.to_seconds() * 1e9 / period_ns() - 1e-9));
}

void RvHartModule::run() {
  if (!started_) wait(start_event_);
  hart_.sleep_until(cycle_at_or_after(sc_core::sc_time_stamp()));
  synced_ = sc_core::sc_time_stamp();
  while (true) {
    // Run up to the end of the current quantum, then let the rest of the chip catch up.
    const sc_core::sc_time horizon = synced_ + qk_.get_global_quantum();
    const RvHart::Stop stop =
        hart_.run(std::max(cycle_at_or_after(horizon), hart_.cycle() + 1), max_instret_);
    if (stop == RvHart::Stop::kBudget) {
      sync_to(time_of(hart_.cycle()), true);
      continue;
    }
    sync_to(time_of(hart_.cycle()),
            false);  // the simulated time catches up with the hart before it waits or ends
    if (stop == RvHart::Stop::kWaitForInterrupt) {
      const uint64_t wake = hart_.timer_wake_cycle();
      if (wake != UINT64_MAX && wake > hart_.cycle())
        wait(time_of(wake) - sc_core::sc_time_stamp(), irq_event_);
      else if (wake == UINT64_MAX)
        wait(irq_event_);  // no timer: only an external interrupt wakes the hart
      synced_ = sc_core::sc_time_stamp();
      due_known_ = false;
      hart_.sleep_until(cycle_at_or_after(synced_));
      continue;
    }
    publish_stats();
    if (finished) finished(stop);
    return;
  }
}

void RvHartModule::sync_to(const sc_core::sc_time& t, bool may_skip) {
  // Nothing else can happen in the kernel up to t: the wait would only resume this thread, at t. Later
  // quanta start from t as they would have, and the kernel catches up before the next access or wait.
  // The time of the kernel's next activity holds until this thread waits or calls a target (due_known_).
  if (may_skip && !due_known_) {
    due_ = sc_core::sc_time_stamp() + sc_core::sc_time_to_pending_activity();
    due_known_ = true;
  }
  if (may_skip && t > synced_ && due_ > t) {
    synced_ = t;
    ++skipped_syncs_;
    return;
  }
  catch_up();
  qk_.set(t - sc_core::sc_time_stamp());
  qk_.sync();
  synced_ = sc_core::sc_time_stamp();
  due_known_ = false;
}

void RvHartModule::catch_up() {
  if (synced_ > sc_core::sc_time_stamp()) wait(synced_ - sc_core::sc_time_stamp());
  due_known_ = false;
}

bool RvHartModule::transport(tlm::tlm_command cmd, uint32_t addr, unsigned size, uint32_t& value,
                             uint64_t& cycle) {
  tlm::tlm_generic_payload trans;
  trans.set_command(cmd);
  trans.set_address(addr);
  trans.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
  trans.set_data_length(size);
  trans.set_streaming_width(size);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  catch_up();  // the target sees the kernel where it would be had every quantum synchronised
  // The hart is ahead of the kernel by its local offset; the target sees that as the annotated delay.
  sc_core::sc_time delay = time_of(cycle) - sc_core::sc_time_stamp();
  socket->b_transport(trans, delay);
  bus_accesses_ += 1;
  synced_ = sc_core::sc_time_stamp();  // the target may have waited: the next quantum starts from here
  due_known_ = false;                  // and may have notified events
  if (trans.get_response_status() != tlm::TLM_OK_RESPONSE) return false;
  cycle = std::max(cycle, cycle_at_or_after(sc_core::sc_time_stamp() + delay));
  return true;
}

bool RvHartModule::read(uint32_t addr, unsigned size, uint32_t& value, uint64_t& cycle) {
  value = 0;
  return transport(tlm::TLM_READ_COMMAND, addr, size, value, cycle);
}

bool RvHartModule::write(uint32_t addr, unsigned size, uint32_t value, uint64_t& cycle) {
  return transport(tlm::TLM_WRITE_COMMAND, addr, size, value, cycle);
}

void RvHartModule::publish_stats() {
  instructions_.set(static_cast<double>(hart_.instret()));
  for (int c = 0; c < static_cast<int>(RvClass::kCount); ++c)
    class_stats_[c]->set(static_cast<double>(hart_.class_count(static_cast<RvClass>(c))));
  cycles_.set(static_cast<double>(hart_.cycle()));
  stall_time_.set(static_cast<double>(hart_.stall_cycles()) * period_ns());
  sleep_time_.set(static_cast<double>(hart_.sleep_cycles()) * period_ns());
  traps_.set(static_cast<double>(hart_.traps()));
}

}  // namespace aimc::riscv
