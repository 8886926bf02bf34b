#pragma once
// The core's DMA engine, a CommandTarget on the controller's memory map (RegisterMap.h kDmaBase):
//  - kDmaCopy: copies bytes between SRAM slots of one sample, contiguous or gathering every f-th byte of the
//    source (a strided region);
//  - kConfigure: copies a configuration table (placed in SRAM by the loader, CoreMemory::table) into the
//    digital unit's configuration registers (bank c) through its master port on the core's local bus, so that
//    the controller programs one descriptor instead of writing every register (as DMA engines do on real
//    chips).
// Timing, in cycles of the digital unit's clock (the clock core.sram.latency_cycles counts), from the closed
// forms below (copy_cycles, configure_cycles), which the tests check:
//  - the SRAM is single-ported (an assumption: core.sram has one port width): a copy reads its source beats,
//    then writes its destination beats, latency + read_beats + write_beats; a beat is core.sram.width_bits,
//    a strided source costs one beat per distinct SRAM word it touches;
//  - configure: SRAM reads and register writes use different ports and overlap: latency + max(read_beats,
//    words), one 32-bit register write per cycle (the register file's write port, an assumption).
// Every byte read or written counts as an SRAM access for the energy model (CoreMemory::count_access).
#include <cstdint>

#include <tlm_utils/simple_initiator_socket.h>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/CommandTarget.h"
#include "aimc/hw/CoreMemory.h"
#include "aimc/hw/DigitalUnit.h"

namespace aimc {

class Dma : public CommandTarget {
 public:
  // Master port to the digital unit's configuration registers (RegisterMap.h kDigitalConfigBase).
  tlm_utils::simple_initiator_socket<Dma> config_port;

  Dma(const sc_core::sc_module_name& name, const ArchConfig& arch, CoreMemory& memory,
      const DigitalUnit& digital_unit);

  // Closed forms of the timing (cycles of this block's clock).
  static uint64_t copy_cycles(const SramConfig& sram, uint64_t bytes, uint64_t src_offset, uint64_t stride);
  static uint64_t configure_cycles(const SramConfig& sram, uint64_t words);

 protected:
  void execute(const Command& cmd, uint64_t sample) override;

 private:
  void copy(const Command& cmd, uint64_t sample);
  void configure(const Command& cmd);

  const SramConfig& sram_;
  CoreMemory& memory_;
  const DigitalUnit& digital_unit_;
  Stat& transfers_;
  Stat& bytes_;
  Stat& config_words_;
  Stat& busy_ns_;
};

}  // namespace aimc
