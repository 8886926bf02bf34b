#include "aimc/riscv/RvHart.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "aimc/base/Error.h"
#include "aimc/isa/RegisterMap.h"
#include "aimc/riscv/RvDecoder.h"

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

RvHart::Stop RvHart::run(uint64_t until_cycle, uint64_t max_instret) {
  if (stop_ == Stop::kFatal || stop_ == Stop::kHalted) return stop_;
  AIMC_ASSERT(!regions_.empty());
  stop_ = Stop::kRunning;
  uint32_t* const x = x_.data();
  while (true) {
    if (cycle_ >= until_cycle) return Stop::kBudget;
    // Traps have the same limit: a handler that traps itself retires nothing and would otherwise run for
    // ever.
    if (instret_ >= max_instret || traps_ >= max_instret) return Stop::kInstructionLimit;
    if (cycle_ >= next_irq_check_ && check_interrupts()) {
      if (stop_ != Stop::kRunning) return stop_;
      continue;
    }
    Region* fr = fetch_region_;
    if (!fr->contains(pc_, 4)) {
      fr = region_for(pc_, 4);
      if (!fr) {
        take_trap(kCauseFetchFault, pc_);
        if (stop_ != Stop::kRunning) return stop_;
        continue;
      }
      fetch_region_ = fr;
    }
    RvInstruction& d = fr->decoded.entry(pc_ - fr->base);
    if (!d.valid) {
      uint32_t word;
      std::memcpy(&word, fr->bytes.data() + (pc_ - fr->base), 4);
      d = RvDecoder::decode(word);
    }
    if (trace) trace(pc_, d);

    // Load-use: the previous instruction loaded a register this one reads.
    if (load_rd_ != kSinkReg && (d.rs1 == load_rd_ || d.rs2 == load_rd_)) {
      cycle_ += timing_.load_use_penalty;
      stall_cycles_ += timing_.load_use_penalty;
    }
    load_rd_ = kSinkReg;
    cycle_ += 1;
    const uint32_t a = x[d.rs1], b = x[d.rs2];
    const uint32_t imm = static_cast<uint32_t>(d.imm);
    uint32_t npc = pc_ + 4;
    uint32_t v = 0;

    auto jump_to = [&](uint32_t target) {
      if (target & 3u) {
        take_trap(kCauseFetchMisaligned, target);
        return false;
      }
      npc = target;
      cycle_ += timing_.branch_penalty;
      return true;
    };
    auto branch = [&](bool taken) { return !taken || jump_to(pc_ + imm); };

    bool ok = true;  // false: the instruction trapped (pc_ already at the handler)
    switch (d.op) {
      case RvOp::kLui:
        x[d.rd] = imm;
        break;
      case RvOp::kAuipc:
        x[d.rd] = pc_ + imm;
        break;
      case RvOp::kJal:
        if ((ok = jump_to(pc_ + imm))) x[d.rd] = pc_ + 4;
        break;
      case RvOp::kJalr:
        if ((ok = jump_to((a + imm) & ~1u))) x[d.rd] = pc_ + 4;
        break;
      case RvOp::kBeq:
        ok = branch(a == b);
        break;
      case RvOp::kBne:
        ok = branch(a != b);
        break;
      case RvOp::kBlt:
        ok = branch(static_cast<int32_t>(a) < static_cast<int32_t>(b));
        break;
      case RvOp::kBge:
        ok = branch(static_cast<int32_t>(a) >= static_cast<int32_t>(b));
        break;
      case RvOp::kBltu:
        ok = branch(a < b);
        break;
      case RvOp::kBgeu:
        ok = branch(a >= b);
        break;
      case RvOp::kLb:
        if ((ok = load(a + imm, 1, v))) x[d.rd] = static_cast<uint32_t>(static_cast<int8_t>(v));
        break;
      case RvOp::kLh:
        if ((ok = load(a + imm, 2, v))) x[d.rd] = static_cast<uint32_t>(static_cast<int16_t>(v));
        break;
      case RvOp::kLw:
      case RvOp::kLbu:
      case RvOp::kLhu: {
        const unsigned size = d.op == RvOp::kLw ? 4 : d.op == RvOp::kLhu ? 2 : 1;
        if ((ok = load(a + imm, size, v))) x[d.rd] = v;
        break;
      }
      case RvOp::kSb:
        ok = store(a + imm, 1, b & 0xFF);
        break;
      case RvOp::kSh:
        ok = store(a + imm, 2, b & 0xFFFF);
        break;
      case RvOp::kSw:
        ok = store(a + imm, 4, b);
        break;
      case RvOp::kAddi:
        x[d.rd] = a + imm;
        break;
      case RvOp::kSlti:
        x[d.rd] = static_cast<int32_t>(a) < d.imm;
        break;
      case RvOp::kSltiu:
        x[d.rd] = a < imm;
        break;
      case RvOp::kXori:
        x[d.rd] = a ^ imm;
        break;
      case RvOp::kOri:
        x[d.rd] = a | imm;
        break;
      case RvOp::kAndi:
        x[d.rd] = a & imm;
        break;
      case RvOp::kSlli:
        x[d.rd] = a << imm;
        break;
      case RvOp::kSrli:
        x[d.rd] = a >> imm;
        break;
      case RvOp::kSrai:
        x[d.rd] = static_cast<uint32_t>(static_cast<int32_t>(a) >> imm);
        break;
      case RvOp::kAdd:
        x[d.rd] = a + b;
        break;
      case RvOp::kSub:
        x[d.rd] = a - b;
        break;
      case RvOp::kSll:
        x[d.rd] = a << (b & 31);
        break;
      case RvOp::kSlt:
        x[d.rd] = static_cast<int32_t>(a) < static_cast<int32_t>(b);
        break;
      case RvOp::kSltu:
        x[d.rd] = a < b;
        break;
      case RvOp::kXor:
        x[d.rd] = a ^ b;
        break;
      case RvOp::kSrl:
        x[d.rd] = a >> (b & 31);
        break;
      case RvOp::kSra:
        x[d.rd] = static_cast<uint32_t>(static_cast<int32_t>(a) >> (b & 31));
        break;
      case RvOp::kOr:
        x[d.rd] = a | b;
        break;
      case RvOp::kAnd:
        x[d.rd] = a & b;
        break;
      case RvOp::kMul:
        x[d.rd] = a * b;
        break;
      case RvOp::kMulh:
        x[d.rd] = static_cast<uint32_t>(
            (static_cast<int64_t>(static_cast<int32_t>(a)) * static_cast<int64_t>(static_cast<int32_t>(b))) >>
            32);
        break;
      case RvOp::kMulhsu:
        x[d.rd] = static_cast<uint32_t>(
            static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(a)) * static_cast<int64_t>(b)) >>
            32);
        break;
      case RvOp::kMulhu:
        x[d.rd] = static_cast<uint32_t>((static_cast<uint64_t>(a) * b) >> 32);
        break;
      case RvOp::kDiv: {
        const int32_t sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b);
        x[d.rd] = sb == 0                                                   ? 0xFFFF'FFFFu
                  : (sa == std::numeric_limits<int32_t>::min() && sb == -1) ? a
                                                                            : static_cast<uint32_t>(sa / sb);
        break;
      }
      case RvOp::kDivu:
        x[d.rd] = b == 0 ? 0xFFFF'FFFFu : a / b;
        break;
      case RvOp::kRem: {
        const int32_t sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b);
        x[d.rd] = sb == 0                                                   ? a
                  : (sa == std::numeric_limits<int32_t>::min() && sb == -1) ? 0
                                                                            : static_cast<uint32_t>(sa % sb);
        break;
      }
      case RvOp::kRemu:
        x[d.rd] = b == 0 ? a : a % b;
        break;
      case RvOp::kFence:   // one hart: memory is always ordered
      case RvOp::kFenceI:  // stores already invalidate the decode cache
        break;
      case RvOp::kEcall:
        take_trap(kCauseEcallM, 0);
        ok = false;
        break;
      case RvOp::kEbreak:
        take_trap(kCauseBreakpoint, pc_);
        ok = false;
        break;
      case RvOp::kMret:
        mstatus_ = (mstatus_ & ~kMstatusMie) | ((mstatus_ & kMstatusMpie) ? kMstatusMie : 0) | kMstatusMpie;
        npc = mepc_;
        cycle_ += timing_.branch_penalty;
        next_irq_check_ = 0;
        break;
      case RvOp::kWfi:
        // Retires; if nothing enabled is pending the hart sleeps and wakes at the next instruction.
        if (!(mip() & mie_)) stop_ = Stop::kWaitForInterrupt;
        next_irq_check_ = 0;
        break;
      case RvOp::kCsrrw:
      case RvOp::kCsrrs:
      case RvOp::kCsrrc:
      case RvOp::kCsrrwi:
      case RvOp::kCsrrsi:
      case RvOp::kCsrrci: {
        const uint32_t csr = imm & 0xFFF;
        const bool is_imm = d.op == RvOp::kCsrrwi || d.op == RvOp::kCsrrsi || d.op == RvOp::kCsrrci;
        const uint32_t src = is_imm ? d.rs1 : a;
        const bool is_write = d.op == RvOp::kCsrrw || d.op == RvOp::kCsrrwi;
        const bool writes = is_write || d.rs1 != 0;
        uint32_t old = 0;
        // csrrw with rd = x0 does not read, but the CSR must still exist.
        if (!csr_read(csr, old)) {
          take_trap(kCauseIllegal, d.raw);
          ok = false;
          break;
        }
        if (writes) {
          const uint32_t nv = is_write                                          ? src
                              : (d.op == RvOp::kCsrrs || d.op == RvOp::kCsrrsi) ? (old | src)
                                                                                : (old & ~src);
          if (!csr_write(csr, nv)) {
            take_trap(kCauseIllegal, d.raw);
            ok = false;
            break;
          }
        }
        x[d.rd] = old;
        break;
      }
      case RvOp::kIllegal:
        take_trap(kCauseIllegal, d.raw);
        ok = false;
        break;
    }
    if (!ok) {
      if (stop_ != Stop::kRunning) return stop_;
      continue;
    }
    ++class_count_[static_cast<int>(d.cls)];
    ++instret_;
    pc_ = npc;
    if (d.cls == RvClass::kLoad)
      load_rd_ = d.rd;
    else if (d.cls == RvClass::kMul)
      cycle_ += timing_.mul_cycles - 1;
    else if (d.cls == RvClass::kDiv)
      cycle_ += timing_.div_cycles - 1;
    if (stop_ != Stop::kRunning) return stop_;
  }
}

}  // namespace aimc::riscv
