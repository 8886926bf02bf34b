#pragma once
// One RV32IM + Zicsr hart in machine mode: the plain C++ execution engine of a RISC-V controller (no SystemC;
// RvHartModule wraps it as a TLM-2.0 initiator). Instructions are decoded once into a per-RAM-region decode
// cache (a store to a word invalidates its entry) and into basic blocks (RvBlock.h) that run in a tight loop
// with their cycles, instret and class counts charged once per block; an instruction a block cannot run on
// its own (CSR, trap, memory-mapped access) runs alone, with the same cycle counts either way. Time is the
// hart's own cycle count, charged by the timing model of RvTiming.h; accesses outside local RAM go through an
// RvBus, which reports when they complete.
//
// Traps go through mtvec (direct or vectored): ecall, ebreak, illegal instructions (including unknown CSRs
// and writes to read-only ones), misaligned loads/stores/jump targets, access faults; machine timer
// (mtime = the cycle count, mtimecmp memory-mapped, regmap::kTimerBase) and external interrupts; mret; wfi.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aimc/config/RvTiming.h"
#include "aimc/riscv/DecodeCache.h"
#include "aimc/riscv/ElfImage.h"
#include "aimc/riscv/RvBus.h"
#include "aimc/riscv/RvInstruction.h"
#include "aimc/riscv/ZeroFilledRam.h"

namespace aimc::riscv {

class RvHart {
 public:
  enum class Stop {
    kRunning,
    kBudget,            // reached the cycle budget of run()
    kWaitForInterrupt,  // executed wfi with no enabled interrupt pending: the caller decides when to wake
    kHalted,            // halt() (the HTIF saw the program's end)
    kInstructionLimit,  // retired the maximum number of instructions given to run()
    kFatal,             // the trap handler itself cannot be fetched (see fatal_reason())
  };
  // Called after a store to a watched address (e.g. HTIF tohost); returns true to halt the hart.
  using StoreWatch = std::function<bool(uint32_t addr, uint32_t value)>;

  RvHart(const RvTiming& timing, RvBus& bus);

  // Zero-filled RAM at [base, base + size) (size a multiple of 4, regions must not overlap).
  void add_ram(uint32_t base, uint32_t size);
  // Copies bytes into RAM (the ELF loader); false if [addr, addr + n) is not inside one RAM region.
  bool write_ram(uint32_t addr, const uint8_t* data, size_t n);
  bool read_ram(uint32_t addr, uint8_t* data, size_t n) const;
  // RAM wherever the program's segments are linked (merged into 4 KiB-aligned regions; the picolibc stack
  // below `__stack`, if the program has that symbol, too), then the segments copied in.
  void load_program(const ElfImage& image);
  void watch_stores(uint32_t addr, uint32_t bytes, StoreWatch watch);

  void reset(uint32_t pc);
  // Executes until the cycle count reaches `until_cycle`, `max_instret` instructions have retired (or as many
  // traps been taken: a trap loop retires nothing) in total, or the hart stops (halt, wfi, fatal).
  Stop run(uint64_t until_cycle, uint64_t max_instret);
  void halt() { stop_ = Stop::kHalted; }

  void set_external_interrupt(bool level);
  // The cycle at which the machine timer interrupt becomes pending if it is enabled in mie (else UINT64_MAX):
  // where a sleeping hart wakes up by itself.
  uint64_t timer_wake_cycle() const;
  // Advances the cycle count while the hart sleeps or waits outside the engine (counted as sleep).
  void sleep_until(uint64_t cycle);

  uint32_t reg(int i) const { return x_[i]; }
  void set_reg(int i, uint32_t v) {
    if (i != 0) x_[i] = v;
  }
  uint32_t pc() const { return pc_; }
  uint64_t cycle() const { return cycle_; }
  uint64_t instret() const { return instret_; }
  uint64_t stall_cycles() const { return stall_cycles_; }  // memory latency and load-use stalls
  uint64_t sleep_cycles() const { return sleep_cycles_; }
  uint64_t class_count(RvClass c) const { return class_count_[static_cast<int>(c)]; }
  uint64_t traps() const { return traps_; }
  const std::string& fatal_reason() const { return fatal_reason_; }
  // Called before each instruction executes (--trace); slows the engine down, so null by default.
  std::function<void(uint32_t pc, const RvInstruction&)> trace;

