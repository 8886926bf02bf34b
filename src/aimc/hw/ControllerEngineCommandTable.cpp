#include "aimc/hw/ControllerEngineCommandTable.h"

#include "aimc/base/Error.h"
#include "aimc/isa/RegisterMap.h"

namespace aimc {

ControllerEngineCommandTable::ControllerEngineCommandTable(const sc_core::sc_module_name& name,
                                                           Controller& controller, const ArchConfig& arch)
    : sc_core::sc_module(name),
      c_(controller),
      cycles_per_command_(static_cast<uint64_t>(arch.core.controller.cycles_per_command)) {
  SC_THREAD(run);
}

void ControllerEngineCommandTable::start(uint64_t first, uint64_t count) {
  first_ = first;
  count_ = count;
  pending_ = true;  // start() may come before the kernel runs this thread for the first time
  start_event_.notify(sc_core::SC_ZERO_TIME);
}

void ControllerEngineCommandTable::configure() {
  setup_pending_ = true;
  start_event_.notify(sc_core::SC_ZERO_TIME);
}

void ControllerEngineCommandTable::write(uint64_t address, uint32_t value) {
  tlm::tlm_generic_payload trans;
  trans.set_command(tlm::TLM_WRITE_COMMAND);
  trans.set_address(address);
  trans.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
  trans.set_data_length(4);
  trans.set_streaming_width(4);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  auto* socket = c_.socket_for(address);
  AIMC_ASSERT(socket != nullptr);
  (*socket)->b_transport(trans, delay);
  AIMC_ASSERT(trans.get_response_status() == tlm::TLM_OK_RESPONSE);
}

void ControllerEngineCommandTable::fetch() {
  wait(c_.cycles(cycles_per_command_));
  c_.commands() += 1;
  c_.busy_ns() += static_cast<double>(cycles_per_command_) * c_.period_ns();
}

void ControllerEngineCommandTable::issue(const Command& cmd, uint64_t sample, uint32_t pixel) {
  fetch();
  const uint64_t base = Controller::block_base(cmd);
  if (cmd.op == CommandOp::kBarrier) {
    const isa::Barrier barrier = isa::Barrier::decode(cmd);
    write(base + regmap::kBarrierParticipants, barrier.participants);
    write(base + regmap::kBarrierArrive, barrier.id);  // completes when every participant arrived
    return;
  }
  AIMC_ASSERT(cmd.op != CommandOp::kLoop);  // the compiler does not nest loops
  const uint32_t args[6] = {cmd.a, cmd.b, cmd.c, cmd.d, cmd.e, cmd.f};
  for (int i = 0; i < 6; ++i) write(base + regmap::kArg0 + 4 * static_cast<uint64_t>(i), args[i]);
  write(base + regmap::kSample, static_cast<uint32_t>(sample));
  write(base + regmap::kPixel, pixel);
  write(base + regmap::kGo, static_cast<uint32_t>(cmd.op));
}

void ControllerEngineCommandTable::run() {
  while (true) {
    if (!pending_ && !setup_pending_) wait(start_event_);
    if (setup_pending_) {
      setup_pending_ = false;
      for (const Command& cmd : c_.setup_table()) issue(cmd, 0, 0);
      c_.finish_setup();
      continue;
    }
    pending_ = false;
    const std::vector<Command>& table = c_.table();
    for (uint64_t s = first_; s < first_ + count_; ++s) {
      for (size_t i = 0; i < table.size(); ++i) {
        c_.note_command(s, table[i].op, sc_core::sc_time_stamp().to_seconds() * 1e9);
        if (table[i].op != CommandOp::kLoop) {
          issue(table[i], s, 0);
          continue;
        }
        // The loop command is fetched once; its body is fetched again on every iteration.
        fetch();
        const isa::Loop loop = isa::Loop::decode(table[i]);
        const size_t body = loop.body;
        AIMC_ASSERT(i + body < table.size());
        for (uint32_t p = 0; p < loop.count; ++p)
          for (size_t k = 1; k <= body; ++k) {
            c_.note_command(s, table[i + k].op, sc_core::sc_time_stamp().to_seconds() * 1e9);
            issue(table[i + k], s, p);
          }
        i += body;
      }
      c_.finish_sample(s);
    }
    if (count_ > 0)
      for (const Command& cmd : c_.batch_end_table()) issue(cmd, first_ + count_ - 1, 0);
  }
}

}  // namespace aimc
