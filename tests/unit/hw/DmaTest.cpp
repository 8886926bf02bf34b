// The DMA block (hw/Dma) and the configuration phase it serves:
//  - copies (contiguous and strided gathers) move the right bytes in exactly their closed-form cycles
//    (latency + read beats + write beats on the single-ported SRAM) and count their SRAM accesses;
//  - kConfigure loads the digital unit's registers from the configuration table the loader placed in SRAM,
//    in cmd-issue + latency + words cycles under the sequencer (tight: no register written at t - 1 ps, all
//    at t), before the first sample, outside its latency;
//  - under the RISC-V firmware the configuration costs the hart's own whole cycles (its loads and stores
//    plus the stall on the DMA);
//  - the firmware reaches every block of the core from one command table (DMA copy and configure, tile,
//    digital unit, network interface, mailbox barrier) and computes the same outputs as the sequencer.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "HwTestSupport.h"
#include "aimc/hw/Chip.h"
#include "aimc/hw/TraceRecorder.h"

namespace aimc {
namespace {

using hwtest::ps;

// One core holding one rows x cols piece, with the given controller table.
Mapping one_core(const ArchConfig& arch, std::vector<Command> table) {
  return hwtest::one_core(arch, std::move(table), false);
}

TEST(Dma, CopiesAndGathersInTheirClosedFormCycles) {
  const ArchConfig arch = hwtest::hermes();
  ASSERT_EQ(arch.core.sram.width_bits, 64);
  ASSERT_EQ(arch.core.sram.latency_cycles, 1);
  const uint32_t src = 0x7000, a = 0x7001, b = 0x7002, c = 0x7003;
  const Mapping m = one_core(arch, {{CommandOp::kDmaCopy, src, a, 100, 0, 0, 1},
                                    {CommandOp::kDmaCopy, src, b, 16, 1, 4, 9},
                                    {CommandOp::kDmaCopy, src, c, 16, 0, 0, 2}});
  Chip chip("chip", arch, m, 1);
  Core& core = *chip.cores()[0];
  std::vector<int8_t>& data = core.memory().buffer(src, 0, 200);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<int8_t>(i * 7 + 3);
  TraceRecorder trace;
  chip.run({}, 1);

  // 64-bit beats, 1 cycle latency: 100 B = 13 beats read + 13 written; 16 bytes every 9th from 1 touch 16
  // distinct words (addresses 1..136; 64 and 72 fall in words 8 and 9, 63 is not touched) + 2 written; every
  // 2nd byte of 0..31 touches 4 words + 2 written.
  EXPECT_EQ(Dma::copy_cycles(arch.core.sram, 100, 0, 1), 1u + 13u + 13u);
  EXPECT_EQ(Dma::copy_cycles(arch.core.sram, 16, 1, 9), 1u + 16u + 2u);
  EXPECT_EQ(Dma::copy_cycles(arch.core.sram, 16, 0, 2), 1u + 4u + 2u);
  std::vector<int64_t> spans;
  for (const auto& s : trace.spans())
    if (trace.track_name(s.track) == "chip.core0.dma") spans.push_back(ps(s.end_ns) - ps(s.begin_ns));
  const int64_t t_dma = ps(core.dma().period_ns());
  EXPECT_EQ(spans, (std::vector<int64_t>{27 * t_dma, 19 * t_dma, 7 * t_dma}));

  const std::vector<int8_t>& got_a = core.memory().buffer(a, 0, 100);
  for (size_t i = 0; i < 100; ++i) EXPECT_EQ(got_a[i], data[i]) << i;
  const std::vector<int8_t>& got_b = core.memory().buffer(b, 0, 20);
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(got_b[4 + i], data[1 + 9 * i]) << i;
  const std::vector<int8_t>& got_c = core.memory().buffer(c, 0, 16);
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(got_c[i], data[2 * i]) << i;
  EXPECT_EQ(core.dma().stats().value("transfers"), 3);
  EXPECT_EQ(core.dma().stats().value("bytes"), 132);
  EXPECT_EQ(core.stats().value("sram_bytes"), 2 * 132);  // each byte read once and written once
}

TEST(Dma, SequencerConfigurationIsTightAndOutsideTheSampleLatency) {
  const ArchConfig arch = hwtest::hermes();
  const Mapping m = one_core(arch, {{CommandOp::kConfigure, config_tag(0), 256},
                                    {CommandOp::kMvm, input_tag(0)},
                                    {CommandOp::kDigital, output_tag(0), kNoSlot}});
  Chip chip("chip", arch, m, 1);
  chip.program();
  chip.set_inference_time(1.0);
  Core& core = *chip.cores()[0];
  Controller& ctl = core.controller();
  const uint64_t words = 6 * 256;  // NMPU: six registers per output line
  ASSERT_EQ(core.memory().table(config_tag(0))->size(), words);
  // Issue (cycles_per_command controller cycles, an edge of the DMA's clock at 400 MHz both), then the DMA:
  // 1 latency + max(1536 x 32 / 64 read beats, 1536 register writes).
  ASSERT_EQ(core.dma().period_ns(), ctl.period_ns());
  EXPECT_EQ(Dma::configure_cycles(arch.core.sram, words), 1u + words);
  const auto cpc = static_cast<uint64_t>(arch.core.controller.cycles_per_command);
  const sc_core::sc_time gate = ctl.cycles(cpc + 1 + words);

  ctl.configure();
  sc_core::sc_start(gate - sc_core::sc_time(1, sc_core::SC_PS));
  EXPECT_EQ(core.digital_unit().stats().value("config_words"), 0);
  sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_PS));
  for (int i = 0; i < 4; ++i) sc_core::sc_start(sc_core::SC_ZERO_TIME);
  EXPECT_EQ(core.digital_unit().stats().value("config_words"), static_cast<double>(words));
  sc_core::sc_start();
  EXPECT_EQ(ps(ctl.stats().value("last_configure_time")), static_cast<int64_t>(gate.value()));

