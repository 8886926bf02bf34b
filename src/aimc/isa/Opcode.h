#pragma once
// The controllers' operations as C++ sees them, generated from the one list (isa/OpcodeList.h): the opcode
// enum, each operation's mnemonic and the block that runs it.
#include <cstddef>
#include <cstdint>

#include "aimc/isa/OpcodeList.h"
#include "aimc/isa/RegisterMap.h"

namespace aimc {

enum class CommandOp : uint8_t {
#define AIMC_ISA_ENUM(name, value, block, mnemonic) k##name = (value),
  AIMC_ISA_OPCODES(AIMC_ISA_ENUM)
#undef AIMC_ISA_ENUM
};

// Which block of a core runs an operation: the page of the memory map the controller writes it to.
enum class CommandBlock : uint8_t { kTile, kDigital, kNetwork, kDma, kMailbox, kController };

// The list as a table indexed by opcode (the opcodes are 0, 1, 2, ... in list order; checked below).
struct OpInfo {
  CommandOp op;
  CommandBlock block;
  const char* mnemonic;
};
inline constexpr OpInfo kOpInfo[] = {
#define AIMC_ISA_INFO(name, value, block, mnemonic) {CommandOp::k##name, CommandBlock::k##block, (mnemonic)},
    AIMC_ISA_OPCODES(AIMC_ISA_INFO)
#undef AIMC_ISA_INFO
};
inline constexpr size_t kOpCount = sizeof(kOpInfo) / sizeof(kOpInfo[0]);

// Whether `op` is on the list (a GO register written by firmware may hold any value).
constexpr bool op_known(CommandOp op) {
  return static_cast<size_t>(op) < kOpCount;
}
constexpr const OpInfo& op_info(CommandOp op) {
  return kOpInfo[static_cast<size_t>(op)];
}
constexpr const char* op_name(CommandOp op) {
  return op_known(op) ? op_info(op).mnemonic : "unknown";
}
constexpr CommandBlock op_block(CommandOp op) {
  return op_known(op) ? op_info(op).block : CommandBlock::kController;
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
