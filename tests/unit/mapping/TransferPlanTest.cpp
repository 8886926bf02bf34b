// The transfer plan on its own: strided runs between slot layouts, the readers of each map, multicast groups,
// the host's input transfers, and the sends to the chip's output port (which has no piece to look up).
#include <gtest/gtest.h>

#include <algorithm>

#include "MappingTestSupport.h"
#include "aimc/compiler/Mapping.h"
#include "aimc/compiler/TransferPlan.h"

namespace aimc {
namespace {

using mapping_test::gemm_graph;
using mapping_test::hermes;
using mapping_test::kOnnx;

using Planned = mapping_test::PlacedTransfers;

Planned transfers_of(const Graph& g, std::initializer_list<const char*> sets = {}) {
  return mapping_test::placed_transfers(g, hermes(sets));
}

TEST(TransferRuns, AChannelSliceOfEveryPixelIsOneStridedRun) {
  const std::vector<TransferRun> runs = transfer_runs(4, 0, 8, SlotView{false, 2, 4, 8});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0], (TransferRun{2, 0, 4, 4, 8, 4}));
}

TEST(TransferRuns, RunsContiguousOnBothSidesBecomeOneRow) {
  const std::vector<TransferRun> runs = transfer_runs(4, 0, 8, SlotView{true, 0, 32, 8});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0], (TransferRun{0, 0, 32, 1, 0, 0}));
}

TEST(TransferRuns, AFlatReaderOfHalfTheChannelsGetsRowsAtTheMapsStride) {
  const std::vector<TransferRun> runs = transfer_runs(4, 4, 4, SlotView{true, 0, 32, 8});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0], (TransferRun{0, 4, 4, 4, 4, 8}));
  EXPECT_TRUE(transfer_runs(4, 0, 4, SlotView{false, 4, 4, 8}).empty());  // no channel in common
}

TEST(TransferPlan, TheHostSendsTheInputToTheFirstLayersPieces) {
  const Planned p = transfers_of(OnnxImporter::load("models/digits_mlp.onnx"));
  ASSERT_EQ(p.transfers.input_transfers.size(), 1u);
  const Mapping::InputTransfer& t = p.transfers.input_transfers[0];
  EXPECT_EQ(t.core, p.placed.pieces[0].core);
  EXPECT_EQ(t.tag, input_tag(0));
  EXPECT_EQ(t.row_bytes, 64);
  EXPECT_EQ(p.transfers.input_cores, std::vector<int>{p.placed.pieces[0].core});
}

TEST(TransferPlan, ReadersOfTheSameBytesShareOneMulticastGroup) {
  const Planned p = transfers_of(OnnxImporter::load(kOnnx + "map_multicast.onnx"),
                                 {"core.crossbar.rows=16", "core.adc.count=16"});
  ASSERT_EQ(p.transfers.multicast_groups.size(), 1u);
  ASSERT_EQ(p.transfers.multicast_groups[0].size(), 3u);
  for (const Mapping::MulticastDestination& d : p.transfers.multicast_groups[0])
    EXPECT_EQ(d.tag, input_tag(std::find_if(p.placed.pieces.begin(), p.placed.pieces.end(),
                                            [&](const CrossbarPiece& c) { return c.core == d.core; }) -
                               p.placed.pieces.begin()));
  ASSERT_EQ(p.transfers.sends[0].size(), 1u);
  EXPECT_EQ(p.transfers.sends[0][0].group, 0);
}

TEST(TransferPlan, AResidualMapIsReadIntoTheSkipSlotOfTheAddingPiece) {
  const Planned p = transfers_of(OnnxImporter::load(kOnnx + "map_res_after.onnx"));
  const std::vector<MapReader>& of_layer0 = p.transfers.readers[1];
  ASSERT_EQ(of_layer0.size(), 2u);
  EXPECT_EQ(of_layer0[0].tag, input_tag(1));
  EXPECT_EQ(of_layer0[1].tag, skip_tag(1));
  // Same bytes, but consumed at another stage of the pipeline: never one multicast packet.
  EXPECT_TRUE(p.transfers.multicast_groups.empty());
}

// The chip's output port reads the network output as piece -1: its sends must come from the reader list
// without indexing the pieces (once an out-of-bounds read in send_map).
void expect_output_port_sends(const Planned& p) {
  const Mapping& m = p.placed;
  const std::vector<MapReader>& out_readers = p.transfers.readers.back();
  ASSERT_FALSE(out_readers.empty());
  EXPECT_EQ(out_readers.back().piece, -1);
  std::vector<int> covered(static_cast<size_t>(m.output_features), 0);
  int port_sends = 0;
  for (size_t pi = 0; pi < m.pieces.size(); ++pi)
    for (const MapSend& s : p.transfers.sends[pi]) {
      if (s.group >= 0 || s.core != kOutputPort) continue;
      ++port_sends;
      EXPECT_EQ(m.pieces[pi].layer + 1, static_cast<int>(m.layers.size()));
      EXPECT_EQ(s.tag, 0u);
      for (const TransferRun& r : s.runs)
        for (int64_t row = 0; row < r.rows; ++row)
          for (int64_t b = 0; b < r.len; ++b) ++covered[static_cast<size_t>(r.dst + row * r.dst_stride + b)];
    }
  EXPECT_EQ(port_sends, m.layers.back().out_slices);
  EXPECT_TRUE(std::all_of(covered.begin(), covered.end(), [](int n) { return n == 1; }));
  for (const auto& group : p.transfers.multicast_groups)
    for (const Mapping::MulticastDestination& d : group) EXPECT_LT(d.core, m.chip_cores);
}

TEST(TransferPlan, AGemmOf600OutputsSendsEachSliceToTheOutputPort) {
  const Planned p = transfers_of(gemm_graph(64, 600));
  ASSERT_EQ(p.placed.pieces.size(), 3u);
  expect_output_port_sends(p);
  for (size_t pi = 0; pi < 3; ++pi) {
    ASSERT_EQ(p.transfers.sends[pi].size(), 1u);
    const MapSend& s = p.transfers.sends[pi][0];
    ASSERT_EQ(s.runs.size(), 1u);
    EXPECT_EQ(s.runs[0],
              (TransferRun{0, p.placed.pieces[pi].out_begin, p.placed.pieces[pi].out_count, 1, 0, 0}));
  }
}

TEST(TransferPlan, TheShippedCnnsSendTheirOutputToThePort) {
  for (const char* model : {"models/resnet9_cifar10.onnx", "models/mobilenet_cifar10.onnx"}) {
    SCOPED_TRACE(model);
    expect_output_port_sends(transfers_of(OnnxImporter::load(model)));
  }
}

}  // namespace
}  // namespace aimc
