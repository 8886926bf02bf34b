// Nothing ticks while the chip is idle: the kernel's work for a run (its delta cycles) is the same whatever
// the idle time between samples, and the run lasts exactly the added idle time longer (issue 4: host time
// follows activity, not simulated time). Delta cycles are the kernel's own count of evaluation rounds, so the
// test is exact and does not depend on how fast the host is.
#include <gtest/gtest.h>

#include <cmath>

#include "CoreFeeder.h"

namespace aimc {
namespace {

struct Phase {
  uint64_t deltas = 0;
  int64_t duration_ps = 0;
  double mvms = 0;
};

// Runs `samples` samples from the next whole microsecond on (every clock of the core has an edge there, so
// each phase starts in the same phase of every clock).
Phase run_phase(hwtest::CoreFeeder& feeder, int active, uint64_t samples, double gap_ns) {
  const double now_us = sc_core::sc_time_stamp().to_seconds() * 1e6;
  sc_core::sc_start(sc_core::sc_time(std::ceil(now_us) - now_us, sc_core::SC_US));
  const uint64_t d0 = sc_core::sc_delta_count();
  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  const double m0 = feeder.cores()[0]->tile().stats().value("mvms");
  feeder.start(active, samples, gap_ns);
  sc_core::sc_start();
  return {sc_core::sc_delta_count() - d0, hwtest::ps(hwtest::ns_of(sc_core::sc_time_stamp() - t0)),
          feeder.cores()[0]->tile().stats().value("mvms") - m0};
}

TEST(IdleCost, IdleTimeAddsNoKernelWork) {
  const ArchConfig arch =
      hwtest::hermes({"chip.cores=4", "noc.mesh_cols=2", "noc.mesh_rows=2", "core.crossbar.rows=16",
                      "core.crossbar.cols=16", "core.adc.count=16"});
  hwtest::CoreFeeder feeder("feeder", arch);
  constexpr uint64_t kSamples = 20;
  const Phase base = run_phase(feeder, 4, kSamples, 2000.0);
  for (double gap : {4000.0, 8000.0, 1e6}) {
    const Phase p = run_phase(feeder, 4, kSamples, gap);
    EXPECT_EQ(p.mvms, static_cast<double>(kSamples)) << gap;
    EXPECT_EQ(p.deltas, base.deltas) << "gap " << gap << " ns";
    // The same work, spread out: the last input arrives (samples - 1) gaps after the first.
    EXPECT_EQ(p.duration_ps - base.duration_ps, hwtest::ps((kSamples - 1) * (gap - 2000.0))) << gap;
  }
}

}  // namespace
}  // namespace aimc
