#pragma once
// The core controller (keys core.controller.*; ArchParamsController.cpp).
#include <cstdint>

#include "aimc/base/EnumNames.h"
#include "aimc/config/RvTiming.h"

namespace aimc {

// core.controller.kind: what executes a core's command table (hw/ControllerEngine.h).
enum class ControllerKind : uint8_t {
  kCommandTable,  // a command-table sequencer
  kRiscv,         // an RV32IM hart running src/firmware
};
inline constexpr EnumName<ControllerKind> kControllerKindNames[] = {
    {ControllerKind::kCommandTable, "command_table"}, {ControllerKind::kRiscv, "riscv"}};
constexpr const auto& enum_names(ControllerKind) {
  return kControllerKindNames;
}

struct ControllerConfig {
  ControllerKind kind{};  // the declaration sets it
  double clock_mhz = 0;
  int64_t cycles_per_command = 0;
  // One controller drives this many neighbouring cores (core ids c*K .. c*K+K-1); its memory map holds one
  // set of block pages per core it drives (RegisterMap.h kCoreStride).
  int64_t cores_per_controller = 1;
  // The chip-level mailbox/barrier block between controllers (hw/ControllerMailbox).
  int64_t mailbox_latency = 0;  // controller cycles from a send / the last barrier arrival to its effect
  int64_t mailbox_depth = 0;    // words each controller's mailbox FIFO holds
  // The RISC-V controller (core.controller.riscv.*): timing model of aimc/config/RvTiming.h.
  int64_t mul_cycles = 0, div_cycles = 0, sram_latency = 0, load_use_penalty = 0, branch_penalty = 0;
  int64_t sram_bytes = 0;  // the RISC-V controller's SRAM (firmware, data, stack, command table)
  double quantum_ns = 0;   // temporal decoupling: how far a hart may run ahead of the rest of the chip

  riscv::RvTiming riscv_timing() const {
    riscv::RvTiming t;
    t.mul_cycles = static_cast<uint32_t>(mul_cycles);
    t.div_cycles = static_cast<uint32_t>(div_cycles);
    t.sram_latency = static_cast<uint32_t>(sram_latency);
    t.load_use_penalty = static_cast<uint32_t>(load_use_penalty);
    t.branch_penalty = static_cast<uint32_t>(branch_penalty);
    return t;
  }
};

}  // namespace aimc
