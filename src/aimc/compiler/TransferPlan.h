#pragma once
// Pass 4 of map_network, the transfer plan: who reads each INT8 map and the packets that carry it there. A
// layer's output map is held in slices (the output slice of each last piece of a chain); each reader (a
// piece's input or residual slot, or the chip's output port) holds the channels it needs. The bytes a slice
// sends to a reader become as few strided runs as both layouts allow; readers that need the same bytes at the
// same offsets (pieces of several output slices reading one input slice) share one multicast packet (the
// network's multicast tree). The host's transfers of the network input to its readers come from the same
// runs.
#include <cstdint>
#include <vector>

#include "aimc/compiler/LayerPlan.h"

namespace aimc {

// What a consumer's slot holds of a map: either the channels [begin, begin + count) of every pixel
// ([pixel][count]) or, for a Gemm after a Flatten, the HWC indices [begin, begin + count) of a map with
// `channels` channels.
struct SlotView {
  bool flat = false;
  int64_t begin = 0, count = 0, channels = 0;
};

// One transfer: `rows` rows of `len` bytes, from src + r * src_stride to dst + r * dst_stride.
struct TransferRun {
  int64_t src = 0, dst = 0, len = 0, rows = 1, src_stride = 0, dst_stride = 0;
  bool operator==(const TransferRun& o) const {
    return src == o.src && dst == o.dst && len == o.len && rows == o.rows && src_stride == o.src_stride &&
           dst_stride == o.dst_stride;
  }
};

// The bytes a producer holding channels [pb, pb + pc) of every pixel of a map ([pixel][pc]) sends to a slot
// view.
std::vector<TransferRun> transfer_runs(int64_t pixels, int64_t pb, int64_t pc, const SlotView& view);

// A reader of a layer's (or the input's) map: piece `piece`'s slot `tag`, or the chip's output port when
// piece < 0.
struct MapReader {
  int piece = -1;
  uint32_t tag = 0;
  SlotView view;
};

// The packets of one map slice to one reader (unicast) or to a multicast group.
struct MapSend {
  int group = -1;              // index into TransferPlan::multicast_groups; -1: a unicast
  uint32_t core = 0, tag = 0;  // a unicast's destination (core kOutputPort: the chip's output port)
  std::vector<TransferRun> runs;
};

struct TransferPlan {
  std::vector<std::vector<MapReader>> readers;  // per map: producing layer + 1 (0: the network input)
  // Per piece: the packets of its slice of its layer's output map, in issue order (only the last piece of a
  // chain sends one).
  std::vector<std::vector<MapSend>> sends;
  std::vector<std::vector<Mapping::MulticastDestination>> multicast_groups;  // numbered in piece order
  std::vector<Mapping::InputTransfer> input_transfers;
  std::vector<int> input_cores;
};

// The slot a piece sends its layer's output map from: after its residual pass and pooling, if any.
uint32_t sent_map_tag(const CrossbarPiece& piece, int index);
// That map's pixels.
int64_t sent_map_pixels(const CrossbarPiece& piece, const MappedLayer& layer);

// Plans the transfers of `placed` (layers tiled, pieces placed on cores).
TransferPlan plan_transfers(const LayerPlan& plan, const Mapping& placed);

}  // namespace aimc
