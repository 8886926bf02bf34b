#include "aimc/riscv/RvDecoder.h"

namespace aimc::riscv {

namespace {

// Sign-extended top bits shifted left: done on uint32_t, because shifting a negative int32_t left is
// undefined before C++20 (UBSan: "left shift of negative value"); the conversion back is two's complement.
int32_t sext_shl(uint32_t w, int top_shift, int left) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<int32_t>(w) >> top_shift) << left);
}

int32_t imm_i(uint32_t w) {
  return static_cast<int32_t>(w) >> 20;
}
int32_t imm_s(uint32_t w) {
  return sext_shl(w, 25, 5) | static_cast<int32_t>((w >> 7) & 0x1F);
}
int32_t imm_b(uint32_t w) {
  return sext_shl(w, 31, 12) | static_cast<int32_t>(((w >> 7) & 1) << 11) |
         static_cast<int32_t>(((w >> 25) & 0x3F) << 5) | static_cast<int32_t>(((w >> 8) & 0xF) << 1);
}
int32_t imm_u(uint32_t w) {
  return static_cast<int32_t>(w & 0xFFFFF000u);
}
int32_t imm_j(uint32_t w) {
  return sext_shl(w, 31, 20) | static_cast<int32_t>(((w >> 12) & 0xFF) << 12) |
         static_cast<int32_t>(((w >> 20) & 1) << 11) | static_cast<int32_t>(((w >> 21) & 0x3FF) << 1);
}

}  // namespace

