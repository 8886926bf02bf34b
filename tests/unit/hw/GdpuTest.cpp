// The GDPU block (hw/Gdpu) on the chip:
//  - placement: slice s is fed by the core of column s in row gdpu.feed_row (REFERENCE.md H: row 4 of the
//    8x8 HERMES floorplan); arches without those rows refuse gdpu.enabled;
//  - the unloaded latency of one slice step equals the closed form T(U) = 4 + P + max(4, R) (U - 1) GDPU
//    cycles from the first serial input to the last output, to the picosecond, and h arrives at the output
//    port exactly one unloaded network transfer after the network clock's next edge;
//  - the chip with the GDPU, the numerics-only executor (sim/MappedExecutor) and the plain numerics
//    (numerics/GdpuCell) give identical bits for a hand-built table that runs an LSTM or GRU cell over a
//    sequence (a kLoop over the timesteps) for several samples, under the command-table sequencer and the
//    RISC-V firmware;
//  - the GDPU's stats count what the numerics say a step does.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "HwTestSupport.h"
#include "aimc/base/Error.h"
#include "aimc/hw/Chip.h"
#include "aimc/sim/MappedExecutor.h"

namespace aimc {
namespace {

using hwtest::ps;

constexpr uint32_t kGates = 0x100;  // the slot of the feeding core that receives the gate vectors

// A table for the core feeding slice 0: the host sends `steps` gate vectors of `units` units to it, the
// slice runs them as one sequence (a kLoop, PIXEL = timestep) and sends every h to the chip's output.
Mapping gdpu_sequence(const ArchConfig& arch, GdpuCellKind kind, uint32_t units, uint32_t steps) {
  Mapping m;
  m.chip_cores = static_cast<int>(arch.chip.cores);
  const int core = gdpu_feeding_core(arch, 0);
  const uint32_t gate_bytes = kGdpuGatesPerUnit * units;
  m.input_features = int64_t{gate_bytes} * steps;
  m.output_features = int64_t{units} * steps;
  m.input_cores = {core};
  Mapping::InputTransfer in;
  in.core = core;
  in.tag = kGates;
  in.row_bytes = m.input_features;
  m.input_transfers = {in};
  isa::GdpuStep g;
  g.input_tag = kGates;
  g.dst_core = kOutputPort;
  g.pixels = steps;
  g.units = units;
  g.kind = kind;
  g.first = true;
  g.state_offset = 64 - units;  // any block of the registers
  g.bank = 1;
  m.commands.assign(static_cast<size_t>(arch.chip.cores), {});
  m.commands[static_cast<size_t>(core)] = {isa::WaitInput{kGates, gate_bytes * steps, 0}.encode(),
                                           isa::Loop{steps, 1}.encode(), g.encode()};
  m.controller_commands = m.commands;
  // Bank 1 of slice 0 holds the scales the step uses; bank 0 something else (it must not be read).
  m.gdpu_banks.assign(static_cast<size_t>(arch.gdpu.slices), {});
  m.gdpu_banks[0] = {GdpuBank::from_real({1, 1, 1, 1}, 1, "test"),
                     GdpuBank::from_real({1.0 / 32, 1.0 / 24, 1.0 / 32, 1.0 / 40}, 100.0, "test")};
  return m;
}

// Deterministic gate codes over the whole INT8 range.
std::vector<int8_t> gate_inputs(const Mapping& m, uint64_t samples) {
  std::vector<int8_t> x(samples * static_cast<uint64_t>(m.input_features));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<int8_t>((i * 73 + i / 7 * 29 + 11) % 256 - 128);
  return x;
}

// The plain numerics: each sample a sequence from zero state.
std::vector<int8_t> reference(const Mapping& m, const std::vector<int8_t>& x, uint64_t samples,
                              GdpuCellKind kind, uint32_t units, uint32_t steps) {
  std::vector<int8_t> out(samples * units * steps);
  for (uint64_t s = 0; s < samples; ++s) {
    std::vector<Fp16> state(units);
    for (uint32_t t = 0; t < steps; ++t)
      gdpu_cell_step(kind, m.gdpu_banks[0][1], x.data() + (s * steps + t) * kGdpuGatesPerUnit * units, units,
                     state.data(), t == 0, out.data() + (s * steps + t) * units);
  }
  return out;
}

TEST(Gdpu, SlicesAreFedByTheCoresOfRowFour) {
  const ArchConfig arch = hwtest::hermes({"gdpu.enabled=true"});
  for (int s = 0; s < arch.gdpu.slices; ++s) {
    const int core = gdpu_feeding_core(arch, s);
    EXPECT_EQ(core / arch.noc.mesh_cols, arch.gdpu.feed_row - 1);  // row 4, 1-based
    EXPECT_EQ(core % arch.noc.mesh_cols, s);
    EXPECT_EQ(gdpu_slice_of_core(arch, core), s);
  }
  EXPECT_EQ(gdpu_slice_of_core(arch, 0), -1);
  EXPECT_EQ(gdpu_slice_of_core(hwtest::hermes(), gdpu_feeding_core(arch, 0)), -1);  // disabled
}

TEST(Gdpu, ArchesWithoutTheRowsRefuseIt) {
  ConfigSource one_core;
  one_core.apply_override("gdpu.enabled=true", "test");
  try {
    load_arch("arch/hermes_core.yaml", one_core);
    FAIL() << "a one-core arch accepted the GDPU";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("gdpu.enabled"), std::string::npos) << e.what();
  }
  EXPECT_THROW(hwtest::hermes({"gdpu.enabled=true", "gdpu.feed_row=8"}), UserError);  // no row below
  EXPECT_THROW(hwtest::hermes({"gdpu.enabled=true", "gdpu.slices=9"}), UserError);    // 8 columns
  EXPECT_NO_THROW(hwtest::hermes({"gdpu.enabled=true", "gdpu.feed_row=7"}));
}

struct Latency {
  int64_t step_ps = 0, expected_step_ps = 0, arrival_ps = 0, expected_arrival_ps = 0;
};

// Chips running one step of `units` units each; SystemC takes no new module once it has run, so all are
// built before the first runs.
class OneStepRuns {
 public:
  void add(const std::string& name, const ArchConfig& arch, uint32_t units) {
    archs_.push_back(std::make_unique<ArchConfig>(arch));
    mappings_.push_back(
        std::make_unique<Mapping>(gdpu_sequence(*archs_.back(), GdpuCellKind::kLstm, units, 1)));
    chips_.push_back(std::make_unique<Chip>(name.c_str(), *archs_.back(), *mappings_.back(), 1));
    units_.push_back(units);
  }
  std::vector<Latency> run() {
    std::vector<Latency> out;
    for (size_t i = 0; i < chips_.size(); ++i) {
      const ArchConfig& arch = *archs_[i];
      Chip& chip = *chips_[i];
      const ChipRun run = chip.run(gate_inputs(*mappings_[i], 1), 1);
      const Gdpu::StepTimes& t = chip.gdpu()->last_step();
      Latency l;
      l.step_ps = static_cast<int64_t>((t.last_output - t.first_input).value());
      l.expected_step_ps =
          ps(static_cast<double>(Gdpu::step_cycles(arch.gdpu, units_[i])) * arch.gdpu_period_ns());
      // h leaves the slice at its feeding core's router for the output port at router 0.
      const int hops = chip.noc().hops(gdpu_feeding_core(arch, 0), 0);
      // The head leaves on the network clock's next edge (GDPU and network clocks may differ).
      const auto out_ps = static_cast<int64_t>(t.last_output.value());
      const int64_t noc_ps = ps(arch.noc_period_ns());
      l.arrival_ps = ps(run.end_ns) - out_ps;
      l.expected_arrival_ps = (out_ps + noc_ps - 1) / noc_ps * noc_ps - out_ps +
                              static_cast<int64_t>(chip.noc().unloaded_cycles(hops, units_[i])) * noc_ps;
      out.push_back(l);
    }
    return out;
  }

