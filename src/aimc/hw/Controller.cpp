#include "aimc/hw/Controller.h"

#include "aimc/hw/ControllerEngineCommandTable.h"
#include "aimc/hw/ControllerEngineRiscv.h"
#include "aimc/hw/RegisterMap.h"

namespace aimc {

Controller::Controller(const sc_core::sc_module_name& name, const ArchConfig& arch,
                       std::vector<Command> table)
    : HwModule(name, arch.controller_period_ns()),
      tile_socket("tile_socket"),
      digital_socket("digital_socket"),
      network_socket("network_socket"),
      table_(std::move(table)),
      commands_(stats().add("commands", "1", "Commands fetched and issued")),
      busy_ns_(stats().add("issue_time", "ns", "Time spent fetching and issuing commands")) {
  if (table_.empty()) return;  // an unused core's controller never runs
  if (arch.core.controller.kind == "riscv")
    engine_ = std::make_unique<ControllerEngineRiscv>("riscv", *this, arch);
  else
    engine_ = std::make_unique<ControllerEngineCommandTable>("sequencer", *this, arch);
}

Controller::~Controller() = default;

void Controller::start(uint64_t first, uint64_t count) {
  first_ = first;
  first_begin_ns_ = first_end_ns_ = -1;
  if (engine_) engine_->start(first, count);
}

tlm_utils::simple_initiator_socket<Controller>* Controller::socket_for(uint64_t address) {
  const uint64_t block = address & ~(regmap::kBlockSpan - 1);
  return block == regmap::kTileBase      ? &tile_socket
         : block == regmap::kDigitalBase ? &digital_socket
         : block == regmap::kNetworkBase ? &network_socket
                                         : nullptr;
}

void Controller::note_command(uint64_t sample, CommandOp op, double at_ns) {
  if (sample == first_ && first_begin_ns_ < 0 && op != CommandOp::kWaitInput) first_begin_ns_ = at_ns;
}

void Controller::finish_sample(uint64_t sample) {
  if (sample == first_) first_end_ns_ = sc_core::sc_time_stamp().to_seconds() * 1e9;
  if (sample_done) sample_done(sample);
}

}  // namespace aimc
