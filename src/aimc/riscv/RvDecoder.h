#pragma once
// Decodes one 32-bit instruction word of RV32IM + Zicsr (machine mode) into an RvInstruction. Anything else —
// compressed encodings, RV64 or floating-point opcodes, reserved funct fields — decodes to RvOp::kIllegal.
#include <cstdint>

#include "aimc/riscv/RvInstruction.h"

namespace aimc::riscv {

class RvDecoder {
 public:
  static RvInstruction decode(uint32_t word);
};

}  // namespace aimc::riscv
