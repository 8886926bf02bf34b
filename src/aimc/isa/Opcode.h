#pragma once
// The controllers' operations as C++ sees them, generated from the one list (isa/OpcodeList.h): the opcode
// enum, each operation's mnemonic and the block that runs it.
#include <cstdint>

#include "aimc/isa/OpcodeList.h"
#include "aimc/isa/RegisterMap.h"

namespace aimc {

enum class CommandOp : uint8_t {
#define AIMC_ISA_ENUM(name, value, block, mnemonic) k##name = value,
  AIMC_ISA_OPCODES(AIMC_ISA_ENUM)
#undef AIMC_ISA_ENUM
};

// Which block of a core runs an operation: the page of the memory map the controller writes it to.
enum class CommandBlock : uint8_t { kTile, kDigital, kNetwork, kDma, kMailbox, kController };

constexpr const char* op_name(CommandOp op) {
  switch (op) {
#define AIMC_ISA_NAME(name, value, block, mnemonic) \
  case CommandOp::k##name:                          \
    return mnemonic;
    AIMC_ISA_OPCODES(AIMC_ISA_NAME)
#undef AIMC_ISA_NAME
  }
  return "unknown";
}

constexpr CommandBlock op_block(CommandOp op) {
  switch (op) {
#define AIMC_ISA_BLOCK(name, value, block, mnemonic) \
  case CommandOp::k##name:                           \
    return CommandBlock::k##block;
    AIMC_ISA_OPCODES(AIMC_ISA_BLOCK)
#undef AIMC_ISA_BLOCK
  }
  return CommandBlock::kController;
}

// The page base of a block in the controller's memory map (0 for the controller itself).
constexpr uint64_t block_base(CommandBlock block) {
  switch (block) {
    case CommandBlock::kTile:
      return regmap::kTileBase;
    case CommandBlock::kDigital:
      return regmap::kDigitalBase;
    case CommandBlock::kNetwork:
      return regmap::kNetworkBase;
    case CommandBlock::kDma:
      return regmap::kDmaBase;
    case CommandBlock::kMailbox:
      return regmap::kMailboxBase;
    case CommandBlock::kController:
      return 0;
  }
  return 0;
}

// The firmware's opcodes (regmap::kOp*) are generated from the same list; the opcodes fit the op byte of the
// firmware's table word (op | slot << kOpSlotShift).
#define AIMC_ISA_CHECK(name, value, block, mnemonic)                              \
  static_assert(regmap::kOp##name == static_cast<uint64_t>(CommandOp::k##name) && \
                    static_cast<uint64_t>(CommandOp::k##name) <= regmap::kOpMask, \
                "regmap::kOp" #name " differs from CommandOp::k" #name);
AIMC_ISA_OPCODES(AIMC_ISA_CHECK)
#undef AIMC_ISA_CHECK

}  // namespace aimc
