// A slower controller makes the run slower by exactly the controller cycles on the critical path. One core,
// one 256x256 piece, a table of two commands (MVM, digital unit) and one sample: the controller's issue
// time is on the critical path, since each command is fetched only after the previous one completed.
//
// First-sample latency L (from the controller's first command to the end of the sample) is
//   command table:  L(T) = n * cycles_per_command * T + sum_k B_k
//   RISC-V:         L(T) = N * T + sum_k ceil(B_k / T) * T
// with T the controller period, n the commands, B_k the time block k takes from its GO write to its
// completion (the span the block records; it includes the block's wait for its own clock edge), and N the
// hart's own cycles from the first GO store to the SAMPLE_DONE store (instructions, load-use and branch
// penalties — the same instruction stream at any clock). The hart resumes after a block on its own clock
// edge, hence the ceil. When every controller edge is also an edge of the blocks' clocks (T a multiple of
// the blocks' clocks: 200 and 100 MHz against the 1 ns tile and 2.5 ns digital unit) the B_k do not depend
// on T, so the difference between two controller clocks is exactly n * cycles_per_command * (T_slow -
// T_fast) for the command table. All times are compared in whole picoseconds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "HwTestSupport.h"
#include "aimc/hw/Chip.h"
#include "aimc/hw/TraceRecorder.h"

namespace aimc {
namespace {

Mapping one_core_one_layer(const ArchConfig& arch) {
  return hwtest::one_core(
      arch, {{CommandOp::kMvm, input_tag(0)}, {CommandOp::kDigital, output_tag(0), kNoSlot}}, true);
}

using hwtest::ps;  // times in whole picoseconds: every comparison is exact

struct Measured {
  int64_t latency_ps = 0;
  std::vector<int64_t> block_ps;  // B_k, in command order
  int64_t period_ps = 0;
};

// Several chips in one SystemC kernel (one per controller clock), each run for one sample in turn.
class Runs {
 public:
  void add(const std::string& name, std::initializer_list<const char*> sets) {
    archs_.push_back(std::make_unique<ArchConfig>(hwtest::hermes(sets)));
    mappings_.push_back(std::make_unique<Mapping>(one_core_one_layer(*archs_.back())));
    chips_.push_back(std::make_unique<Chip>(name.c_str(), *archs_.back(), *mappings_.back(), 1));
    chips_.back()->program();
    chips_.back()->set_inference_time(1.0);
    hwtest::load_digital_units(*chips_.back(), *mappings_.back());
  }
  std::vector<Measured> run() {
    TraceRecorder trace;
    std::vector<Measured> out;
    for (auto& chip : chips_) {
      // Each chip starts on a whole microsecond (an edge of every clock here), as the first one at time 0.
      const int64_t now_ps = static_cast<int64_t>(sc_core::sc_time_stamp().value());
      const int64_t start_ps = (now_ps + 999999) / 1000000 * 1000000;
      if (start_ps > now_ps)
        sc_core::sc_start(sc_core::sc_time(static_cast<double>(start_ps - now_ps), sc_core::SC_PS));
      chip->run({}, 1);
      const Controller& c = chip->cores()[0]->controller();
      Measured m;
      m.latency_ps = ps(c.first_sample_end_ns()) - ps(c.first_sample_begin_ns());
      m.period_ps = ps(c.period_ns());
      const std::string prefix = std::string(chip->name()) + ".core0.";
      for (const auto& s : trace.spans()) {
        const std::string& track = trace.track_name(s.track);
        if ((track == prefix + "tile" && s.name == "mvm s0") ||
            (track == prefix + "digital_unit" && s.name == "digital s0"))
          m.block_ps.push_back(ps(s.end_ns) - ps(s.begin_ns));
      }
      EXPECT_EQ(m.block_ps.size(), 2u) << chip->name();
      out.push_back(m);
    }
    return out;
  }

