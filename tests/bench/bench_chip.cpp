// Host cost of the event-driven chip. One 16x16-mesh chip (256 cores) is elaborated once; phases then run
// the same number of MVMs (input arrival, MVM, digital unit) on 1, 4, 16, 64 and 256 active cores, and with
// the idle time between samples doubled. Prints host time per simulated MVM and the ratios, measured in this
// run. Targets (issue 4): per-MVM host time within +-20 % from 1 to 256 cores (no cost growing with the
// square of the chip); doubling idle time changes host time by at most 5 % (nothing ticks while idle).
// Host time is this thread's CPU time (the SystemC kernel runs every process on it), not wall time: the host
// is shared and wall time swings with its load. Every phase runs twice (ascending, then descending core
// counts) and the smaller time counts, so a burst of load on the host does not decide a ratio.
//
// The per-MVM time is split in two: the array read alone (CrossbarArray::mvm_codes of the same tiles, in the
// same round-robin order, without the kernel, ADC bank or digital unit) and the rest (the simulator's own
// events, the SRAM gather, ADC bank, digital unit). The read streams the tile's exact int16 matrices; once
// the active tiles' matrices exceed the host's last-level cache it is bound by the host's memory bandwidth,
// which the split makes visible apart from the simulator's own scaling.
//
// Usage: bench_chip [crossbar size, default 256; a small one (e.g. 16) shows the kernel's own cost]
//                   [active core counts to run, e.g. 1,256 (for profiling one phase); default all]
//                   [MVMs per phase, default 4096] [arch overrides key=value ...]
// ("-" keeps a default, e.g. bench_chip 256 - 4096 device.read_noise_variance=rank1)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "../unit/hw/CoreFeeder.h"
#include "BenchSupport.h"
#include "aimc/config/ArchConfig.h"

namespace {

using namespace aimc;

double thread_cpu_s() {
  return bench::cpu_seconds();
}

// The host's last-level cache as the kernel reports it (sysconf's figure is wrong in some VMs), or 0.
double last_level_cache_bytes() {
  std::FILE* f = std::fopen("/sys/devices/system/cpu/cpu0/cache/index3/size", "r");
  if (!f) return 0.0;
  double v = 0.0;
  char unit = 0;
  const int n = std::fscanf(f, "%lf%c", &v, &unit);
  std::fclose(f);
  if (n < 1) return 0.0;
  return unit == 'K' ? v * 1024 : unit == 'M' ? v * 1024 * 1024 : v;
}

ArchConfig bench_arch(int size, const std::vector<std::string>& extra) {
  ConfigSource o;
  std::vector<std::string> sets{"chip.cores=256",
                                "noc.mesh_cols=16",
                                "noc.mesh_rows=16",
                                "core.crossbar.rows=" + std::to_string(size),
                                "core.crossbar.cols=" + std::to_string(size),
                                "core.adc.count=" + std::to_string(size)};
  sets.insert(sets.end(), extra.begin(), extra.end());
  for (const std::string& s : sets) o.apply_override(s, "bench_chip");
  return load_arch("arch/hermes.yaml", o);
}

// Host time per read of the arrays alone: `total` reads of tiles [0, active) in turn, with the inputs the
// chip's tiles gather.
double array_reads(const hwtest::CoreFeeder& chip, int active, uint64_t total) {
  MatrixXi32RowMajor codes(1, chip.geometry().col_count), pos, neg;
  const auto& cores = chip.cores();
  chip.geometry().gather(0, chip.input().data(), codes.data(), cores[0]->tile().array().input_code_max());
  const double t0 = thread_cpu_s();
  for (uint64_t k = 0; k < total; ++k)
    cores[k % static_cast<uint64_t>(active)]->tile().array().mvm_codes(codes, pos, neg, k, nullptr);
  return (thread_cpu_s() - t0) / static_cast<double>(total);
}

}  // namespace

