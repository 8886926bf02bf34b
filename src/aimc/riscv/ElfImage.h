#pragma once
// A 32-bit little-endian RISC-V executable as the ISS loads it: the loadable segments, the entry point and
// the symbols (tohost/fromhost of the HTIF convention, the firmware's command-table buffer).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aimc::riscv {

struct ElfSegment {
  uint32_t vaddr = 0;
  uint32_t memsz = 0;
  std::vector<uint8_t> bytes;  // file contents (filesz bytes); the rest up to memsz is zero
};

struct ElfImage {
  std::string path;
  uint32_t entry = 0;
  std::vector<ElfSegment> segments;
  std::map<std::string, uint32_t> symbols;  // name -> value, from .symtab (empty if stripped)

  // The most memory the loadable segments may ask for together (sum of p_memsz): 2 GiB, half the 32-bit
  // address space. A choice: far above any controller firmware or test program, and it bounds what a header
  // can make the ISS reserve (its RAM is mapped on first touch, ZeroFilledRam.h).
  static constexpr uint64_t kMaxLoadBytes = uint64_t{2} << 30;

  // Reads and checks an ELF file; a malformed, truncated or non-RV32 file is a UserError naming the file and
  // the offending header field: segments outside the file, overlapping each other or the controller's
  // register windows (isa/RegisterMap.h), more than kMaxLoadBytes, an entry point in no segment.
  static ElfImage load(const std::string& path);
  static ElfImage parse(const std::string& path, const std::vector<uint8_t>& bytes);
};

}  // namespace aimc::riscv
