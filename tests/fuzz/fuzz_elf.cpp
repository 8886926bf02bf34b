// Fuzz target: the ELF loader (headers, segments, symbols) and loading the image into the ISS's RAM, then a
// few thousand instructions of whatever it holds (on a bus where nothing is mapped).
#include "FuzzCommon.h"
#include "aimc/config/RvTiming.h"
#include "aimc/riscv/ElfImage.h"
#include "aimc/riscv/RvBus.h"
#include "aimc/riscv/RvHart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  return aimc_fuzz::refuse_or_accept([&] {
    const aimc::riscv::ElfImage image = aimc::riscv::ElfImage::parse("fuzz.elf", bytes);
    aimc::riscv::RvUnmappedBus bus;
    aimc::riscv::RvHart hart(aimc::riscv::RvTiming{}, bus);
    hart.load_program(image);
    hart.reset(image.entry);
    // A cycle bound too: a trap loop (a handler that faults again) retires no instruction.
    (void)hart.run(1u << 20, 4096);
  });
}
