#pragma once
/* The controllers' operations: the one list, read by C++ (isa/Opcode.h: CommandOp, names, target blocks) and
   by C (isa/RegisterMap.h: the firmware's regmap_kOp* values). Adding an operation is one line here, its
   typed instruction in isa/Instructions.h and its functional step in isa/FunctionalSteps.h.

   X(Name, opcode value, block, mnemonic): the block is the page of the core's memory map the controller
   writes the command to (RegisterMap.h k<Block>Base), or Controller for what the controller runs itself. */
#define AIMC_ISA_OPCODES(X)              \
  X(WaitInput, 0, Network, "wait_input") \
  X(Mvm, 1, Tile, "mvm")                 \
  X(Digital, 2, Digital, "digital")      \
  X(Send, 3, Network, "send")            \
  X(Barrier, 4, Mailbox, "barrier")      \
  X(Loop, 5, Controller, "loop")         \
  X(Pool, 6, Digital, "pool")            \
  X(SendRows, 7, Network, "send_rows")   \
  X(Multicast, 8, Network, "multicast")  \
  X(Depthwise, 9, Digital, "depthwise")  \
  X(Configure, 10, Dma, "configure")     \
  X(DmaCopy, 11, Dma, "dma_copy")        \
  X(Affine, 12, Digital, "affine")       \
  X(GdpuStep, 13, Network, "gdpu_step")
