// The pixel-level data operations of mapped convolutions, without SystemC: the im2col patch gather
// (ConvGeometry), integer pooling (PoolGeometry) and the NCHW <-> HWC permutations (ActivationLayout).
#include <gtest/gtest.h>

#include <vector>

#include "aimc/numerics/ActivationLayout.h"
#include "aimc/numerics/ConvGeometry.h"
#include "aimc/numerics/PoolGeometry.h"

namespace aimc {
namespace {

// The gather equals the im2col definition (Graph.h: column = (channel * kh + i) * kw + j) for a slot holding
// channels [2, 5) of a 5x6 map, with stride 2, padding 1 and dilation 2, over a column range that starts and
// ends inside a channel.
TEST(ConvGeometry, GatherIsIm2colOfTheSlotChannels) {
  ConvGeometry g;
  g.in_h = 5;
  g.in_w = 6;
  g.kh = g.kw = 3;
  g.stride_h = g.stride_w = 2;
  g.pad_top = g.pad_left = 1;
  g.dilation_h = g.dilation_w = 2;
  g.out_h = (5 + 2 - 5) / 2 + 1;
  g.out_w = (6 + 2 - 5) / 2 + 1;
  g.col_begin = 2 * 9 + 4;  // channel 2, kernel cell 4
  g.col_count = 20;         // up to channel 4, cell 5
  g.channel_begin = 2;
  g.channel_count = 3;
  std::vector<int8_t> slot(static_cast<size_t>(g.slot_bytes()));
  for (size_t i = 0; i < slot.size(); ++i)
    slot[i] = static_cast<int8_t>(static_cast<int>(i * 37 % 251) - 125);
  std::vector<int32_t> codes(static_cast<size_t>(g.col_count));
  for (int64_t px = 0; px < g.pixels(); ++px) {
    const int64_t read = g.gather(px, slot.data(), codes.data(), 127);
    int64_t inside = 0;
    for (int64_t j = 0; j < g.col_count; ++j) {
      const int64_t col = g.col_begin + j, c = col / 9, i = col % 9 / 3, k = col % 3;
      const int64_t ih = px / g.out_w * 2 - 1 + 2 * i, iw = px % g.out_w * 2 - 1 + 2 * k;
      int32_t want = 0;
      if (ih >= 0 && ih < 5 && iw >= 0 && iw < 6) {
        want = std::max<int32_t>(slot[static_cast<size_t>((ih * 6 + iw) * 3 + c - 2)], -127);
        ++inside;
      }
      EXPECT_EQ(codes[static_cast<size_t>(j)], want) << "pixel " << px << " column " << col;
    }
    EXPECT_EQ(read, inside) << "SRAM reads count only the cells inside the map";
  }
}

// Average: the integer sum over the cells inside the map divided by their count, rounded half to even;
// max: exact, padding ignored.
TEST(PoolGeometry, AverageRoundsHalfToEvenAndMaxIgnoresPadding) {
  PoolGeometry p;
  p.enabled = true;
  p.is_max = false;
  p.channels = 1;
  p.in_h = 1;
  p.in_w = 8;
  p.out_h = 1;
  p.out_w = 4;
  p.kw = 2;
  p.stride_w = 2;
  const std::vector<int8_t> in = {1, 2, 3, 4, -1, -2, -3, -4};  // sums 3, 7, -3, -7 over 2 cells
  std::vector<int8_t> out(4);
  EXPECT_EQ(p.apply(in.data(), out.data()), 8);
  EXPECT_EQ(out, (std::vector<int8_t>{2, 4, -2, -4}));  // 1.5 -> 2, 3.5 -> 4, -1.5 -> -2, -3.5 -> -4
  p.is_max = true;
  p.kw = 3;
  p.pad_left = p.pad_right = 1;
  p.out_w = 4;
  const std::vector<int8_t> neg = {-5, -3, -9, -1, -7, -2, -8, -6};
  p.apply(neg.data(), out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{-3, -1, -1, -2}));  // a padded zero never wins
  // count_include_pad: the padded cell counts in the divisor.
  p.is_max = false;
  p.count_include_pad = true;
  const std::vector<int8_t> ones = {3, 3, 3, 3, 3, 3, 3, 3};
  p.apply(ones.data(), out.data());
  EXPECT_EQ(out[0], 2);  // (0 + 3 + 3) / 3
  EXPECT_EQ(out[1], 3);
}

TEST(ActivationLayout, HwcRoundTripsAndPutsChannelsInnermost) {
  std::vector<int> chw(2 * 3 * 4);
  for (size_t i = 0; i < chw.size(); ++i) chw[i] = static_cast<int>(i);
  const std::vector<int> hwc = chw_to_hwc(chw, 2, 3, 4);
  EXPECT_EQ(hwc[1], chw[4]);                    // pixel 0, channel 1
  EXPECT_EQ(hwc[3], chw[1]);                    // pixel 1, channel 0
  EXPECT_EQ(hwc[12 + 5], chw[12 + 2 * 4 + 1]);  // sample 1, pixel 1, channel 2
  EXPECT_EQ(hwc_to_chw(hwc, 2, 3, 4), chw);
}

}  // namespace
}  // namespace aimc