int main(int argc, char** argv) {
  const int size = argc > 1 ? std::atoi(argv[1]) : 256;
  std::vector<int> actives = {1, 4, 16, 64, 256};
  if (argc > 2 && std::string(argv[2]) != "-") {
    actives.clear();
    for (const char* p = argv[2]; *p;) {
      char* end = nullptr;
      const long a = std::strtol(p, &end, 10);
      if (end == p || a < 1 || a > 256) {
        std::fprintf(stderr, "bench_chip: bad core count list '%s'\n", argv[2]);
        return 2;
      }
      actives.push_back(static_cast<int>(a));
      p = *end == ',' ? end + 1 : end;
    }
  }
  const ArchConfig arch = bench_arch(size, std::vector<std::string>(argv + std::min(argc, 4), argv + argc));
  hwtest::CoreFeeder bench("bench", arch);
  const uint64_t total = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 4096;  // MVMs per phase
  if (total < 256) {
    std::fprintf(stderr, "bench_chip: at least 256 MVMs per phase\n");
    return 2;
  }
  auto phase = [&](int active, double gap_ns) {
    const double t0 = thread_cpu_s();
    bench.start(active, total / static_cast<uint64_t>(active), gap_ns);
    sc_core::sc_start();
    return (thread_cpu_s() - t0) / static_cast<double>(total);
  };
  phase(256, 1000.0);  // warm-up: first touch of every core's buffers and thread stack
  std::printf("bench_chip: %dx%d crossbars, 256-core chip, %llu MVMs per phase, best of 2 runs each\n", size,
              size, static_cast<unsigned long long>(total));
  // What one MVM of a tile streams (ReadCurrentMatrix + ReadNoiseVarianceMatrix, int16 units, rows padded to
  // 32): once the active tiles' sum exceeds the last-level cache, the read is memory-bandwidth bound.
  const int padded_rows = (size + 31) / 32 * 32;
  // The variance matrix is there only with exact per-read variances (rank1 keeps two vectors instead).
  const bool exact = arch.core.tile.device.read_noise_variance == ReadNoiseVariance::kExact;
  const double kb = (exact ? 2.0 : 1.0) * size * padded_rows * 2 / 1024.0;
  const double llc = last_level_cache_bytes();
  std::printf(
      "  per-MVM read working set of a tile: %.0f KB (int16 currents%s); x 64 tiles = %.1f MB, "
      "x 256 = %.1f MB; host last-level cache %.0f MB\n",
      kb, exact ? " + variances" : "", kb * 64 / 1024, kb * 256 / 1024, llc / (1 << 20));
  std::vector<double> chip(actives.size(), 1e30), array(actives.size(), 1e30);
  for (int run = 0; run < 2; ++run)
    for (size_t k = 0; k < actives.size(); ++k) {
      const size_t i = run == 0 ? k : actives.size() - 1 - k;
      chip[i] = std::min(chip[i], phase(actives[i], 1000.0));
      array[i] = std::min(array[i], array_reads(bench, actives[i], total));
    }
  std::printf("  active  host CPU per MVM (us)           ratio to 1 core\n");
  std::printf("   cores    chip  array read    rest      chip  array read    rest\n");
  bool ok = true, rest_ok = true;
  for (size_t i = 0; i < actives.size(); ++i) {
    const double r = chip[i] / chip[0], ra = array[i] / array[0];
    const double rr = (chip[i] - array[i]) / (chip[0] - array[0]);
    std::printf("  %6d %7.2f %11.2f %7.2f %9.3f %11.3f %7.3f%s\n", actives[i], chip[i] * 1e6, array[i] * 1e6,
                (chip[i] - array[i]) * 1e6, r, ra, rr,
                std::abs(r - 1.0) <= 0.20 ? "" : "  (chip outside +-20 %)");
    ok = ok && std::abs(r - 1.0) <= 0.20;
    rest_ok = rest_ok && std::abs(rr - 1.0) <= 0.20;
  }
  std::printf("  simulator's own cost (chip minus array read) %s +-20 %% from 1 to %d cores\n",
              rest_ok ? "within" : "outside", actives.back());
  // Idle time: 16 active cores (their state fits the host's caches, so the ratio shows the kernel, not the
  // memory system), best of three. The kernel's delta cycles per phase are printed too: a clock ticking while
  // idle would add thousands per sample (the IdleCost test checks that they do not change at all).
  double idle1 = 1e30, idle2 = 1e30;
  uint64_t deltas1 = 0, deltas2 = 0;
  for (int run = 0; run < 3; ++run) {
    uint64_t d = sc_core::sc_delta_count();
    idle1 = std::min(idle1, phase(16, 1000.0));
    deltas1 = sc_core::sc_delta_count() - d;
    d = sc_core::sc_delta_count();
    idle2 = std::min(idle2, phase(16, 2000.0));
    deltas2 = sc_core::sc_delta_count() - d;
  }
  std::printf(
      "  16 cores, 1 us between samples: %.2f us per MVM, %llu delta cycles; 2 us: %.2f (ratio %.3f), %llu "
      "delta "
      "cycles%s\n",
      idle1 * 1e6, static_cast<unsigned long long>(deltas1), idle2 * 1e6, idle2 / idle1,
      static_cast<unsigned long long>(deltas2),
      std::abs(idle2 / idle1 - 1.0) <= 0.05 ? "" : "  (outside 5 %)");
  ok = ok && std::abs(idle2 / idle1 - 1.0) <= 0.05;
  std::printf("%s\n", ok ? "bench_chip: targets met" : "bench_chip: a target is missed");
  return ok ? 0 : 1;
}
