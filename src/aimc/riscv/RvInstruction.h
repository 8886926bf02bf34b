#pragma once
// A decoded RV32IM + Zicsr instruction, as held in the hart's decode cache: the opcode resolved to one enum
// value, immediates sign-extended and shifted once, and the timing class the timing model charges.
#include <cstdint>

namespace aimc::riscv {

enum class RvOp : uint8_t {
  kIllegal,
  kLui,
  kAuipc,
  kJal,
  kJalr,
  kBeq,
  kBne,
  kBlt,
  kBge,
  kBltu,
  kBgeu,
  kLb,
  kLh,
  kLw,
  kLbu,
  kLhu,
  kSb,
  kSh,
  kSw,
  kAddi,
  kSlti,
  kSltiu,
  kXori,
  kOri,
  kAndi,
  kSlli,
  kSrli,
  kSrai,
  kAdd,
  kSub,
  kSll,
  kSlt,
  kSltu,
  kXor,
  kSrl,
  kSra,
  kOr,
  kAnd,
  kMul,
  kMulh,
  kMulhsu,
  kMulhu,
  kDiv,
  kDivu,
  kRem,
  kRemu,
  kFence,
  kFenceI,
  kEcall,
  kEbreak,
  kMret,
  kWfi,
  kCsrrw,
  kCsrrs,
  kCsrrc,
  kCsrrwi,
  kCsrrsi,
  kCsrrci,
};

// Timing classes (RvTiming.h gives each its cycles); also the suffix of the `instructions_<class>` stats.
enum class RvClass : uint8_t { kAlu, kMul, kDiv, kLoad, kStore, kBranch, kJump, kCsr, kSystem, kCount };

inline const char* rv_class_name(RvClass c) {
  static const char* const kNames[] = {"alu",    "mul",  "div", "load",  "store",
                                       "branch", "jump", "csr", "system"};
  return kNames[static_cast<int>(c)];
}

// rd == 0 is decoded as kSinkReg so that execution writes rd unconditionally and x0 stays zero.
constexpr uint8_t kSinkReg = 32;

struct RvInstruction {
  RvOp op = RvOp::kIllegal;
  RvClass cls = RvClass::kSystem;
  uint8_t rd = kSinkReg, rs1 = 0, rs2 = 0;
  bool valid = false;  // decode-cache entry filled (cleared by a store to its word)
  int32_t imm = 0;     // I/S/B/U/J immediate, shift amount, CSR number (csr ops), zimm in rs1 (csr*i)
  uint32_t raw = 0;    // the instruction word (mtval of an illegal-instruction trap)
};

}  // namespace aimc::riscv