 private:
  std::vector<std::unique_ptr<ArchConfig>> archs_;
  std::vector<std::unique_ptr<Mapping>> mappings_;
  std::vector<std::unique_ptr<Chip>> chips_;
};

int64_t ceil_to(int64_t t, int64_t period) {
  return (t + period - 1) / period * period;
}

TEST(ControllerTiming, CommandTableSlowerClockCostsExactlyItsIssueCycles) {
  Runs runs;
  runs.add("fast", {"core.controller.clock=200MHz"});  // T = 5 ns
  runs.add("slow", {"core.controller.clock=100MHz"});  // T = 10 ns
  runs.add("odd", {"core.controller.clock=250MHz"});   // T = 4 ns: its edges miss the digital unit's
  runs.add("cpc4", {"core.controller.clock=200MHz", "core.controller.cycles_per_command=4"});
  const std::vector<Measured> r = runs.run();
  const int64_t n = 2, cpc = 2;
  for (size_t i = 0; i < r.size(); ++i) {
    // The decomposition holds at every clock, aligned or not.
    const int64_t cycles = i == 3 ? 4 : cpc;
    EXPECT_EQ(r[i].latency_ps, n * cycles * r[i].period_ps + r[i].block_ps[0] + r[i].block_ps[1]) << i;
  }
  // 200 and 100 MHz: the blocks start at the same phase of their own clocks and take the same time, so the
  // difference is exactly n x cycles_per_command x (10 - 5) ns = 20 ns.
  EXPECT_EQ(r[0].block_ps, r[1].block_ps);
  EXPECT_EQ(r[1].latency_ps - r[0].latency_ps, n * cpc * (10000 - 5000));
  EXPECT_EQ(r[1].latency_ps - r[0].latency_ps, 20000);
  std::printf("command table: L(5 ns) = %lld ps, L(10 ns) = %lld ps\n",
              static_cast<long long>(r[0].latency_ps), static_cast<long long>(r[1].latency_ps));
  // Doubling cycles_per_command at 200 MHz costs n x 2 more cycles of 5 ns.
  EXPECT_EQ(r[3].block_ps, r[0].block_ps);
  EXPECT_EQ(r[3].latency_ps - r[0].latency_ps, n * (4 - cpc) * 5000);
}

TEST(ControllerTiming, RiscvSlowerClockCostsItsOwnCyclesAndWholeCycleStalls) {
  Runs runs;
  const char* kind = "core.controller.kind=riscv";
  runs.add("c200", {kind, "core.controller.clock=200MHz"});  // 5 ns
  runs.add("c100", {kind, "core.controller.clock=100MHz"});  // 10 ns
  runs.add("c50", {kind, "core.controller.clock=50MHz"});    // 20 ns
  runs.add("c250", {kind, "core.controller.clock=250MHz"});  // 4 ns: not aligned with the digital unit
  const std::vector<Measured> r = runs.run();
  // N = (L - sum_k ceil_T(B_k)) / T is one whole number, the same at every clock.
  std::vector<int64_t> own;
  for (const Measured& m : r) {
    int64_t rest = m.latency_ps;
    for (int64_t b : m.block_ps) rest -= ceil_to(b, m.period_ps);
    EXPECT_EQ(rest % m.period_ps, 0) << m.period_ps;
    own.push_back(rest / m.period_ps);
  }
  EXPECT_GT(own[0], 10);  // the firmware's loop, driver and stores between the first GO and SAMPLE_DONE
  for (size_t i = 1; i < own.size(); ++i) EXPECT_EQ(own[i], own[0]) << i;
  // Aligned clocks (5 and 10 ns): the blocks take the same time; the slower clock's extra time is exactly
  // N x (10 - 5) ns plus the stalls' rounding up to the slower clock's whole cycles.
  EXPECT_EQ(r[0].block_ps, r[1].block_ps);
  int64_t rounding = 0;
  for (int64_t b : r[0].block_ps) rounding += ceil_to(b, 10000) - ceil_to(b, 5000);
  EXPECT_EQ(r[1].latency_ps - r[0].latency_ps, own[0] * (10000 - 5000) + rounding);
  std::printf("riscv: N = %lld own cycles; L(5 ns) = %lld ps, L(10 ns) = %lld ps, stall rounding %lld ps\n",
              static_cast<long long>(own[0]), static_cast<long long>(r[0].latency_ps),
              static_cast<long long>(r[1].latency_ps), static_cast<long long>(rounding));
}

// A barrier in every sample's table (kBarrierEverySample) keeps two controllers in lockstep: core 0 runs a
// 256-row piece, core 1 a 16-row one (a shorter digital-unit run), yet both finish every sample on the same
// edge, mailbox.latency cycles after the slower one arrived; the faster one's wait is the mailbox's stall.
void check_lockstep(const char* kind) {
  const ArchConfig arch = hwtest::hermes({kind});
  Mapping m = one_core_one_layer(arch);
  m.pieces.push_back(hwtest::piece(1, 16, arch.core.tile.cols));
  m.layers[0].pieces.push_back(1);
  m.commands[1] = {{CommandOp::kMvm, input_tag(1)}, {CommandOp::kDigital, output_tag(1), kNoSlot}};
  for (auto* t : {&m.commands[0], &m.commands[1]})
    t->push_back({CommandOp::kBarrier, 5, 2, kBarrierEverySample});
  m.controller_commands = m.commands;
  Chip chip("chip", arch, m, 1);
  chip.program();
  chip.set_inference_time(1.0);
  hwtest::load_digital_units(chip, m);
  std::vector<int64_t> done[2];
  for (int c = 0; c < 2; ++c)
    chip.controllers()[static_cast<size_t>(c)]->on_sample_done(
        [&done, c](uint64_t) { done[c].push_back(static_cast<int64_t>(sc_core::sc_time_stamp().value())); });
  chip.run({}, 3);
  ASSERT_EQ(done[0].size(), 3u);
  EXPECT_EQ(done[0], done[1]);
  EXPECT_EQ(chip.mailbox().stats().value("barriers"), 3);
  EXPECT_GT(chip.mailbox().stats().value("stall_time"), 0);
  // Released on a controller edge: the barrier's latency counts whole controller cycles after the last
  // arrival, which was itself on an edge (the command table: fetches of whole cycles from time 0; the hart:
  // its own clock).
  for (int64_t t : done[0]) EXPECT_EQ(t % ps(chip.controllers()[0]->period_ns()), 0) << t;
}

TEST(ControllerTiming, EverySampleBarrierKeepsControllersInLockstepCommandTable) {
  check_lockstep("core.controller.kind=command_table");
}

TEST(ControllerTiming, EverySampleBarrierKeepsControllersInLockstepRiscv) {
  check_lockstep("core.controller.kind=riscv");
}

}  // namespace
}  // namespace aimc
