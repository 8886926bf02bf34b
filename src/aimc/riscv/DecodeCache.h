#pragma once
// The hart's decoded instructions of one RAM region, one entry per word, in 4 KiB pages allocated on the
// first fetch from them: a region holding a large .bss costs one pointer per page, not a decoded entry per
// word of data (issue 21: 1 GiB of .bss took 5.25 GB, four bytes of cache per byte of RAM).
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "aimc/riscv/RvInstruction.h"

namespace aimc::riscv {

class DecodeCache {
 public:
  static constexpr uint32_t kPageBytes = 4096;

  explicit DecodeCache(uint32_t region_bytes = 0) : pages_((region_bytes + kPageBytes - 1) / kPageBytes) {}

  // The entry of the word at byte `offset` of the region (its page allocated, entries invalid, if new).
  RvInstruction& entry(uint32_t offset) {
    std::unique_ptr<Page>& page = pages_[offset / kPageBytes];
    if (!page) page = std::make_unique<Page>();
    return (*page)[(offset % kPageBytes) / 4];
  }
  // Marks the words of bytes [offset, offset + n) for re-decoding (stores, program loading).
  void invalidate(uint32_t offset, uint64_t n) {
    if (n == 0) return;
    for (uint64_t word = offset / 4; word <= (offset + n - 1) / 4; ++word) {
      const std::unique_ptr<Page>& page = pages_[word * 4 / kPageBytes];
      if (page) (*page)[word % (kPageBytes / 4)].valid = false;
    }
  }

 private:
  using Page = std::array<RvInstruction, kPageBytes / 4>;
  std::vector<std::unique_ptr<Page>> pages_;
};

}  // namespace aimc::riscv
