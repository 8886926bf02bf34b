#pragma once
// Cores outside a Chip, each holding one rows x cols piece (HwTestSupport's deterministic weights, a fixed
// digital-unit scale): a feeder thread delivers one input vector to each active core every `gap_ns`, and
// every core's controller runs wait-input, MVM, digital unit per sample. The idle-cost test and the host-cost
// benchmark (bench_chip) drive the same cores this way, with the idle time between samples as a parameter,
// which a Chip run (inputs as fast as the SRAM takes them) does not have.
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "HwTestSupport.h"
#include "aimc/hw/Core.h"
#include "aimc/hw/Noc.h"

namespace aimc::hwtest {

struct CoreFeeder : sc_core::sc_module {
  SC_HAS_PROCESS(CoreFeeder);
  // One core per core of `arch` (its network connects them, no packet is sent), every input byte `input`.
  CoreFeeder(const sc_core::sc_module_name& n, const ArchConfig& arch, int8_t input = 5)
      : sc_core::sc_module(n), noc_("noc", arch) {
    const int64_t rows = arch.core.tile.rows, cols = arch.core.tile.cols;
    const auto bytes = static_cast<uint32_t>(cols);
    for (int c = 0; c < arch.chip.cores; ++c) {
      std::vector<Command> table = {
          {CommandOp::kWaitInput, 0, bytes}, {CommandOp::kMvm, 0}, {CommandOp::kDigital, 1, kNoSlot}};
      cores_.push_back(std::make_unique<Core>(("core" + std::to_string(c)).c_str(), arch, c, table, noc_,
                                              [](const NetworkInterface::Packet&, sc_core::sc_time) {},
                                              [](uint32_t, uint32_t, uint64_t) {}, 1));
      const CrossbarPiece p = piece(c, rows, cols);
      cores_.back()->tile().program(p);
      geometry_ = p.geometry;
      cores_.back()->tile().set_inference_time(3600.0);
      // Digital unit registers: any fixed scale will do, the timing does not depend on them.
      cores_.back()->digital_unit().configure(std::vector<DigitalChannelCoefficients>(
          static_cast<size_t>(rows), DigitalChannelCoefficients{1.0, 0.0, 0.01, 0.0, 1.0, false, true}));
    }
    input_.assign(bytes, input);
    next_sample_.assign(cores_.size(), 0);
    SC_THREAD(feed);
  }
  // Starts `samples` samples on cores [0, active), inputs arriving every `gap_ns`; sc_start() then runs them.
  void start(int active, uint64_t samples, double gap_ns) {
    active_ = active;
    samples_ = samples;
    gap_ns_ = gap_ns;
    for (int c = 0; c < active; ++c)
      cores_[static_cast<size_t>(c)]->controller().start(next_sample_[static_cast<size_t>(c)], samples);
    pending_ = true;  // the first start() comes before the kernel has run feed() at all
    go_.notify(sc_core::SC_ZERO_TIME);
  }
  const std::vector<std::unique_ptr<Core>>& cores() const { return cores_; }
  const ConvGeometry& geometry() const { return geometry_; }
  const std::vector<int8_t>& input() const { return input_; }

 private:
  void feed() {
    while (true) {
      if (!pending_) wait(go_);
      pending_ = false;
      for (uint64_t i = 0; i < samples_; ++i) {
        for (int c = 0; c < active_; ++c) {
          Core& core = *cores_[static_cast<size_t>(c)];
          core.memory().wait_for_space(0, next_sample_[static_cast<size_t>(c)]);
          NetworkInterface::Packet pk;
          pk.sample = next_sample_[static_cast<size_t>(c)]++;
          pk.data = input_.data();
          pk.row_bytes = static_cast<uint32_t>(input_.size());
          core.deliver(pk, sc_core::sc_time_stamp());
        }
        if (i + 1 < samples_) wait(sc_core::sc_time(gap_ns_, sc_core::SC_NS));
      }
    }
  }

  Noc noc_;
  std::vector<std::unique_ptr<Core>> cores_;
  ConvGeometry geometry_;
  std::vector<int8_t> input_;
  std::vector<uint64_t> next_sample_;
  int active_ = 0;
  uint64_t samples_ = 0;
  double gap_ns_ = 0;
  sc_core::sc_event go_;
  bool pending_ = false;
};

}  // namespace aimc::hwtest
