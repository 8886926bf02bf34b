#pragma once
// The command-table sequencer: for each sample, fetches each command of the table (cycles_per_command
// controller cycles) and writes it into the target block's registers (six arguments, SAMPLE, PIXEL, GO). A
// kLoop command (fetched once) repeats the commands of its body, fetching each again per iteration.
#include <systemc>

#include "aimc/hw/Controller.h"
#include "aimc/hw/ControllerEngine.h"

namespace aimc {

class ControllerEngineCommandTable : public sc_core::sc_module, public ControllerEngine {
 public:
  SC_HAS_PROCESS(ControllerEngineCommandTable);
  ControllerEngineCommandTable(const sc_core::sc_module_name& name, Controller& controller,
                               const ArchConfig& arch);
  void start(uint64_t first, uint64_t count) override;

 private:
  void run();
  void write(uint64_t address, uint32_t value);
  // Fetching a command costs cycles_per_command controller cycles; issuing writes it into its block.
  void fetch(uint64_t sample, CommandOp op);
  void issue(const Command& cmd, uint64_t sample, uint32_t pixel);

  Controller& c_;
  uint64_t cycles_per_command_;
  uint64_t first_ = 0, count_ = 0;
  sc_core::sc_event start_event_;
  bool pending_ = false;
};

}  // namespace aimc