 private:
  std::vector<std::unique_ptr<ArchConfig>> archs_;
  std::vector<std::unique_ptr<Mapping>> mappings_;
  std::vector<std::unique_ptr<Chip>> chips_;
  std::vector<uint32_t> units_;
};

TEST(Gdpu, UnloadedStepLatencyEqualsTheClosedForm) {
  const ArchConfig arch = hwtest::hermes({"gdpu.enabled=true"});
  const ArchConfig slow = hwtest::hermes(
      {"gdpu.enabled=true", "gdpu.cycles_per_output=7", "gdpu.pipeline_cycles=3", "gdpu.clock=250MHz"});
  const std::vector<uint32_t> units = {1, 17, 64};
  OneStepRuns runs;
  for (const uint32_t u : units) {
    // T(U) = 4 + P + max(4, R) (U - 1) with the parameters as declared.
    EXPECT_EQ(Gdpu::step_cycles(arch.gdpu, u),
              4 + static_cast<uint64_t>(arch.gdpu.pipeline_cycles) +
                  std::max<uint64_t>(4, static_cast<uint64_t>(arch.gdpu.cycles_per_output)) * (u - 1));
    runs.add("chip_u" + std::to_string(u), arch, u);
  }
  // Outputs slower than the inputs (R = 7 > 4), another pipeline and another clock (4 ns).
  EXPECT_EQ(Gdpu::step_cycles(slow.gdpu, 10), 4u + 3u + 7u * 9u);
  runs.add("chip_slow", slow, 10);
  const std::vector<Latency> got = runs.run();
  ASSERT_EQ(got.size(), units.size() + 1);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].step_ps, got[i].expected_step_ps) << "run " << i;
    EXPECT_EQ(got[i].arrival_ps, got[i].expected_arrival_ps) << "run " << i;
  }
  EXPECT_EQ(got.back().step_ps, ps(70 * 4.0));
}