  // Machine-mode CSRs the tests look at.
  uint32_t mcause() const { return mcause_; }
  uint32_t mepc() const { return mepc_; }
  uint32_t mtval() const { return mtval_; }

 private:
  struct Region {
    uint32_t base = 0, size = 0;
    ZeroFilledRam bytes;  // pages mapped on first touch: a large .bss costs what the program uses
    DecodeCache decoded;  // one entry per word, filled on first fetch
    bool contains(uint32_t addr, uint32_t n) const { return addr - base < size && size - (addr - base) >= n; }
  };

  Region* region_for(uint32_t addr, uint32_t n);
  // The region holding the instruction at pc_ (nullptr: fetch fault).
  Region* fetch_region();
  // Whether `b` can run whole from here: every instruction in it would start before `limit_cycle` and retire
  // within `max_instret`.
  bool run_blocks(Region& fr, uint64_t limit_cycle, uint64_t max_instret);
  bool block_fits(const RvBlock& b, uint64_t limit_cycle, uint64_t max_instret) const;
  void run_block(const RvBlock& b);
  enum class BlockStep { kNext, kTaken, kLeave };  // kTaken: a jump or taken branch set npc
  BlockStep block_step(const RvInstruction& d, uint32_t pc, uint32_t& npc);
  BlockStep jump_in_block(uint32_t target, uint32_t& npc);
  BlockStep access_in_block(RvOp op, bool is_load, const RvInstruction& d, uint32_t addr, uint32_t value);
  // Leaves a block before its instruction `i` (which then runs alone), charging instructions [0, i).
  void leave_block(const RvBlock& b, size_t i, uint64_t entry_cycle, uint32_t entry_penalty, uint64_t cycle);
  uint32_t load_use_penalty(const RvInstruction& d) const {
    return (load_rd_ != kSinkReg && (d.rs1 == load_rd_ || d.rs2 == load_rd_)) ? timing_.load_use_penalty : 0;
  }
  // Executes the instruction at pc_ alone (fetch region `fr`).
  void step(Region& fr);
  // Its effect; false if it trapped (pc_ already at the handler). `npc` is the next pc, `cycle_` charged.
  bool execute(const RvInstruction& d, uint32_t& npc);
  bool execute_system(const RvInstruction& d, uint32_t& npc);
  bool execute_csr(const RvInstruction& d, uint32_t a);
  bool jump_to(uint32_t target, uint32_t& npc);
  const Region* region_for(uint32_t addr, uint32_t n) const;
  void take_trap(uint32_t cause, uint32_t tval);
  bool check_interrupts();
  uint32_t mip() const;
  bool load(uint32_t addr, unsigned size, uint32_t& value);
  bool store(uint32_t addr, unsigned size, uint32_t value);
  bool csr_read(uint32_t csr, uint32_t& value) const;
  bool csr_write(uint32_t csr, uint32_t value);

  RvTiming timing_;
  RvBus& bus_;
  std::vector<std::unique_ptr<Region>> regions_;
  Region* fetch_region_ = nullptr;
  Region* data_region_ = nullptr;
  uint32_t watch_addr_ = 0, watch_bytes_ = 0;
  StoreWatch watch_;

  std::array<uint32_t, 33> x_{};  // x0..x31 and the sink of writes to x0
  uint32_t pc_ = 0;
  uint64_t cycle_ = 0, instret_ = 0;
  uint64_t stall_cycles_ = 0, sleep_cycles_ = 0, traps_ = 0;
  std::array<uint64_t, static_cast<int>(RvClass::kCount)> class_count_{};
  uint32_t load_rd_ = kSinkReg;  // destination of the previous instruction if it was a load
  Stop stop_ = Stop::kRunning;
  std::string fatal_reason_;

  uint32_t mstatus_ = 0, mie_ = 0, mtvec_ = 0, mscratch_ = 0, mepc_ = 0, mcause_ = 0, mtval_ = 0;
  uint64_t mcycle_offset_ = 0, minstret_offset_ = 0;
  uint64_t mtimecmp_ = UINT64_MAX;
  bool external_irq_ = false;
  uint64_t next_irq_check_ = 0;  // no interrupt can become takeable before this cycle
  bool step_next_ = false;       // the instruction at pc_ runs alone (a block left before it)
};

}  // namespace aimc::riscv
