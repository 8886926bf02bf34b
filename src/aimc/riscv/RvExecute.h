#pragma once
// What an instruction computes, one meaning per operation for both ways the hart executes it: one instruction
// at a time (RvHart::step, traps, CSRs, memory-mapped accesses) and a decoded block in a tight loop
// (RvHart::run_block). Plain functions of the operands, inlined into both loops (always: with a constant
// operation the block loop's single switch keeps one operation per case).
#include <cstdint>
#include <limits>

#include "aimc/riscv/RvInstruction.h"

namespace aimc::riscv {

// lui, auipc and the register-immediate, register-register and M-extension operations: the value rd gets.
[[gnu::always_inline]] inline bool rv_is_alu(RvOp op) {
  return op == RvOp::kLui || op == RvOp::kAuipc || (op >= RvOp::kAddi && op <= RvOp::kRemu);
}

[[gnu::always_inline]] inline uint32_t rv_div(RvOp op, uint32_t a, uint32_t b) {
  const int32_t sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b);
  const bool overflow = sa == std::numeric_limits<int32_t>::min() && sb == -1;
  switch (op) {
    case RvOp::kDiv:
      return sb == 0 ? 0xFFFF'FFFFu : overflow ? a : static_cast<uint32_t>(sa / sb);
    case RvOp::kDivu:
      return b == 0 ? 0xFFFF'FFFFu : a / b;
    case RvOp::kRem:
      return sb == 0 ? a : overflow ? 0 : static_cast<uint32_t>(sa % sb);
    default:  // kRemu
      return b == 0 ? a : a % b;
  }
}

[[gnu::always_inline]] inline uint32_t rv_mul(RvOp op, uint32_t a, uint32_t b) {
  const auto sa = static_cast<int64_t>(static_cast<int32_t>(a)),
             sb = static_cast<int64_t>(static_cast<int32_t>(b));
  switch (op) {
    case RvOp::kMul:
      return a * b;
    case RvOp::kMulh:
      return static_cast<uint32_t>((sa * sb) >> 32);
    case RvOp::kMulhsu:
      return static_cast<uint32_t>(static_cast<uint64_t>(sa * static_cast<int64_t>(b)) >> 32);
    default:  // kMulhu
      return static_cast<uint32_t>((static_cast<uint64_t>(a) * b) >> 32);
  }
}

// Requires rv_is_alu(op). `imm` is the decoded immediate (shift amount for the shifts by immediate).
[[gnu::always_inline]] inline uint32_t rv_alu(RvOp op, uint32_t a, uint32_t b, int32_t imm, uint32_t pc) {
  const auto u = static_cast<uint32_t>(imm);
  switch (op) {
    case RvOp::kLui:
      return u;
    case RvOp::kAuipc:
      return pc + u;
    case RvOp::kAddi:
      return a + u;
    case RvOp::kSlti:
      return static_cast<int32_t>(a) < imm;
    case RvOp::kSltiu:
      return a < u;
    case RvOp::kXori:
      return a ^ u;
    case RvOp::kOri:
      return a | u;
    case RvOp::kAndi:
      return a & u;
    case RvOp::kSlli:
      return a << u;
    case RvOp::kSrli:
      return a >> u;
    case RvOp::kSrai:
      return static_cast<uint32_t>(static_cast<int32_t>(a) >> u);
    case RvOp::kAdd:
      return a + b;
    case RvOp::kSub:
      return a - b;
    case RvOp::kSll:
      return a << (b & 31);
    case RvOp::kSlt:
      return static_cast<int32_t>(a) < static_cast<int32_t>(b);
    case RvOp::kSltu:
      return a < b;
    case RvOp::kXor:
      return a ^ b;
    case RvOp::kSrl:
      return a >> (b & 31);
    case RvOp::kSra:
      return static_cast<uint32_t>(static_cast<int32_t>(a) >> (b & 31));
    case RvOp::kOr:
      return a | b;
    case RvOp::kAnd:
      return a & b;
    case RvOp::kMul:
    case RvOp::kMulh:
    case RvOp::kMulhsu:
    case RvOp::kMulhu:
      return rv_mul(op, a, b);
    default:
      return rv_div(op, a, b);
  }
}

[[gnu::always_inline]] inline bool rv_branch_taken(RvOp op, uint32_t a, uint32_t b) {
  switch (op) {
    case RvOp::kBeq:
      return a == b;
    case RvOp::kBne:
      return a != b;
    case RvOp::kBlt:
      return static_cast<int32_t>(a) < static_cast<int32_t>(b);
    case RvOp::kBge:
      return static_cast<int32_t>(a) >= static_cast<int32_t>(b);
    case RvOp::kBltu:
      return a < b;
    default:  // kBgeu
      return a >= b;
  }
}

[[gnu::always_inline]] inline bool rv_is_csr(RvOp op) {
  return op >= RvOp::kCsrrw && op <= RvOp::kCsrrci;
}

[[gnu::always_inline]] inline bool rv_is_branch(RvOp op) {
  return op >= RvOp::kBeq && op <= RvOp::kBgeu;
}

// Bytes a load or store accesses, and whether a load sign-extends.
[[gnu::always_inline]] inline unsigned rv_access_bytes(RvOp op) {
  switch (op) {
    case RvOp::kLb:
    case RvOp::kLbu:
    case RvOp::kSb:
      return 1;
    case RvOp::kLh:
    case RvOp::kLhu:
    case RvOp::kSh:
      return 2;
    default:
      return 4;
  }
}

[[gnu::always_inline]] inline uint32_t rv_extend_load(RvOp op, uint32_t v) {
  if (op == RvOp::kLb) return static_cast<uint32_t>(static_cast<int8_t>(v));
  if (op == RvOp::kLh) return static_cast<uint32_t>(static_cast<int16_t>(v));
  return v;
}

}  // namespace aimc::riscv
