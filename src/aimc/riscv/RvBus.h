#pragma once
// What a hart reaches outside its own RAM regions (memory-mapped block registers, mailbox, HTIF host):
// a small interface so that the plain C++ engine needs no SystemC; the sc_module implements it over TLM-2.0.
#include <cstdint>

namespace aimc::riscv {

class RvBus {
 public:
  virtual ~RvBus() = default;
  // A `size`-byte (1, 2, 4) access at `addr`. `cycle` is the hart's cycle when the access issues; the bus
  // sets it to the cycle at which the access completes (>= the issue cycle). Returns false for an address
  // nobody decodes (the hart raises an access fault).
  virtual bool read(uint32_t addr, unsigned size, uint32_t& value, uint64_t& cycle) = 0;
  virtual bool write(uint32_t addr, unsigned size, uint32_t value, uint64_t& cycle) = 0;
};

// The explicit "nothing is mapped" bus: every access is an access fault.
class RvUnmappedBus : public RvBus {
 public:
  bool read(uint32_t, unsigned, uint32_t&, uint64_t&) override { return false; }
  bool write(uint32_t, unsigned, uint32_t, uint64_t&) override { return false; }
};

}  // namespace aimc::riscv
