#pragma once
// The host-target interface of Spike and the riscv-tests: the program writes a 64-bit command to its
// `tohost` symbol. Device 0 (upper 16 bits zero): value 1 = pass, (code << 1) | 1 = fail with `code`.
// Device 1, command 1 (value 0x0101'0000'0000'00cc): write character cc to the console.
// On RV32 the command is two 32-bit stores; the low word triggers it and the high word must be stored
// first (a program that exits stores the low word first and leaves the high word zero — both work).
#include <cstdint>
#include <ostream>
#include <string>

namespace aimc::riscv {

class Htif {
 public:
  explicit Htif(std::ostream& console) : console_(console) {}
  // A store of `value` to tohost + `offset` (0 or 4). Returns true when the program has ended.
  bool store(uint32_t offset, uint32_t value);
  bool done() const { return done_; }
  uint32_t exit_code() const { return exit_code_; }
  const std::string& console_text() const { return text_; }

 private:
  std::ostream& console_;
  uint32_t high_ = 0;
  bool done_ = false;
  uint32_t exit_code_ = 0;
  std::string text_;
};

}  // namespace aimc::riscv
