#include "aimc/hw/Controller.h"

#include <string>

#include "aimc/base/Error.h"

#include "aimc/hw/ControllerEngineCommandTable.h"
#include "aimc/hw/ControllerEngineRiscv.h"
#include "aimc/isa/RegisterMap.h"

namespace aimc {

Controller::Controller(const sc_core::sc_module_name& name, const ArchConfig& arch,
                       const std::vector<Command>& table)
    : HwModule(name, arch.controller_period_ns()),
      mailbox_socket("mailbox_socket"),
      commands_(stats().add("commands", "1", "Commands fetched and issued")),
      busy_ns_(stats().add("issue_time", "ns", "Time spent fetching and issuing commands")),
      configure_ns_(stats().add("configure_time", "ns",
                                "Configuration phases (digital-unit registers through the DMA), all runs; "
                                "not part of any sample's latency")),
      last_configure_ns_(stats().add("last_configure_time", "ns", "The last run's configuration phase")) {
  for (const Command& c : table) {
    if (c.op == CommandOp::kConfigure)
      setup_.push_back(c);
    else
      (c.op == CommandOp::kBarrier && isa::Barrier::decode(c).when == kBarrierBatchEnd ? batch_end_ : table_)
          .push_back(c);
  }
  const auto slots = static_cast<size_t>(arch.core.controller.cores_per_controller);
  AIMC_ASSERT(slots <= regmap::kMaxCoreSlots);
  for (size_t k = 0; k < slots; ++k) {
    // Slot 0 keeps the names of a one-core controller's sockets.
    const std::string suffix = k == 0 ? "" : std::to_string(k);
    tile_sockets_.push_back(std::make_unique<Socket>(("tile_socket" + suffix).c_str()));
    digital_sockets_.push_back(std::make_unique<Socket>(("digital_socket" + suffix).c_str()));
    network_sockets_.push_back(std::make_unique<Socket>(("network_socket" + suffix).c_str()));
    dma_sockets_.push_back(std::make_unique<Socket>(("dma_socket" + suffix).c_str()));
  }
  for (const auto* t : {&table_, &setup_})
    for (const Command& c : *t) AIMC_ASSERT(c.slot < slots);
  if (idle()) return;  // an unused controller never runs
  if (arch.core.controller.kind == ControllerKind::kRiscv)
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

void Controller::configure() {
  setup_begin_ns_ = sc_core::sc_time_stamp().to_seconds() * 1e9;
  if (engine_ && has_setup()) engine_->configure();
}

void Controller::finish_setup() {
  const double t = sc_core::sc_time_stamp().to_seconds() * 1e9 - setup_begin_ns_;
  configure_ns_ += t;
  last_configure_ns_.set(t);
}

Controller::Socket* Controller::socket_for(uint64_t address) {
  const uint64_t block = address & ~(regmap::kBlockSpan - 1);
  if (block == regmap::kMailboxBase) return mailbox_socket.size() > 0 ? &mailbox_socket : nullptr;
  const uint64_t slot = (block & 0x0FFFFFFFu) / regmap::kCoreStride;
  const uint64_t base = block - slot * regmap::kCoreStride;
  if (slot >= core_slots()) return nullptr;
  Socket* s = base == regmap::kTileBase      ? tile_sockets_[slot].get()
              : base == regmap::kDigitalBase ? digital_sockets_[slot].get()
              : base == regmap::kNetworkBase ? network_sockets_[slot].get()
              : base == regmap::kDmaBase     ? dma_sockets_[slot].get()
                                             : nullptr;
  return s != nullptr && s->size() > 0 ? s : nullptr;  // a slot without a core is not decoded
}

uint64_t Controller::block_base(const Command& cmd) {
  const CommandBlock block = op_block(cmd.op);
  AIMC_ASSERT_MSG(block != CommandBlock::kController, "the controller runs this command itself");
  // The mailbox page is the same for every core slot.
  const uint64_t base = aimc::block_base(block);
  return block == CommandBlock::kMailbox ? base : base + cmd.slot * regmap::kCoreStride;
}

void Controller::note_command(uint64_t sample, CommandOp op, double at_ns) {
  if (sample == first_ && first_begin_ns_ < 0 && op != CommandOp::kWaitInput) first_begin_ns_ = at_ns;
}

void Controller::finish_sample(uint64_t sample) {
  if (sample == first_) first_end_ns_ = sc_core::sc_time_stamp().to_seconds() * 1e9;
  for (auto& listener : sample_done_) listener(sample);
}

}  // namespace aimc
