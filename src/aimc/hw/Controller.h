#pragma once
// The core's controller executes the compiler's static schedule (the per-core command table) once per
// sample, writing each command into the target block's registers over TLM-2.0 (RegisterMap.h). The engine
// that does it is chosen by core.controller.kind (ControllerEngine.h):
//  - command_table: a sequencer; fetching and issuing a command costs cycles_per_command controller cycles.
//  - riscv: an RV32IM hart (aimc/riscv) runs the firmware (src/firmware) with the table placed in its SRAM
//    at load time; its loads and stores outside SRAM reach the blocks' registers and the controller's control
//    page (start doorbell, sample done), so every instruction costs its cycles.
// A controller drives core.controller.cores_per_controller cores (a cluster): one set of block sockets per
// core slot, at base + slot * kCoreStride in its memory map, and runs their merged table (Mapping.h
// controller_commands). Every controller also reaches the chip's mailbox/barrier block (ControllerMailbox).
#include <functional>
#include <memory>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/HwModule.h"
#include "aimc/isa/Mapping.h"

namespace aimc {

class ControllerEngine;

class Controller : public HwModule {
 public:
  using Socket = tlm_utils::simple_initiator_socket_optional<Controller>;
  // The blocks of the core in slot k (bound by the Core it drives; a slot without a core stays unbound).
  Socket& tile_socket(size_t slot) { return *tile_sockets_[slot]; }
  Socket& digital_socket(size_t slot) { return *digital_sockets_[slot]; }
  Socket& network_socket(size_t slot) { return *network_sockets_[slot]; }
  Socket& dma_socket(size_t slot) { return *dma_sockets_[slot]; }
  // The chip's mailbox/barrier block (unbound in a core simulated without a chip).
  Socket mailbox_socket;

  // `table`: this controller's merged table; batch-end commands (kBarrier kBarrierBatchEnd) run once after
  // the last sample of a run, the rest once per sample.
  Controller(const sc_core::sc_module_name& name, const ArchConfig& arch, const std::vector<Command>& table);
  ~Controller() override;

  // Runs samples [first, first + count) when started; every `on_sample_done` listener hears of each one.
  void start(uint64_t first, uint64_t count);
  // Runs the set-up commands (kConfigure: the digital units' registers for this inference time) once; the
  // chip calls it at the start of a run and lets it finish before the first sample. Recorded in the stats
  // configure_time (ns, summed over runs) and last_configure_time.
  void configure();
  bool has_setup() const { return !setup_.empty(); }
  const std::vector<Command>& setup_table() const { return setup_; }
  // For the engines: the configuration phase that started at `begin_ns` has finished now.
  void finish_setup();
  void on_sample_done(std::function<void(uint64_t)> listener) { sample_done_.push_back(std::move(listener)); }
  bool idle() const { return table_.empty() && batch_end_.empty() && setup_.empty(); }
  size_t core_slots() const { return tile_sockets_.size(); }
  // Simulated time (ns) at which the first sample of the last run began its first non-wait command and ended.
  double first_sample_begin_ns() const { return first_begin_ns_; }
  double first_sample_end_ns() const { return first_end_ns_; }

  // For the engines.
  const std::vector<Command>& table() const { return table_; }
  const std::vector<Command>& batch_end_table() const { return batch_end_; }
  // The socket of the block whose registers hold `address` (RegisterMap.h), or nullptr.
  Socket* socket_for(uint64_t address);
  // The base address of the block a command goes to (its op and core slot).
  static uint64_t block_base(const Command& cmd);
  Stat& commands() { return commands_; }
  Stat& busy_ns() { return busy_ns_; }
  // Bookkeeping of a command about to start and of a finished sample (at the current simulated time + `at`).
  void note_command(uint64_t sample, CommandOp op, double at_ns);
  void finish_sample(uint64_t sample);

 private:
  std::vector<Command> table_, batch_end_, setup_;
  std::vector<std::unique_ptr<Socket>> tile_sockets_, digital_sockets_, network_sockets_, dma_sockets_;
  std::vector<std::function<void(uint64_t)>> sample_done_;
  uint64_t first_ = 0;
  double first_begin_ns_ = -1, first_end_ns_ = -1;
  Stat& commands_;
  Stat& busy_ns_;
  Stat& configure_ns_;
  Stat& last_configure_ns_;
  double setup_begin_ns_ = 0;
  std::unique_ptr<ControllerEngine> engine_;
};

}  // namespace aimc
