#pragma once
// Shared by the RISC-V tests: the built ISA test programs and a loop that runs a program on the plain engine.
#include <dirent.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "aimc/riscv/ElfImage.h"
#include "aimc/riscv/Htif.h"
#include "aimc/riscv/RvHart.h"
#include "aimc_test_paths.h"

namespace aimc::riscv::test {

inline std::string elf_path(const std::string& name) {
  return std::string(AIMCSIM_RISCV_TESTS) + "/" + name + ".elf";
}

// Names of the ISA tests: every tests/riscv/*.S except the x_*.S helpers of the CLI tests.
inline std::vector<std::string> isa_test_names() {
  std::vector<std::string> names;
  const std::string dir = std::string(AIMCSIM_TEST_DATA) + "/../riscv";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n.size() > 2 && n.substr(n.size() - 2) == ".S" && n.rfind("x_", 0) != 0)
        names.push_back(n.substr(0, n.size() - 2));
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct ProgramResult {
  RvHart::Stop stop = RvHart::Stop::kRunning;
  uint32_t exit_code = 0;
  std::string console;
};

// Runs `hart` (program already loaded) to its end; wfi sleeps until the timer (nothing else can wake it).
inline ProgramResult run_program(RvHart& hart, const ElfImage& image, uint64_t max_instret = 1'000'000) {
  std::ostringstream console;
  Htif htif(console);
  const uint32_t tohost = image.symbols.at("tohost");
  hart.watch_stores(tohost, 8, [&](uint32_t addr, uint32_t v) { return htif.store(addr - tohost, v); });
  hart.reset(image.entry);
  ProgramResult r;
  while (true) {
    r.stop = hart.run(UINT64_MAX, max_instret);
    if (r.stop != RvHart::Stop::kWaitForInterrupt || hart.timer_wake_cycle() == UINT64_MAX) break;
    hart.sleep_until(hart.timer_wake_cycle());
  }
  r.exit_code = htif.exit_code();
  r.console = console.str();
  return r;
}

}  // namespace aimc::riscv::test
