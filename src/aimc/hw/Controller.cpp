#include "aimc/hw/Controller.h"

#include "aimc/base/Error.h"
#include "aimc/hw/RegisterMap.h"

namespace aimc {

Controller::Controller(const sc_core::sc_module_name& name, const ArchConfig& arch,
                       std::vector<Command> table)
    : HwModule(name, arch.controller_period_ns()),
      tile_socket("tile_socket"),
      digital_socket("digital_socket"),
      network_socket("network_socket"),
      table_(std::move(table)),
      cycles_per_command_(static_cast<uint64_t>(arch.core.controller.cycles_per_command)),
      commands_(stats().add("commands", "1", "Commands fetched and issued")),
      busy_ns_(stats().add("issue_time", "ns", "Time spent fetching and issuing commands")) {
  if (!table_.empty()) SC_THREAD(run);
}

void Controller::write(tlm_utils::simple_initiator_socket<Controller>& socket, uint64_t base, uint64_t offset,
                       uint32_t value) {
  tlm::tlm_generic_payload trans;
  trans.set_command(tlm::TLM_WRITE_COMMAND);
  trans.set_address(base + offset);
  trans.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
  trans.set_data_length(4);
  trans.set_streaming_width(4);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  socket->b_transport(trans, delay);
  AIMC_ASSERT(trans.get_response_status() == tlm::TLM_OK_RESPONSE);
}

void Controller::run() {
  while (true) {
    if (!pending_) wait(start_event_);
    pending_ = false;
    first_begin_ns_ = -1;
    for (uint64_t s = first_; s < first_ + count_; ++s) {
      for (const Command& cmd : table_) {
        if (s == first_ && first_begin_ns_ < 0 && cmd.op != CommandOp::kWaitInput)
          first_begin_ns_ = sc_core::sc_time_stamp().to_seconds() * 1e9;
        wait(cycles(cycles_per_command_));
        commands_ += 1;
        busy_ns_ += static_cast<double>(cycles_per_command_) * period_ns();
        auto& socket = cmd.op == CommandOp::kMvm       ? tile_socket
                       : cmd.op == CommandOp::kDigital ? digital_socket
                                                       : network_socket;
        const uint64_t base = cmd.op == CommandOp::kMvm       ? regmap::kTileBase
                              : cmd.op == CommandOp::kDigital ? regmap::kDigitalBase
                                                              : regmap::kNetworkBase;
        const uint32_t args[6] = {cmd.a, cmd.b, cmd.c, cmd.d, cmd.e, cmd.f};
        for (int i = 0; i < 6; ++i)
          write(socket, base, regmap::kArg0 + 4 * static_cast<uint64_t>(i), args[i]);
        write(socket, base, regmap::kSample, static_cast<uint32_t>(s));
        write(socket, base, regmap::kGo, static_cast<uint32_t>(cmd.op));
      }
      if (s == first_) first_end_ns_ = sc_core::sc_time_stamp().to_seconds() * 1e9;
      if (sample_done) sample_done(s);
    }
  }
}

}  // namespace aimc
