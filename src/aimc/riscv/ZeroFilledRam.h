#pragma once
// The bytes of one ISS RAM region, from calloc: its large blocks are fresh pages the kernel maps (zeroed) on
// first touch, so a 1 GiB .bss costs only the pages the program touches, not 1 GiB of memset at load (issue
// 21). No per-element construction either: a std::vector would value-initialise every byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

namespace aimc::riscv {

class ZeroFilledRam {
 public:
  ZeroFilledRam() = default;
  explicit ZeroFilledRam(size_t bytes) : bytes_(static_cast<uint8_t*>(std::calloc(bytes, 1))) {
    if (bytes != 0 && !bytes_) throw std::bad_alloc();
  }
  uint8_t* data() { return bytes_.get(); }
  const uint8_t* data() const { return bytes_.get(); }

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t[], Free> bytes_;
};

}  // namespace aimc::riscv
