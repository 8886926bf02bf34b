// The functional steps that the chip's blocks and the numerics-only executor share: data movement, the
// PIXEL-relative offsets and the digital unit's inputs.
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "aimc/isa/FunctionalSteps.h"

namespace aimc {
namespace {

// A digital unit that records what it was given: out = pos - neg + side.
class RecordingUnit : public DigitalUnitImpl {
 public:
  std::string name() const override { return "recording"; }
  void configure(const std::vector<DigitalChannelCoefficients>&) override {}
  uint32_t words_per_channel() const override { return 0; }
  std::vector<uint32_t> encode(const std::vector<DigitalChannelCoefficients>&) const override { return {}; }
  void write_register(uint32_t, uint32_t) override {}
  uint64_t process(const uint32_t* pos, const uint32_t* neg, size_t n, const int8_t* side,
                   int8_t* out) override {
    for (size_t i = 0; i < n; ++i)
      out[i] =
          static_cast<int8_t>(static_cast<int>(pos[i]) - static_cast<int>(neg[i]) + (side ? side[i] : 0));
    return latency_cycles(n);
  }
  uint64_t latency_cycles(size_t n) const override { return n + 2; }
};

TEST(FunctionalSteps, CopyRowsMovesStridedRowsAndEqualsGatherThenScatter) {
  std::vector<int8_t> src(64);
  std::iota(src.begin(), src.end(), 0);
  const isa::RowTransfer t{3, 2, 4, 3, 10, 5};
  std::vector<int8_t> direct(40, -1), packet(12), via(40, -1);
  step::copy_rows(src.data(), t, direct.data());
  step::gather_rows(src.data(), t, packet.data());
  step::scatter_rows(packet.data(), t, via.data());
  EXPECT_EQ(direct, via);
  EXPECT_EQ(packet, (std::vector<int8_t>{2, 3, 4, 12, 13, 14, 22, 23, 24, 32, 33, 34}));
  EXPECT_EQ(direct[3], 2);
  EXPECT_EQ(direct[8], 12);
  EXPECT_EQ(direct[18], 32);
  EXPECT_EQ(direct[7], -1);  // between rows: untouched
  EXPECT_EQ(t.dst_end(), 21u);
}

TEST(FunctionalSteps, SendAdvancesBothOffsetsByThePixel) {
  const isa::RowTransfer t = step::send_transfer(isa::Send{0, 1, 2, 100, 10, 8}, 3);
  EXPECT_EQ(t.dst_offset, 124u);
  EXPECT_EQ(t.src_offset, 34u);
  EXPECT_EQ(t.rows, 1u);
  EXPECT_EQ(t.row_bytes, 8u);
}

TEST(FunctionalSteps, WaitInputAndMvmArePixelRelative) {
  EXPECT_EQ(step::wait_input_bytes(isa::WaitInput{1, 16, 4}, 3), 28u);
  const isa::Mvm m{0, 9};
  EXPECT_EQ(step::mvm_read_index(m, 5, 2), 47u);
  EXPECT_FALSE(step::mvm_releases_input(m, 7));
  EXPECT_TRUE(step::mvm_releases_input(m, 8));
  EXPECT_EQ(step::mvm_read_index(isa::Mvm{0, 0}, 5, 0), 5u);  // a Gemm: one pixel
}

TEST(FunctionalSteps, DigitalTakesCountersOrSignedInt8AndTheSide) {
  RecordingUnit unit;
  std::vector<uint32_t> scratch;
  const int32_t pos[3] = {5, 0, 7}, neg[3] = {1, 4, 7};
  const int8_t side[3] = {1, 1, -1};
  int8_t out[3] = {};
  EXPECT_EQ(step::digital_from_counters(unit, pos, neg, 3, side, out, scratch), 5u);
  EXPECT_EQ(out[0], 5);
  EXPECT_EQ(out[1], -3);
  EXPECT_EQ(out[2], -1);
  const int8_t source[3] = {-20, 0, 100};
  step::digital_from_int8(unit, source, 3, nullptr, out, scratch);
  EXPECT_EQ(out[0], -20);
  EXPECT_EQ(out[2], 100);
  const isa::Digital d{1, 2, 4};
  EXPECT_EQ(step::digital_offset(d, 3, 16), 48u);
  EXPECT_TRUE(step::digital_releases_side(d, 3));
  EXPECT_FALSE(step::digital_releases_side(isa::Digital{1, kNoSlot, 4}, 3));
}

TEST(FunctionalSteps, DmaCopyGathersEveryStrideThByte) {
  std::vector<int8_t> src(32);
  std::iota(src.begin(), src.end(), 0);
  std::vector<int8_t> dst(8, 0);
  const isa::DmaCopy c{0, 1, 4, 1, 2, 3};
  EXPECT_EQ(step::dma_source_end(c), 11u);
  step::dma_copy(c, src.data(), dst.data());
  EXPECT_EQ(dst, (std::vector<int8_t>{0, 0, 1, 4, 7, 10, 0, 0}));
}

// kGdpuStep: PIXEL selects the timestep's gate vector and where its h goes; the input slot is released after
// the last pixel; `first` zeroes the state at PIXEL 0 only; the step is the cell of numerics/GdpuCell.h on
// the registers at state_offset.
TEST(FunctionalSteps, GdpuStepIsPixelRelativeAndRunsTheCell) {
  isa::GdpuStep g;
  g.units = 3;
  g.pixels = 4;
  g.dst_offset = 10;
  g.state_offset = 5;
  g.first = true;
  EXPECT_EQ(step::gdpu_input_offset(g, 2), 24u);
  const isa::RowTransfer t = step::gdpu_output_transfer(g, 2);
  EXPECT_EQ(t.dst_offset, 16u);
  EXPECT_EQ(t.row_bytes, 3u);
  EXPECT_EQ(t.rows, 1u);
  EXPECT_FALSE(step::gdpu_releases_input(g, 2));
  EXPECT_TRUE(step::gdpu_releases_input(g, 3));
  EXPECT_TRUE(step::gdpu_starts_sequence(g, 0));
  EXPECT_FALSE(step::gdpu_starts_sequence(g, 1));

  const GdpuBank bank = GdpuBank::from_real({0.05, 0.05, 0.05, 0.05}, 100.0, "test");
  const std::vector<int8_t> gates = {10, -20, 30, 40, -50, 60, 70, -80, 90, 100, -110, 120};
  std::vector<Fp16> registers(16, Fp16::from_double(0.5));
  std::vector<int8_t> h(3);
  step::gdpu_step(g, 1, bank, gates.data(), registers.data(), h.data());  // pixel 1: the state is used
  std::vector<Fp16> state(3, Fp16::from_double(0.5));
  std::vector<int8_t> want(3);
  gdpu_cell_step(GdpuCellKind::kLstm, bank, gates.data(), 3, state.data(), false, want.data());
  EXPECT_EQ(h, want);
  for (size_t u = 0; u < 3; ++u) EXPECT_EQ(registers[5 + u].bits(), state[u].bits());
  EXPECT_EQ(registers[4].to_double(), 0.5);  // outside the block: untouched
  EXPECT_EQ(registers[8].to_double(), 0.5);
}

}  // namespace
}  // namespace aimc