  // A run configures again (the same cycles) and only then starts its samples.
  const ChipRun r = chip.run({}, 1);
  EXPECT_EQ(ps(r.configure_ns), static_cast<int64_t>(gate.value()));
  EXPECT_EQ(ps(ctl.stats().value("configure_time")), 2 * static_cast<int64_t>(gate.value()));
  EXPECT_GE(ps(ctl.first_sample_begin_ns()), 2 * static_cast<int64_t>(gate.value()));
  EXPECT_EQ(core.digital_unit().stats().value("config_words"), 2.0 * static_cast<double>(words));
  EXPECT_EQ(core.dma().stats().value("config_words"), 2.0 * static_cast<double>(words));
}

TEST(Dma, RiscvConfigurationCostsTheFirmwaresWholeCycles) {
  const ArchConfig arch = hwtest::hermes({"core.controller.kind=riscv"});
  const Mapping m = one_core(arch, {{CommandOp::kConfigure, config_tag(0), 100},
                                    {CommandOp::kMvm, input_tag(0)},
                                    {CommandOp::kDigital, output_tag(0), kNoSlot}});
  Chip chip("chip", arch, m, 1);
  chip.program();
  chip.set_inference_time(1.0);
  Core& core = *chip.cores()[0];
  Controller& ctl = core.controller();
  ctl.configure();  // at time 0, the hart's reset: the whole phase is the firmware's
  sc_core::sc_start();
  const double cycles = ctl.stats().value("cycles");
  const double t = ctl.period_ns();
  // The phase ends at the SETUP_DONE store: the hart's cycles so far (instructions, memory latency and the
  // stall while the DMA works), a whole number of controller cycles.
  EXPECT_EQ(ps(ctl.stats().value("last_configure_time")), ps(cycles * t));
  const uint64_t dma_cycles = Dma::configure_cycles(arch.core.sram, 6 * 100);
  EXPECT_EQ(ps(core.dma().stats().value("busy_time")), ps(static_cast<double>(dma_cycles) * t));
  EXPECT_GE(ps(ctl.stats().value("stall_time")), ps(static_cast<double>(dma_cycles) * t));
  EXPECT_GT(cycles, static_cast<double>(dma_cycles));
  EXPECT_GT(ctl.stats().value("instructions"), 10);  // the doorbell, the table walk, the descriptor stores
  EXPECT_EQ(ctl.stats().value("commands"), 1);
  EXPECT_EQ(core.digital_unit().stats().value("config_words"), 600);
  std::printf("riscv configuration of 600 registers: %.0f hart cycles (%.0f instructions), DMA %llu cycles\n",
              cycles, ctl.stats().value("instructions"), static_cast<unsigned long long>(dma_cycles));
}

