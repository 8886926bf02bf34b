#pragma once
// A command as the controllers hold and issue it: an opcode and the six 32-bit argument registers a..f of the
// target block (isa/RegisterMap.h). This is the encoded form; isa/Instructions.h gives every operation its
// typed fields and is the only place that packs them into these words or unpacks them.
#include <cstdint>

#include "aimc/isa/Opcode.h"

namespace aimc {

struct Command {
  CommandOp op = CommandOp::kWaitInput;
  uint32_t a = 0, b = 0, c = 0, d = 0, e = 0, f = 0;
  // In a controller's table: which of the cores it drives the command is for (core id - first core id).
  uint32_t slot = 0;
};

// When a kBarrier runs: in every sample's table walk, or once after the last sample of a run.
constexpr uint32_t kBarrierEverySample = 0;
constexpr uint32_t kBarrierBatchEnd = 1;

// No side-input slot (kDigital); the chip's output port as a destination core (kSend, kSendRows).
constexpr uint32_t kNoSlot = 0xFFFFu;
constexpr uint32_t kOutputPort = 0xFFFFFFFFu;

}  // namespace aimc
