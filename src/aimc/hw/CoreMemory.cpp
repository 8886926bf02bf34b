#include "aimc/hw/CoreMemory.h"

#include "aimc/base/Error.h"

namespace aimc {

CoreMemory::CoreMemory(StatGroup& stats, uint32_t depth)
    : depth_(depth),
      bytes_(stats.add("sram_bytes", "B", "Bytes read from or written to the local SRAM")),
      peak_slots_(stats.add("sram_peak_vectors", "1", "Most activation vectors held at once")) {}

std::vector<int8_t>& CoreMemory::buffer(uint32_t tag, uint64_t sample, size_t size) {
  Slot& s = slots_[key(tag, sample)];
  if (s.data.size() < size) s.data.resize(size, 0);
  if (static_cast<double>(slots_.size()) > peak_slots_.value())
    peak_slots_.set(static_cast<double>(slots_.size()));
  return s.data;
}

void CoreMemory::arrived(uint32_t tag, uint64_t sample, uint32_t bytes) {
  slots_[key(tag, sample)].received += bytes;
  changed_.notify(sc_core::SC_ZERO_TIME);
}

void CoreMemory::wait_for(uint32_t tag, uint64_t sample, uint32_t bytes) {
  while (slots_[key(tag, sample)].received < bytes) sc_core::wait(changed_);
}

void CoreMemory::release(uint32_t tag, uint64_t sample) {
  AIMC_ASSERT(released_[tag] == sample);
  slots_.erase(key(tag, sample));
  released_[tag] = sample + 1;
  changed_.notify(sc_core::SC_ZERO_TIME);
}

void CoreMemory::wait_for_space(uint32_t tag, uint64_t sample) {
  while (sample >= released_[tag] + depth_) sc_core::wait(changed_);
}

}  // namespace aimc