void expect_identical(const ArchConfig& arch, GdpuCellKind kind, uint32_t units, uint32_t steps,
                      uint64_t samples) {
  const Mapping m = gdpu_sequence(arch, kind, units, steps);
  const std::vector<int8_t> x = gate_inputs(m, samples);
  const std::vector<int8_t> want = reference(m, x, samples, kind, units, steps);
  Chip chip((std::string("chip_") + gdpu_cell_name(kind)).c_str(), arch, m, 1);
  EXPECT_EQ(chip.run(x, samples).outputs, want) << gdpu_cell_name(kind);
  MappedExecutor batched(arch, m, 1), single(arch, m, 1, 1);
  EXPECT_EQ(batched.run(x, samples), want) << gdpu_cell_name(kind) << ", whole batch in one chunk";
  EXPECT_EQ(single.run(x, samples), want) << gdpu_cell_name(kind) << ", one sample per chunk";
  // The outputs are not trivial: they use a good part of the INT8 range.
  const auto [lo, hi] = std::minmax_element(want.begin(), want.end());
  EXPECT_LT(*lo, -20);
  EXPECT_GT(*hi, 20);

  const GdpuActivity per_unit = gdpu_unit_activity(kind);
  const StatGroup& st = chip.gdpu()->stats();
  const double unit_steps = static_cast<double>(samples * steps * units);
  EXPECT_EQ(st.value("steps"), static_cast<double>(samples * steps));
  EXPECT_EQ(st.value("inputs"), unit_steps * kGdpuGatesPerUnit);
  EXPECT_EQ(st.value("outputs"), unit_steps);
  EXPECT_EQ(st.value("fmas"), unit_steps * static_cast<double>(per_unit.fmas));
  EXPECT_EQ(st.value("lut_lookups"), unit_steps * static_cast<double>(per_unit.lut_lookups));
  EXPECT_EQ(st.value("busy_cycles"),
            static_cast<double>(samples * steps * Gdpu::step_cycles(arch.gdpu, units)));
}

TEST(Gdpu, ChipExecutorAndNumericsGiveIdenticalBitsForAnLstm) {
  expect_identical(hwtest::hermes({"gdpu.enabled=true"}), GdpuCellKind::kLstm, 24, 6, 3);
}

TEST(Gdpu, ChipExecutorAndNumericsGiveIdenticalBitsForAGru) {
  expect_identical(hwtest::hermes({"gdpu.enabled=true"}), GdpuCellKind::kGru, 64, 4, 3);
}

// The RISC-V firmware issues gdpu_step from the same operation list (src/firmware: the Network block's page).
TEST(Gdpu, RiscvControllersRunTheSameSteps) {
  expect_identical(hwtest::hermes({"gdpu.enabled=true", "core.controller.kind=riscv"}), GdpuCellKind::kLstm,
                   16, 3, 2);
}

}  // namespace
}  // namespace aimc