RvInstruction RvDecoder::decode(uint32_t w) {
  RvInstruction d;
  d.raw = w;
  d.valid = true;
  const uint32_t opcode = w & 0x7F;
  const uint32_t rd = (w >> 7) & 0x1F;
  const uint32_t f3 = (w >> 12) & 7;
  const uint32_t rs1 = (w >> 15) & 0x1F;
  const uint32_t rs2 = (w >> 20) & 0x1F;
  const uint32_t f7 = w >> 25;
  auto set = [&](RvOp op, RvClass cls, bool writes_rd, int32_t imm) {
    d.op = op;
    d.cls = cls;
    d.rd = writes_rd && rd != 0 ? static_cast<uint8_t>(rd) : kSinkReg;
    d.rs1 = static_cast<uint8_t>(rs1);
    d.rs2 = static_cast<uint8_t>(rs2);
    d.imm = imm;
  };
  switch (opcode) {
    case 0x37:
      set(RvOp::kLui, RvClass::kAlu, true, imm_u(w));
      break;
    case 0x17:
      set(RvOp::kAuipc, RvClass::kAlu, true, imm_u(w));
      break;
    case 0x6F:
      set(RvOp::kJal, RvClass::kJump, true, imm_j(w));
      break;
    case 0x67:
      if (f3 == 0) set(RvOp::kJalr, RvClass::kJump, true, imm_i(w));
      break;
    case 0x63: {
      static const RvOp kOps[8] = {RvOp::kBeq, RvOp::kBne, RvOp::kIllegal, RvOp::kIllegal,
                                   RvOp::kBlt, RvOp::kBge, RvOp::kBltu,    RvOp::kBgeu};
      if (kOps[f3] != RvOp::kIllegal) set(kOps[f3], RvClass::kBranch, false, imm_b(w));
      break;
    }
    case 0x03: {
      static const RvOp kOps[8] = {RvOp::kLb,  RvOp::kLh,  RvOp::kLw,      RvOp::kIllegal,
                                   RvOp::kLbu, RvOp::kLhu, RvOp::kIllegal, RvOp::kIllegal};
      if (kOps[f3] != RvOp::kIllegal) set(kOps[f3], RvClass::kLoad, true, imm_i(w));
      break;
    }
    case 0x23: {
      static const RvOp kOps[8] = {RvOp::kSb,      RvOp::kSh,      RvOp::kSw,      RvOp::kIllegal,
                                   RvOp::kIllegal, RvOp::kIllegal, RvOp::kIllegal, RvOp::kIllegal};
      if (kOps[f3] != RvOp::kIllegal) set(kOps[f3], RvClass::kStore, false, imm_s(w));
      break;
    }
    case 0x13: {
      const int32_t shamt = static_cast<int32_t>(rs2);
      switch (f3) {
        case 0:
          set(RvOp::kAddi, RvClass::kAlu, true, imm_i(w));
          break;
        case 2:
          set(RvOp::kSlti, RvClass::kAlu, true, imm_i(w));
          break;
        case 3:
          set(RvOp::kSltiu, RvClass::kAlu, true, imm_i(w));
          break;
        case 4:
          set(RvOp::kXori, RvClass::kAlu, true, imm_i(w));
          break;
        case 6:
          set(RvOp::kOri, RvClass::kAlu, true, imm_i(w));
          break;
        case 7:
          set(RvOp::kAndi, RvClass::kAlu, true, imm_i(w));
          break;
        case 1:
          if (f7 == 0) set(RvOp::kSlli, RvClass::kAlu, true, shamt);
          break;
        case 5:
          if (f7 == 0) set(RvOp::kSrli, RvClass::kAlu, true, shamt);
          if (f7 == 0x20) set(RvOp::kSrai, RvClass::kAlu, true, shamt);
          break;
      }
      break;
    }
    case 0x33:
      if (f7 == 0) {
        static const RvOp kOps[8] = {RvOp::kAdd, RvOp::kSll, RvOp::kSlt, RvOp::kSltu,
                                     RvOp::kXor, RvOp::kSrl, RvOp::kOr,  RvOp::kAnd};
        set(kOps[f3], RvClass::kAlu, true, 0);
      } else if (f7 == 0x20 && (f3 == 0 || f3 == 5)) {
        set(f3 == 0 ? RvOp::kSub : RvOp::kSra, RvClass::kAlu, true, 0);
      } else if (f7 == 1) {
        static const RvOp kOps[8] = {RvOp::kMul, RvOp::kMulh, RvOp::kMulhsu, RvOp::kMulhu,
                                     RvOp::kDiv, RvOp::kDivu, RvOp::kRem,    RvOp::kRemu};
        set(kOps[f3], f3 < 4 ? RvClass::kMul : RvClass::kDiv, true, 0);
      }
      break;
    case 0x0F:
      if (f3 == 0) set(RvOp::kFence, RvClass::kAlu, false, 0);
      if (f3 == 1) set(RvOp::kFenceI, RvClass::kSystem, false, 0);
      break;
    case 0x73:
      if (f3 == 0) {
        if (w == 0x00000073) set(RvOp::kEcall, RvClass::kSystem, false, 0);
        if (w == 0x00100073) set(RvOp::kEbreak, RvClass::kSystem, false, 0);
        if (w == 0x30200073) set(RvOp::kMret, RvClass::kSystem, false, 0);
        if (w == 0x10500073) set(RvOp::kWfi, RvClass::kSystem, false, 0);
      } else if (f3 != 4) {
        static const RvOp kOps[8] = {RvOp::kIllegal, RvOp::kCsrrw,  RvOp::kCsrrs,  RvOp::kCsrrc,
                                     RvOp::kIllegal, RvOp::kCsrrwi, RvOp::kCsrrsi, RvOp::kCsrrci};
        set(kOps[f3], RvClass::kCsr, true, static_cast<int32_t>(w >> 20));
      }
      break;
    default:
      break;
  }
  // Register fields an encoding does not use hold immediate bits: clear them so that the load-use check of
  // the timing model sees only true dependences (csr*i keep rs1: it is the immediate they use).
  if (opcode == 0x37 || opcode == 0x17 || opcode == 0x6F || opcode == 0x0F) d.rs1 = 0;
  if (opcode != 0x33 && opcode != 0x23 && opcode != 0x63) d.rs2 = 0;
  if (d.op == RvOp::kIllegal) {
    d.cls = RvClass::kSystem;
    d.rd = kSinkReg;
  }
  return d;
}

}  // namespace aimc::riscv
