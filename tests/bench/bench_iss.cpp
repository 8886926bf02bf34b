// Instructions per host second of the RISC-V controller ISS on a compute loop (ALU, shift, load with a
// load-use, multiply, taken branch): the plain engine alone, and under SystemC as a TLM initiator with
// temporal decoupling (tlm_quantumkeeper) at the default quantum (core.controller.riscv.quantum = 1 us).
// Prints MIPS measured in this run (the engine's counter is per CPU second; the SystemC figure per CPU second
// of this process and per wall second). Targets: issue 5 >= 50 MIPS with the quantum keeper; issue 20 item 6
// >= 300 MIPS per hart under SystemC (the ratio is printed beside it; on a shared host the CPU-time figure is
// the one to read).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

#include "aimc/hw/RvHartModule.h"
#include "aimc/hw/RvUnmappedTarget.h"
#include "aimc/riscv/RvHart.h"

namespace {

using aimc::riscv::RvHart;

uint32_t r_type(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd) {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33;
}
uint32_t i_type(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
  return (static_cast<uint32_t>(imm & 0xFFF) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

// The loop, 8 instructions; never ends (the runs stop at an instruction count).
std::vector<uint32_t> compute_loop() {
  const uint32_t a0 = 10, a1 = 11, a2 = 12, a3 = 13, a4 = 14, a5 = 15, a6 = 16;
  const int32_t back = -28;
  const uint32_t u = static_cast<uint32_t>(back);
  const uint32_t beq_back = (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3F) << 25) | (((u >> 1) & 0xF) << 8) |
                            (((u >> 11) & 1) << 7) | 0x63;  // beq x0, x0, -28
  return {i_type(1, a0, 0, a0, 0x13),                       // addi a0, a0, 1
          r_type(0, a0, a1, 4, a1),                         // xor a1, a1, a0
          i_type(3, a1, 1, a2, 0x13),                       // slli a2, a1, 3
          r_type(0, a2, a3, 0, a3),                         // add a3, a3, a2
          i_type(0x100, 0, 2, a4, 0x03),                    // lw a4, 0x100(x0)
          r_type(0, a4, a5, 0, a5),                         // add a5, a5, a4 (load-use)
          r_type(1, a1, a0, 0, a6),                         // mul a6, a0, a1
          beq_back};
}

void load(RvHart& h) {
  const std::vector<uint32_t> code = compute_loop();
  h.add_ram(0, 0x1000);
  h.write_ram(0, reinterpret_cast<const uint8_t*>(code.data()), code.size() * 4);
}

void BM_IssPlainEngine(benchmark::State& state) {
  aimc::riscv::RvUnmappedBus bus;
  RvHart h(aimc::riscv::RvTiming{}, bus);
  load(h);
  h.reset(0);
  const uint64_t n = 20'000'000;
  for ([[maybe_unused]] auto _ : state) {
    const uint64_t target = h.instret() + n;
    h.run(UINT64_MAX, target);
  }
  state.counters["MIPS"] = benchmark::Counter(
      static_cast<double>(n) * static_cast<double>(state.iterations()) / 1e6, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IssPlainEngine)->Unit(benchmark::kMillisecond)->MinTime(1.0);

// SystemC elaborates once per process (and the global quantum is shared): one hart module, timed by the host
// wall clock between its start and its `finished` callback.
struct TimedHart {
  aimc::riscv::RvHartModule module;
  aimc::riscv::RvUnmappedTarget unmapped;
  std::chrono::steady_clock::time_point begin, end;
  double cpu_begin = 0, cpu_end = 0;
  TimedHart(const char* name, double quantum_ns)
      : module(name, 2.5, aimc::riscv::RvTiming{}, quantum_ns),
        unmapped((std::string(name) + "_bus").c_str()) {
    module.socket.bind(unmapped.socket);
    load(module.hart());
  }
};

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();

  const uint64_t n = 100'000'000;
  TimedHart h("controller", 1000.0);
  h.module.finished = [&h](RvHart::Stop) {
    h.end = std::chrono::steady_clock::now();
    h.cpu_end = process_cpu_seconds();
  };
  h.module.start(0, n);
  h.begin = std::chrono::steady_clock::now();
  h.cpu_begin = process_cpu_seconds();
  sc_core::sc_start();
  const double s = std::chrono::duration<double>(h.end - h.begin).count(), cpu = h.cpu_end - h.cpu_begin;
  const double sim_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  const double mips_cpu = static_cast<double>(n) / cpu / 1e6;
  std::printf(
      "ISS under SystemC (tlm_quantumkeeper, quantum 1 us = 400 cycles): %.1f MIPS per CPU second, %.2fx the "
      "300 MIPS target (issue 20); %.1f MIPS per wall second (%llu instructions in %.3f s CPU, %.3f s wall; "
      "%.0f ns simulated, CPI %.3f; %llu quantum boundaries not waited for, nothing else was due)\n",
      mips_cpu, mips_cpu / 300.0, static_cast<double>(n) / s / 1e6, static_cast<unsigned long long>(n), cpu,
      s, sim_ns, static_cast<double>(h.module.hart().cycle()) / static_cast<double>(n),
      static_cast<unsigned long long>(h.module.skipped_syncs()));
  return 0;
}
