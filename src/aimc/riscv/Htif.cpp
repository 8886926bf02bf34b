#include "aimc/riscv/Htif.h"

namespace aimc::riscv {

bool Htif::store(uint32_t offset, uint32_t value) {
  if (offset == 4) {
    high_ = value;
    return false;
  }
  const uint32_t device = high_ >> 24, command = (high_ >> 16) & 0xFF;
  high_ = 0;  // the next command starts afresh
  if (device == 0 && command == 0 && (value & 1)) {
    done_ = true;
    exit_code_ = value >> 1;
    return true;
  }
  if (device == 1 && command == 1) {
    const char c = static_cast<char>(value & 0xFF);
    console_.put(c);
    text_.push_back(c);
  }
  return false;
}

}  // namespace aimc::riscv
