#pragma once
// The hart's decoded instructions of one RAM region, one entry per word, and its decoded blocks (RvBlock.h),
// one per word a block starts at, in 4 KiB pages allocated on the first fetch from them: a region holding a
// large .bss costs one pointer per page, not a decoded entry per word of data (issue 21: 1 GiB of .bss took
// 5.25 GB, four bytes of cache per byte of RAM). A block never crosses a page; a store into a word some
// block of its page holds drops that page's blocks (self-modifying code re-decodes).
#include <algorithm>
#include <array>
#include <bitset>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "aimc/riscv/RvBlock.h"
#include "aimc/riscv/RvInstruction.h"

namespace aimc::riscv {

class DecodeCache {
 public:
  static constexpr uint32_t kPageBytes = 4096;
  static constexpr uint32_t kPageWords = kPageBytes / 4;

  explicit DecodeCache(uint32_t region_bytes = 0)
      : region_bytes_(region_bytes), pages_((region_bytes + kPageBytes - 1) / kPageBytes) {}

  // The entry of the word at byte `offset` of the region (its page allocated, entries invalid, if new).
  RvInstruction& entry(uint32_t offset) { return page(offset).entries[(offset % kPageBytes) / 4]; }

  // The block starting at byte `offset` (word-aligned) of the region whose bytes are `ram`, decoded on first
  // use with `timing`.
  const RvBlock& block(uint32_t offset, const uint8_t* ram, const RvTiming& timing) {
    Page& p = page(offset);
    const uint32_t word = (offset % kPageBytes) / 4;
    std::unique_ptr<RvBlock>& b = p.blocks[word];
    if (!b) {
      uint32_t words[RvBlock::kMaxOps];
      const uint32_t count =
          std::min<uint32_t>({RvBlock::kMaxOps, kPageWords - word, (region_bytes_ - offset) / 4});
      std::memcpy(words, ram + offset, count * 4);
      b = std::make_unique<RvBlock>(rv_build_block(offset, words, count, timing));
      for (size_t i = 0; i < std::max<size_t>(b->ops.size(), 1); ++i) p.in_block.set(word + i);
    }
    return *b;
  }

  // A store of one aligned word or part of it at `offset` that a block may run itself: false if a block
  // holds that word (the hart stores it one instruction at a time, see invalidate), else marks the word's
  // entry for re-decoding.
  bool store_outside_blocks(uint32_t offset) {
    Page* p = pages_[offset / kPageBytes].get();
    if (!p) return true;
    const uint32_t word = (offset % kPageBytes) / 4;
    if (p->in_block.test(word)) return false;
    p->entries[word].valid = false;
    return true;
  }

  // Marks the words of bytes [offset, offset + n) for re-decoding (stores, program loading), dropping the
  // blocks of a page if one of them holds such a word.
  void invalidate(uint32_t offset, uint64_t n) {
    if (n == 0) return;
    for (uint64_t word = offset / 4; word <= (offset + n - 1) / 4; ++word) {
      const std::unique_ptr<Page>& p = pages_[word * 4 / kPageBytes];
      if (!p) continue;
      p->entries[word % kPageWords].valid = false;
      if (p->in_block.test(word % kPageWords)) {
        for (auto& b : p->blocks) b.reset();
        p->in_block.reset();
      }
    }
  }

 private:
  struct Page {
    std::array<RvInstruction, kPageWords> entries;
    std::array<std::unique_ptr<RvBlock>, kPageWords> blocks;  // by the word they start at
    std::bitset<kPageWords> in_block;                         // words some block holds
  };
  Page& page(uint32_t offset) {
    std::unique_ptr<Page>& p = pages_[offset / kPageBytes];
    if (!p) p = std::make_unique<Page>();
    return *p;
  }

  uint32_t region_bytes_ = 0;
  std::vector<std::unique_ptr<Page>> pages_;
};

}  // namespace aimc::riscv
