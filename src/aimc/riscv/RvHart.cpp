#include "aimc/riscv/RvHart.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "aimc/base/Error.h"
#include "aimc/isa/RegisterMap.h"
#include "aimc/riscv/RvDecoder.h"
#include "aimc/riscv/RvExecute.h"

namespace aimc::riscv {

namespace {

constexpr uint32_t kMstatusMie = 1u << 3;
constexpr uint32_t kMstatusMpie = 1u << 7;
constexpr uint32_t kMstatusMpp = 3u << 11;  // machine mode only: MPP reads as M
constexpr uint32_t kMipMtip = 1u << 7;
constexpr uint32_t kMipMeip = 1u << 11;
constexpr uint32_t kInterrupt = 0x8000'0000u;

// Exception causes (privileged spec, mcause).
constexpr uint32_t kCauseFetchMisaligned = 0, kCauseFetchFault = 1, kCauseIllegal = 2, kCauseBreakpoint = 3,
                   kCauseLoadMisaligned = 4, kCauseLoadFault = 5, kCauseStoreMisaligned = 6,
                   kCauseStoreFault = 7, kCauseEcallM = 11;
constexpr uint32_t kCauseTimer = 7, kCauseExternal = 11;

constexpr uint32_t kMisaRv32im = (1u << 30) | (1u << ('I' - 'A')) | (1u << ('M' - 'A'));

constexpr uint32_t kTimerBase = static_cast<uint32_t>(regmap::kTimerBase);
constexpr uint32_t kTimerSpan = static_cast<uint32_t>(regmap::kTimerSpan);

}  // namespace

RvHart::RvHart(const RvTiming& timing, RvBus& bus) : timing_(timing), bus_(bus) {}

void RvHart::add_ram(uint32_t base, uint32_t size) {
  AIMC_ASSERT(size % 4 == 0 && size > 0);
  AIMC_ASSERT(static_cast<uint64_t>(base) + size <= (1ull << 32));
  for (const auto& r : regions_)
    AIMC_ASSERT(static_cast<uint64_t>(base) + size <= r->base ||
                base >= static_cast<uint64_t>(r->base) + r->size);
  auto r = std::make_unique<Region>();
  r->base = base;
  r->size = size;
  r->bytes = ZeroFilledRam(size);
  r->decoded = DecodeCache(size);
  regions_.push_back(std::move(r));
  fetch_region_ = data_region_ = regions_.back().get();
}

RvHart::Region* RvHart::region_for(uint32_t addr, uint32_t n) {
  for (auto& r : regions_)
    if (r->contains(addr, n)) return r.get();
  return nullptr;
}

const RvHart::Region* RvHart::region_for(uint32_t addr, uint32_t n) const {
  for (const auto& r : regions_)
    if (r->contains(addr, n)) return r.get();
  return nullptr;
}

bool RvHart::write_ram(uint32_t addr, const uint8_t* data, size_t n) {
  if (n == 0) return true;
  if (n > std::numeric_limits<uint32_t>::max()) return false;
  Region* r = region_for(addr, static_cast<uint32_t>(n));
  if (!r) return false;
  std::memcpy(r->bytes.data() + (addr - r->base), data, n);
  r->decoded.invalidate(addr - r->base, n);
  return true;
}

bool RvHart::read_ram(uint32_t addr, uint8_t* data, size_t n) const {
  if (n > std::numeric_limits<uint32_t>::max()) return false;
  const Region* r = region_for(addr, static_cast<uint32_t>(n));
  if (!r) return false;
  std::memcpy(data, r->bytes.data() + (addr - r->base), n);
  return true;
}

void RvHart::load_program(const ElfImage& image) {
  constexpr uint64_t kPage = 4096, kStackBytes = 64 * 1024;
  std::vector<std::pair<uint64_t, uint64_t>> spans;  // [begin, end)
  for (const ElfSegment& s : image.segments)
    spans.push_back(
        {s.vaddr / kPage * kPage, (static_cast<uint64_t>(s.vaddr) + s.memsz + kPage - 1) / kPage * kPage});
  auto stack = image.symbols.find("__stack");
  if (stack != image.symbols.end() && stack->second >= kStackBytes)
    spans.push_back(
        {(stack->second - kStackBytes) / kPage * kPage, (stack->second + kPage - 1) / kPage * kPage});
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<uint64_t, uint64_t>> merged;
  for (const auto& s : spans) {
    if (!merged.empty() && s.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, s.second);
    else
      merged.push_back(s);
  }
  for (const auto& m : merged) {
    if (m.second > (1ull << 32)) throw UserError(image.path, 0, "p_vaddr", "a segment ends past 4 GiB");
    for (const auto& r : regions_)
      if (m.first < static_cast<uint64_t>(r->base) + r->size && r->base < m.second)
        throw UserError(image.path, 0, "p_vaddr", "a segment overlaps memory that already exists");
    add_ram(static_cast<uint32_t>(m.first), static_cast<uint32_t>(m.second - m.first));
  }
  for (const ElfSegment& s : image.segments) AIMC_ASSERT(write_ram(s.vaddr, s.bytes.data(), s.bytes.size()));
}

void RvHart::watch_stores(uint32_t addr, uint32_t bytes, StoreWatch watch) {
  watch_addr_ = addr;
  watch_bytes_ = bytes;
  watch_ = std::move(watch);
}

void RvHart::reset(uint32_t pc) {
  x_.fill(0);
  pc_ = pc;
  mstatus_ = kMstatusMpp;
  mie_ = mtvec_ = mscratch_ = mepc_ = mcause_ = mtval_ = 0;
  mtimecmp_ = UINT64_MAX;
  load_rd_ = kSinkReg;
  next_irq_check_ = 0;
  stop_ = Stop::kRunning;
}

void RvHart::set_external_interrupt(bool level) {
  external_irq_ = level;
  next_irq_check_ = 0;
}

uint64_t RvHart::timer_wake_cycle() const {
  return (mie_ & kMipMtip) ? mtimecmp_ : UINT64_MAX;
}

void RvHart::sleep_until(uint64_t cycle) {
  if (cycle > cycle_) {
    sleep_cycles_ += cycle - cycle_;
    cycle_ = cycle;
  }
}

uint32_t RvHart::mip() const {
  return (cycle_ >= mtimecmp_ ? kMipMtip : 0) | (external_irq_ ? kMipMeip : 0);
}

void RvHart::take_trap(uint32_t cause, uint32_t tval) {
  mepc_ = pc_;
  mcause_ = cause;
  mtval_ = tval;
  mstatus_ = (mstatus_ & ~(kMstatusMie | kMstatusMpie)) | ((mstatus_ & kMstatusMie) ? kMstatusMpie : 0);
  const uint32_t base = mtvec_ & ~3u;
  pc_ = ((mtvec_ & 3u) == 1 && (cause & kInterrupt)) ? base + 4 * (cause & ~kInterrupt) : base;
  cycle_ += timing_.branch_penalty;
  load_rd_ = kSinkReg;
  ++traps_;
  next_irq_check_ = 0;
  // A handler that cannot be fetched would fault forever without retiring an instruction.
  if (!region_for(pc_, 4)) {
    fatal_reason_ = "trap (mcause " + std::to_string(cause) + ", mepc " + std::to_string(mepc_) +
                    ") to mtvec " + std::to_string(pc_) + ", which is not in memory";
    stop_ = Stop::kFatal;
  }
}

bool RvHart::check_interrupts() {
  const uint32_t pending = mip() & mie_;
  if (pending && (mstatus_ & kMstatusMie)) {
    take_trap(kInterrupt | ((pending & kMipMeip) ? kCauseExternal : kCauseTimer), 0);
    return true;
  }
  // Nothing takeable now: the earliest change without a CSR write or an external edge is the timer.
  next_irq_check_ =
      (!(mip() & kMipMtip) && (mie_ & kMipMtip) && (mstatus_ & kMstatusMie)) ? mtimecmp_ : UINT64_MAX;
  return false;
}

bool RvHart::load(uint32_t addr, unsigned size, uint32_t& value) {
  if (addr & (size - 1)) {
    take_trap(kCauseLoadMisaligned, addr);
    return false;
  }
  Region* r = data_region_->contains(addr, size) ? data_region_ : region_for(addr, size);
  if (r) {
    data_region_ = r;
    value = 0;
    std::memcpy(&value, r->bytes.data() + (addr - r->base), size);
    cycle_ += timing_.sram_latency;
    stall_cycles_ += timing_.sram_latency;
    return true;
  }
  if (addr - kTimerBase < kTimerSpan) {
    const uint32_t off = addr - kTimerBase;
    const uint64_t v = (off & ~4u) == regmap::kMtimecmp ? mtimecmp_
                       : (off & ~4u) == regmap::kMtime  ? cycle_
                                                        : 0;
    if (size != 4 || ((off & ~4u) != regmap::kMtimecmp && (off & ~4u) != regmap::kMtime)) {
      take_trap(kCauseLoadFault, addr);
      return false;
    }
    value = static_cast<uint32_t>((off & 4) ? v >> 32 : v);
    return true;
  }
  const uint64_t issue = cycle_;
  if (!bus_.read(addr, size, value, cycle_)) {
    take_trap(kCauseLoadFault, addr);
    return false;
  }
  stall_cycles_ += cycle_ - issue;
  return true;
}

bool RvHart::store(uint32_t addr, unsigned size, uint32_t value) {
  if (addr & (size - 1)) {
    take_trap(kCauseStoreMisaligned, addr);
    return false;
  }
  Region* r = data_region_->contains(addr, size) ? data_region_ : region_for(addr, size);
  if (r) {
    data_region_ = r;
    const uint32_t off = addr - r->base;
    std::memcpy(r->bytes.data() + off, &value, size);
    r->decoded.invalidate(off, size);  // self-modifying code re-decodes
    cycle_ += timing_.sram_latency;
    stall_cycles_ += timing_.sram_latency;
    if (addr - watch_addr_ < watch_bytes_ && watch_ && watch_(addr, value)) stop_ = Stop::kHalted;
    return true;
  }
  if (addr - kTimerBase < kTimerSpan) {
    const uint32_t off = addr - kTimerBase;
    if (size != 4 || (off & ~4u) != regmap::kMtimecmp) {  // mtime follows the clock: read-only here
      take_trap(kCauseStoreFault, addr);
      return false;
    }
    const uint64_t mask = (off & 4) ? 0xFFFF'FFFFull : 0xFFFF'FFFF'0000'0000ull;
    const uint64_t shifted = (off & 4) ? static_cast<uint64_t>(value) << 32 : value;
    mtimecmp_ = (mtimecmp_ & mask) | shifted;
    next_irq_check_ = 0;
    return true;
  }
  const uint64_t issue = cycle_;
  if (!bus_.write(addr, size, value, cycle_)) {
    take_trap(kCauseStoreFault, addr);
    return false;
  }
  stall_cycles_ += cycle_ - issue;
  return true;
}

bool RvHart::csr_read(uint32_t csr, uint32_t& v) const {
  const uint64_t mcycle = cycle_ - mcycle_offset_, minstret = instret_ - minstret_offset_;
  switch (csr) {
    case 0x300:
      v = mstatus_;
      return true;
    case 0x301:
      v = kMisaRv32im;
      return true;
    case 0x304:
      v = mie_;
      return true;
    case 0x305:
      v = mtvec_;
      return true;
    case 0x340:
      v = mscratch_;
      return true;
    case 0x341:
      v = mepc_;
      return true;
    case 0x342:
      v = mcause_;
      return true;
    case 0x343:
      v = mtval_;
      return true;
    case 0x344:
      v = mip();
      return true;
    case 0xB00:
    case 0xC00:
      v = static_cast<uint32_t>(mcycle);
      return true;
    case 0xB80:
    case 0xC80:
      v = static_cast<uint32_t>(mcycle >> 32);
      return true;
    case 0xB02:
    case 0xC02:
      v = static_cast<uint32_t>(minstret);
      return true;
    case 0xB82:
    case 0xC82:
      v = static_cast<uint32_t>(minstret >> 32);
      return true;
    case 0xC01:
      v = static_cast<uint32_t>(cycle_);
      return true;
    case 0xC81:
      v = static_cast<uint32_t>(cycle_ >> 32);
      return true;
    case 0xF11:
    case 0xF12:
    case 0xF13:
    case 0xF14:
      v = 0;
      return true;  // vendor/arch/impl/hart ids
    default:
      return false;
  }
}

bool RvHart::csr_write(uint32_t csr, uint32_t v) {
  if ((csr >> 10) == 3) return false;  // read-only CSR space
  const uint64_t mcycle = cycle_ - mcycle_offset_, minstret = instret_ - minstret_offset_;
  switch (csr) {
    case 0x300:
      mstatus_ = (v & (kMstatusMie | kMstatusMpie)) | kMstatusMpp;
      break;
    case 0x301:
      break;  // misa: WARL, the extensions are fixed
    case 0x304:
      mie_ = v & (kMipMtip | kMipMeip);
      break;
    case 0x305:
      mtvec_ = (v & 3u) >= 2 ? (v & ~3u) : v;
      break;  // modes 2, 3 reserved: direct
    case 0x340:
      mscratch_ = v;
      break;
    case 0x341:
      mepc_ = v & ~3u;
      break;  // no C extension: IALIGN = 32
    case 0x342:
      mcause_ = v;
      break;
    case 0x343:
      mtval_ = v;
      break;
    case 0x344:
      break;  // MTIP and MEIP are read-only (set by the timer and the interrupt line)
    case 0xB00:
      mcycle_offset_ = cycle_ - ((mcycle & ~0xFFFF'FFFFull) | v);
      break;
    case 0xB80:
      mcycle_offset_ = cycle_ - ((mcycle & 0xFFFF'FFFFull) | (static_cast<uint64_t>(v) << 32));
      break;
    // minstret: this instruction retires after the write, so the value read next is v.
    case 0xB02:
      minstret_offset_ = instret_ + 1 - ((minstret & ~0xFFFF'FFFFull) | v);
      break;
    case 0xB82:
      minstret_offset_ = instret_ + 1 - ((minstret & 0xFFFF'FFFFull) | (static_cast<uint64_t>(v) << 32));
      break;
    default:
      return false;
  }
  next_irq_check_ = 0;
  return true;
}

RvHart::Region* RvHart::fetch_region() {
  if (fetch_region_->contains(pc_, 4)) return fetch_region_;
  Region* fr = region_for(pc_, 4);
  if (fr) fetch_region_ = fr;
  return fr;
}

RvHart::Stop RvHart::run(uint64_t until_cycle, uint64_t max_instret) {
  if (stop_ == Stop::kFatal || stop_ == Stop::kHalted) return stop_;
  AIMC_ASSERT(!regions_.empty());
  stop_ = Stop::kRunning;
  while (true) {
    if (cycle_ >= until_cycle) return Stop::kBudget;
    // Traps have the same limit: a handler that traps itself retires nothing and would otherwise run for
    // ever.
    if (instret_ >= max_instret || traps_ >= max_instret) return Stop::kInstructionLimit;
    if (cycle_ >= next_irq_check_ && check_interrupts()) {
      if (stop_ != Stop::kRunning) return stop_;
      continue;
    }
    Region* fr = fetch_region();
    if (!fr) {
      take_trap(kCauseFetchFault, pc_);
      if (stop_ != Stop::kRunning) return stop_;
      continue;
    }
    if (!step_next_ && !trace && run_blocks(*fr, std::min(until_cycle, next_irq_check_), max_instret)) {
      if (stop_ != Stop::kRunning) return stop_;
      continue;
    }
    step_next_ = false;
    step(*fr);
    if (stop_ != Stop::kRunning) return stop_;
  }
}

// Blocks one after another while each fits: the checks at the top of run() pass before every instruction of
// a block that fits (nothing a block runs changes next_irq_check_ or the trap count).
bool RvHart::run_blocks(Region& fr, uint64_t limit_cycle, uint64_t max_instret) {
  // Blocks are cached per word: a pc off the word grid (only ever from reset) runs alone; jumps keep it on.
  if (pc_ & 3u) return false;
  const RvBlock* b = &fr.decoded.block(pc_ - fr.base, fr.bytes.data(), timing_);
  if (!block_fits(*b, limit_cycle, max_instret)) return false;
  do {
    run_block(*b);
    if (step_next_ || stop_ != Stop::kRunning || !fr.contains(pc_, 4)) return true;
    b = &fr.decoded.block(pc_ - fr.base, fr.bytes.data(), timing_);
  } while (block_fits(*b, limit_cycle, max_instret));
  return true;
}

inline bool RvHart::block_fits(const RvBlock& b, uint64_t limit_cycle, uint64_t max_instret) const {
  if (b.ops.empty()) return false;
  return cycle_ + load_use_penalty(b.ops[0].ins) + b.cycles_before_last < limit_cycle &&
         instret_ + b.ops.size() <= max_instret;
}

// One instruction of a block; every case of the single switch is one operation (rv_alu etc. inline with a
// constant operation).
#define AIMC_RV_ALU_CASE(OP)                     \
  case RvOp::OP:                                 \
    x[d.rd] = rv_alu(RvOp::OP, a, b, d.imm, pc); \
    return BlockStep::kNext;
#define AIMC_RV_BRANCH_CASE(OP)                                    \
  case RvOp::OP:                                                   \
    if (!rv_branch_taken(RvOp::OP, a, b)) return BlockStep::kNext; \
    return jump_in_block(pc + static_cast<uint32_t>(d.imm), npc);
#define AIMC_RV_MEMORY_CASE(OP, LOAD) \
  case RvOp::OP:                      \
    return access_in_block(RvOp::OP, LOAD, d, a + static_cast<uint32_t>(d.imm), b);

[[gnu::always_inline]] inline RvHart::BlockStep RvHart::block_step(const RvInstruction& d, uint32_t pc,
                                                                   uint32_t& npc) {
  uint32_t* const x = x_.data();
  const uint32_t a = x[d.rs1], b = x[d.rs2];
  switch (d.op) {
    AIMC_RV_ALU_CASE(kLui)
    AIMC_RV_ALU_CASE(kAuipc)
    AIMC_RV_ALU_CASE(kAddi)
    AIMC_RV_ALU_CASE(kSlti)
    AIMC_RV_ALU_CASE(kSltiu)
    AIMC_RV_ALU_CASE(kXori)
    AIMC_RV_ALU_CASE(kOri)
    AIMC_RV_ALU_CASE(kAndi)
    AIMC_RV_ALU_CASE(kSlli)
    AIMC_RV_ALU_CASE(kSrli)
    AIMC_RV_ALU_CASE(kSrai)
    AIMC_RV_ALU_CASE(kAdd)
    AIMC_RV_ALU_CASE(kSub)
    AIMC_RV_ALU_CASE(kSll)
    AIMC_RV_ALU_CASE(kSlt)
    AIMC_RV_ALU_CASE(kSltu)
    AIMC_RV_ALU_CASE(kXor)
    AIMC_RV_ALU_CASE(kSrl)
    AIMC_RV_ALU_CASE(kSra)
    AIMC_RV_ALU_CASE(kOr)
    AIMC_RV_ALU_CASE(kAnd)
    AIMC_RV_ALU_CASE(kMul)
    AIMC_RV_ALU_CASE(kMulh)
    AIMC_RV_ALU_CASE(kMulhsu)
    AIMC_RV_ALU_CASE(kMulhu)
    AIMC_RV_ALU_CASE(kDiv)
    AIMC_RV_ALU_CASE(kDivu)
    AIMC_RV_ALU_CASE(kRem)
    AIMC_RV_ALU_CASE(kRemu)
    AIMC_RV_BRANCH_CASE(kBeq)
    AIMC_RV_BRANCH_CASE(kBne)
    AIMC_RV_BRANCH_CASE(kBlt)
    AIMC_RV_BRANCH_CASE(kBge)
    AIMC_RV_BRANCH_CASE(kBltu)
    AIMC_RV_BRANCH_CASE(kBgeu)
    AIMC_RV_MEMORY_CASE(kLb, true)
    AIMC_RV_MEMORY_CASE(kLh, true)
    AIMC_RV_MEMORY_CASE(kLw, true)
    AIMC_RV_MEMORY_CASE(kLbu, true)
    AIMC_RV_MEMORY_CASE(kLhu, true)
    AIMC_RV_MEMORY_CASE(kSb, false)
    AIMC_RV_MEMORY_CASE(kSh, false)
    AIMC_RV_MEMORY_CASE(kSw, false)
    case RvOp::kJal:
    case RvOp::kJalr: {
      const uint32_t target =
          d.op == RvOp::kJalr ? (a + static_cast<uint32_t>(d.imm)) & ~1u : pc + static_cast<uint32_t>(d.imm);
      const BlockStep s = jump_in_block(target, npc);
      if (s == BlockStep::kTaken) x[d.rd] = pc + 4;
      return s;
    }
    default:  // fence, fence.i: one hart, and stores invalidate the decoded code
      return BlockStep::kNext;
  }
}
#undef AIMC_RV_ALU_CASE
#undef AIMC_RV_BRANCH_CASE
#undef AIMC_RV_MEMORY_CASE

inline RvHart::BlockStep RvHart::jump_in_block(uint32_t target, uint32_t& npc) {
  if (target & 3u) return BlockStep::kLeave;  // the misaligned-target trap, alone
  npc = target;
  return BlockStep::kTaken;
}

// Local RAM only; anything else (memory-mapped, timer, misaligned, another region, the HTIF watch, a store
// into a decoded block) runs alone.
inline RvHart::BlockStep RvHart::access_in_block(RvOp op, bool is_load, const RvInstruction& d, uint32_t addr,
                                                 uint32_t value) {
  const unsigned size = rv_access_bytes(op);
  Region* r = data_region_;
  if ((addr & (size - 1)) || !r->contains(addr, size)) return BlockStep::kLeave;
  uint8_t* const at = r->bytes.data() + (addr - r->base);
  if (is_load) {
    uint32_t v = 0;
    std::memcpy(&v, at, size);
    x_[d.rd] = rv_extend_load(op, v);
    return BlockStep::kNext;
  }
  if (addr - watch_addr_ < watch_bytes_ || !r->decoded.store_outside_blocks(addr - r->base))
    return BlockStep::kLeave;
  std::memcpy(at, &value, size);  // little-endian host: the low bytes
  return BlockStep::kNext;
}

inline void RvHart::run_block(const RvBlock& b) {
  const uint64_t entry_cycle = cycle_;
  const uint32_t entry_penalty = load_use_penalty(b.ops[0].ins);
  const uint32_t first_pc = pc_;
  const size_t n = b.ops.size();
  uint64_t cycle = cycle_ + entry_penalty;  // at the start of instruction i, after its load-use penalty
  uint32_t npc = first_pc + 4 * static_cast<uint32_t>(n);
  BlockStep s = BlockStep::kNext;
  for (size_t i = 0; i < n; ++i) {
    s = block_step(b.ops[i].ins, first_pc + 4 * static_cast<uint32_t>(i), npc);
    if (s == BlockStep::kLeave) {
      leave_block(b, i, entry_cycle, entry_penalty, cycle);
      return;
    }
    cycle += b.ops[i].cost;
  }
  cycle_ = cycle + (s == BlockStep::kTaken ? timing_.branch_penalty : 0);
  instret_ += n;
  for (const auto& [cls, count] : b.class_counts) class_count_[cls] += count;
  stall_cycles_ += b.stalls + entry_penalty;
  pc_ = npc;
  const RvInstruction& last = b.ops.back().ins;
  load_rd_ = last.cls == RvClass::kLoad ? last.rd : kSinkReg;
}

void RvHart::leave_block(const RvBlock& b, size_t i, uint64_t entry_cycle, uint32_t entry_penalty,
                         uint64_t cycle) {
  step_next_ = true;
  if (i == 0) {
    cycle_ = entry_cycle;  // instruction 0 runs alone with its own load-use penalty
    return;
  }
  cycle_ = cycle;
  stall_cycles_ += entry_penalty;
  for (size_t j = 0; j < i; ++j) {
    ++class_count_[static_cast<int>(b.ops[j].ins.cls)];
    stall_cycles_ += b.ops[j].stall;
  }
  instret_ += i;
  pc_ += 4 * static_cast<uint32_t>(i);
  const RvInstruction& prev = b.ops[i - 1].ins;
  load_rd_ = prev.cls == RvClass::kLoad ? prev.rd : kSinkReg;
}

bool RvHart::jump_to(uint32_t target, uint32_t& npc) {
  if (target & 3u) {
    take_trap(kCauseFetchMisaligned, target);
    return false;
  }
  npc = target;
  cycle_ += timing_.branch_penalty;
  return true;
}

void RvHart::step(Region& fr) {
  RvInstruction& d = fr.decoded.entry(pc_ - fr.base);
  if (!d.valid) {
    uint32_t word;
    std::memcpy(&word, fr.bytes.data() + (pc_ - fr.base), 4);
    d = RvDecoder::decode(word);
  }
  if (trace) trace(pc_, d);
  // Load-use: the previous instruction loaded a register this one reads.
  const uint32_t penalty = load_use_penalty(d);
  cycle_ += penalty;
  stall_cycles_ += penalty;
  load_rd_ = kSinkReg;
  cycle_ += 1;
  const RvInstruction ins = d;  // a store may re-decode the entry
  uint32_t npc = pc_ + 4;
  if (!execute(ins, npc)) return;
  ++class_count_[static_cast<int>(ins.cls)];
  ++instret_;
  pc_ = npc;
  if (ins.cls == RvClass::kLoad)
    load_rd_ = ins.rd;
  else if (ins.cls == RvClass::kMul)
    cycle_ += timing_.mul_cycles - 1;
  else if (ins.cls == RvClass::kDiv)
    cycle_ += timing_.div_cycles - 1;
}

bool RvHart::execute(const RvInstruction& d, uint32_t& npc) {
  uint32_t* const x = x_.data();
  const uint32_t a = x[d.rs1], b = x[d.rs2];
  const uint32_t imm = static_cast<uint32_t>(d.imm);
  if (rv_is_alu(d.op)) {
    x[d.rd] = rv_alu(d.op, a, b, d.imm, pc_);
    return true;
  }
  if (rv_is_branch(d.op)) return !rv_branch_taken(d.op, a, b) || jump_to(pc_ + imm, npc);
  switch (d.op) {
    case RvOp::kJal:
    case RvOp::kJalr: {
      const uint32_t target = d.op == RvOp::kJal ? pc_ + imm : (a + imm) & ~1u;
      if (!jump_to(target, npc)) return false;
      x[d.rd] = pc_ + 4;
      return true;
    }
    case RvOp::kLb:
    case RvOp::kLh:
    case RvOp::kLw:
    case RvOp::kLbu:
    case RvOp::kLhu: {
      uint32_t v = 0;
      if (!load(a + imm, rv_access_bytes(d.op), v)) return false;
      x[d.rd] = rv_extend_load(d.op, v);
      return true;
    }
    case RvOp::kSb:
      return store(a + imm, 1, b & 0xFF);
    case RvOp::kSh:
      return store(a + imm, 2, b & 0xFFFF);
    case RvOp::kSw:
      return store(a + imm, 4, b);
    case RvOp::kFence:   // one hart: memory is always ordered
    case RvOp::kFenceI:  // stores already invalidate the decode cache
      return true;
    default:
      return rv_is_csr(d.op) ? execute_csr(d, a) : execute_system(d, npc);
  }
}

bool RvHart::execute_system(const RvInstruction& d, uint32_t& npc) {
  switch (d.op) {
    case RvOp::kEcall:
      take_trap(kCauseEcallM, 0);
      return false;
    case RvOp::kEbreak:
      take_trap(kCauseBreakpoint, pc_);
      return false;
    case RvOp::kMret:
      mstatus_ = (mstatus_ & ~kMstatusMie) | ((mstatus_ & kMstatusMpie) ? kMstatusMie : 0) | kMstatusMpie;
      npc = mepc_;
      cycle_ += timing_.branch_penalty;
      next_irq_check_ = 0;
      return true;
    case RvOp::kWfi:
      // Retires; if nothing enabled is pending the hart sleeps and wakes at the next instruction.
      if (!(mip() & mie_)) stop_ = Stop::kWaitForInterrupt;
      next_irq_check_ = 0;
      return true;
    default:  // kIllegal
      take_trap(kCauseIllegal, d.raw);
      return false;
  }
}

bool RvHart::execute_csr(const RvInstruction& d, uint32_t a) {
  const uint32_t csr = static_cast<uint32_t>(d.imm) & 0xFFF;
  const bool is_imm = d.op == RvOp::kCsrrwi || d.op == RvOp::kCsrrsi || d.op == RvOp::kCsrrci;
  const uint32_t src = is_imm ? d.rs1 : a;
  const bool is_write = d.op == RvOp::kCsrrw || d.op == RvOp::kCsrrwi;
  const bool writes = is_write || d.rs1 != 0;
  uint32_t old = 0;
  // csrrw with rd = x0 does not read, but the CSR must still exist.
  if (!csr_read(csr, old)) {
    take_trap(kCauseIllegal, d.raw);
    return false;
  }
  if (writes) {
    const uint32_t nv = is_write                                          ? src
                        : (d.op == RvOp::kCsrrs || d.op == RvOp::kCsrrsi) ? (old | src)
                                                                          : (old & ~src);
    if (!csr_write(csr, nv)) {
      take_trap(kCauseIllegal, d.raw);
      return false;
    }
  }
  x_[d.rd] = old;
  return true;
}

}  // namespace aimc::riscv
