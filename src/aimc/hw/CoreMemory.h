#pragma once
// The core's local activation SRAM, organised as slots (one vector of one sample each), with arrival counting
// and credit-based flow control: a slot tag holds at most `depth` samples (double buffering by default), so a
// producer that runs ahead waits for the consumer instead of overflowing the SRAM.
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include <systemc>

#include "aimc/base/Stats.h"

namespace aimc {

class CoreMemory {
 public:
  CoreMemory(StatGroup& stats, uint32_t depth);

  // The buffer of (tag, sample), created on first use with `size` bytes.
  std::vector<int8_t>& buffer(uint32_t tag, uint64_t sample, size_t size);
  // Records `bytes` arriving for (tag, sample) and wakes waiters.
  void arrived(uint32_t tag, uint64_t sample, uint32_t bytes);
  // Bytes that have arrived so far for (tag, sample) (0 for a slot not yet created or already released).
  uint32_t arrived_bytes(uint32_t tag, uint64_t sample) const {
    auto it = slots_.find(key(tag, sample));
    return it == slots_.end() ? 0 : it->second.received;
  }
  // Blocks the calling thread until `bytes` have arrived for (tag, sample).
  void wait_for(uint32_t tag, uint64_t sample, uint32_t bytes);
  // Frees (tag, sample): its consumer is done with it.
  void release(uint32_t tag, uint64_t sample);
  // Blocks until (tag, sample) may be written (fewer than `depth` older samples of `tag` still held).
  void wait_for_space(uint32_t tag, uint64_t sample);

  // Tables the loader places in SRAM (the digital unit's configuration words, per config_tag), kept apart
  // from the activation slots: they live as long as an inference time, not one sample.
  void place_table(uint32_t tag, std::vector<uint32_t> words) { tables_[tag] = std::move(words); }
  // The table `tag`, or nullptr if none was placed.
  const std::vector<uint32_t>* table(uint32_t tag) const {
    auto it = tables_.find(tag);
    return it == tables_.end() ? nullptr : &it->second;
  }

  // Access cost accounting (bytes read or written), for the power model.
  void count_access(uint64_t bytes) { bytes_ += static_cast<double>(bytes); }

 private:
  struct Slot {
    std::vector<int8_t> data;
    uint32_t received = 0;
  };
  static uint64_t key(uint32_t tag, uint64_t sample) { return (static_cast<uint64_t>(tag) << 40) | sample; }

  std::map<uint64_t, Slot> slots_;
  std::map<uint32_t, std::vector<uint32_t>> tables_;
  std::map<uint32_t, uint64_t> released_;  // per tag: samples released so far (they are released in order)
  uint32_t depth_;
  sc_core::sc_event changed_;
  Stat& bytes_;
  Stat& peak_slots_;
};

}  // namespace aimc