TEST(Dma, FirmwareReachesEveryBlockAndMatchesTheSequencer) {
  // Two chips in one kernel, run in turn: the sequencer's and the firmware's.
  const ArchConfig table_arch = hwtest::hermes();
  const ArchConfig fw_arch = hwtest::hermes({"core.controller.kind=riscv"});
  const uint32_t staged = 0x7000;
  const uint32_t rows = static_cast<uint32_t>(table_arch.core.tile.rows);
  const uint32_t cols = static_cast<uint32_t>(table_arch.core.tile.cols);
  std::vector<Command> table = {
      {CommandOp::kConfigure, config_tag(0), rows},                   // DMA -> digital unit registers
      {CommandOp::kDmaCopy, staged, input_tag(0), cols, 0, 0, 1},     // DMA: stage the input
      {CommandOp::kMvm, input_tag(0)},                                // tile
      {CommandOp::kDigital, output_tag(0), kNoSlot},                  // digital unit
      {CommandOp::kSend, output_tag(0), kOutputPort, 0, 0, 0, rows},  // network interface
      {CommandOp::kBarrier, 0, 1, kBarrierBatchEnd}};                 // mailbox/barrier
  Mapping table_map = one_core(table_arch, table), fw_map = one_core(fw_arch, table);
  table_map.output_features = fw_map.output_features = rows;
  Chip seq("seq", table_arch, table_map, 1), fw("fw", fw_arch, fw_map, 1);
  std::vector<ChipRun> runs;
  for (Chip* chip : {&seq, &fw}) {
    chip->program();
    chip->set_inference_time(3600.0);
    std::vector<int8_t>& x = chip->cores()[0]->memory().buffer(staged, 0, cols);
    for (uint32_t i = 0; i < cols; ++i) x[i] = static_cast<int8_t>(static_cast<int>((i * 37) % 255) - 127);
    runs.push_back(chip->run({}, 1));
  }
  ASSERT_EQ(runs[1].outputs.size(), rows);
  EXPECT_EQ(runs[1].outputs, runs[0].outputs);
  int nonzero = 0;
  for (int8_t v : runs[1].outputs) nonzero += v != 0 ? 1 : 0;
  EXPECT_GT(nonzero, static_cast<int>(rows) / 4);  // a real MVM, not an unconfigured unit's zeros
  const Core& core = *fw.cores()[0];
  EXPECT_EQ(core.dma().stats().value("transfers"), 2);
  EXPECT_EQ(core.tile().stats().value("mvms"), 1);
  EXPECT_EQ(core.digital_unit().stats().value("values"), rows);
  EXPECT_EQ(core.digital_unit().stats().value("config_words"), 6.0 * rows);
  EXPECT_EQ(fw.mailbox().stats().value("barriers"), 1);
  EXPECT_EQ(core.controller().stats().value("commands"), 6);
  EXPECT_GT(core.controller().stats().value("instructions"), 0);
}

}  // namespace
}  // namespace aimc
