#pragma once
// The command-table sequencer: for each sample, fetches each command of the table (cycles_per_command
// controller cycles) and writes it into the target block's registers (six arguments, SAMPLE, PIXEL, GO; a
// barrier: PARTICIPANTS, ARRIVE); a kLoop command (fetched once) repeats the commands of its body, fetching
// each again per iteration; after the last sample of a run, the batch-end commands.
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
  // The set-up commands cost what any command costs: the fetch, the register writes, then the block's time
  // (the DMA's transfer).
  void configure() override;

 private:
  void run();
  // Fetches `cmd` (cycles_per_command) and writes it into its block's registers (PIXEL = `pixel`); returns
  // when it is done.
  void issue(const Command& cmd, uint64_t sample, uint32_t pixel);
  void fetch();  // the cycles_per_command of fetching one command
  void write(uint64_t address, uint32_t value);

  Controller& c_;
  uint64_t cycles_per_command_;
  uint64_t first_ = 0, count_ = 0;
  sc_core::sc_event start_event_;
  bool pending_ = false, setup_pending_ = false;
};

}  // namespace aimc
