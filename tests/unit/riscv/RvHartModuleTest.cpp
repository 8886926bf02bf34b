// The hart under SystemC with temporal decoupling: a program with a timer interrupt and wfi runs to its end;
// simulated time ends exactly at the hart's last cycle; accesses outside RAM go over TLM (access fault).
#include <gtest/gtest.h>

#include "RiscvTestSupport.h"
#include "aimc/hw/RvHartModule.h"
#include "aimc/hw/RvUnmappedTarget.h"

namespace aimc::riscv {
namespace {

TEST(RvHartModule, RunsATimerProgramAndEndsAtItsLastCycle) {
  const ElfImage image = ElfImage::load(test::elf_path("timer_interrupt"));
  RvHartModule m("controller", 2.5, RvTiming{}, 100.0);
  RvUnmappedTarget unmapped("unmapped");
  m.socket.bind(unmapped.socket);
  m.hart().load_program(image);
  std::ostringstream console;
  Htif htif(console);
  const uint32_t tohost = image.symbols.at("tohost");
  m.hart().watch_stores(tohost, 8, [&](uint32_t a, uint32_t v) { return htif.store(a - tohost, v); });
  RvHart::Stop stop = RvHart::Stop::kRunning;
  m.finished = [&](RvHart::Stop s) { stop = s; };
  m.start(image.entry, 1'000'000);
  sc_core::sc_start();
  EXPECT_EQ(stop, RvHart::Stop::kHalted);
  EXPECT_EQ(htif.exit_code(), 0u);
  EXPECT_DOUBLE_EQ(sc_core::sc_time_stamp().to_seconds() * 1e9, 2.5 * static_cast<double>(m.hart().cycle()));
  EXPECT_GE(m.hart().sleep_cycles(), 150u);  // asleep in wfi until mtimecmp (mtime + 200)
  EXPECT_EQ(m.stats().value("instructions"), static_cast<double>(m.hart().instret()));
  EXPECT_EQ(m.stats().value("instructions_csr") + m.stats().value("instructions_alu") +
                m.stats().value("instructions_load") + m.stats().value("instructions_store") +
                m.stats().value("instructions_branch") + m.stats().value("instructions_jump") +
                m.stats().value("instructions_system") + m.stats().value("instructions_mul") +
                m.stats().value("instructions_div"),
            m.stats().value("instructions"));
}

TEST(RvHartModule, AccessFaultComesFromTheTlmTarget) {
  const ElfImage image = ElfImage::load(test::elf_path("access_fault"));
  RvHartModule m("controller", 2.5, RvTiming{}, 100.0);
  RvUnmappedTarget unmapped("unmapped");
  m.socket.bind(unmapped.socket);
  m.hart().load_program(image);
  Htif htif(std::cout);
  const uint32_t tohost = image.symbols.at("tohost");
  m.hart().watch_stores(tohost, 8, [&](uint32_t a, uint32_t v) { return htif.store(a - tohost, v); });
  m.start(image.entry, 1'000'000);
  sc_core::sc_start();
  EXPECT_TRUE(htif.done());
  EXPECT_EQ(htif.exit_code(), 0u);
  EXPECT_EQ(m.stats().value("bus_accesses"), 2.0);
}

}  // namespace
}  // namespace aimc::riscv
