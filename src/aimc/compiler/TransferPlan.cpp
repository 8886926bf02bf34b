#include "aimc/compiler/TransferPlan.h"

#include <algorithm>

namespace aimc {

namespace {

// Where pixel px's bytes of the producer's channels [pb, pb + pc) land in the view: [lo, hi) of the map's
// indices, at src in the producer's slot and dst in the reader's.
struct PixelSpan {
  int64_t lo, hi, src, dst;
};

PixelSpan pixel_span(int64_t px, int64_t pb, int64_t pc, const SlotView& v) {
  if (v.flat) {
    const int64_t base = px * v.channels;
    const int64_t lo = std::max(base + pb, v.begin), hi = std::min(base + pb + pc, v.begin + v.count);
    return {lo, hi, px * pc + (lo - base - pb), lo - v.begin};
  }
  const int64_t lo = std::max(pb, v.begin), hi = std::min(pb + pc, v.begin + v.count);
  return {lo, hi, px * pc + (lo - pb), px * v.count + (lo - v.begin)};
}

// Extends the run `r` by one row of `len` bytes at src/dst when the strides allow; the second row sets them.
bool extend_run(TransferRun& r, int64_t src, int64_t dst, int64_t len) {
  const int64_t last_src = r.src + (r.rows - 1) * r.src_stride,
                last_dst = r.dst + (r.rows - 1) * r.dst_stride;
  const bool fits =
      r.len == len && (r.rows == 1 ? src - last_src >= len && dst - last_dst >= len
                                   : src - last_src == r.src_stride && dst - last_dst == r.dst_stride);
  if (!fits) return false;
  if (r.rows == 1) {
    r.src_stride = src - last_src;
    r.dst_stride = dst - last_dst;
  }
  ++r.rows;
  return true;
}

// A run contiguous on both sides is one row.
void merge_contiguous_rows(TransferRun& r) {
  if (r.rows > 1 && r.src_stride == r.len && r.dst_stride == r.len) {
    r.len *= r.rows;
    r.rows = 1;
    r.src_stride = r.dst_stride = 0;
  }
}

// Adds a reader of map `src` to the reader list of each map it reads: a concatenated map's part at channel
// offset o holds the map's channels [o, o + part channels), so the part's producer sees the reader's view
// shifted by o (its bytes land where the concatenated map has them).
void add_reader(std::vector<std::vector<MapReader>>& readers, const MapInfo& src, const MapReader& reader) {
  for (const MapPart& part : src.producers()) {
    MapReader shifted = reader;
    shifted.view.begin -= part.offset;
    MapInfo producer;
    producer.layer = part.layer;
    readers[producer.readers_index()].push_back(shifted);
  }
}

// Who reads each map: per producing layer (index + 1; 0 = the network input), in layer and piece order; the
// chip's output port reads the network output last.
std::vector<std::vector<MapReader>> map_readers(const LayerPlan& plan, const Mapping& m) {
  std::vector<std::vector<MapReader>> readers(m.layers.size() + 1);
  for (size_t li = 0; li < m.layers.size(); ++li) {
    const PlannedLayer& planned = plan.layers[li];
    const MapInfo& src = planned.input;
    for (int pi : m.layers[li].pieces) {
      const CrossbarPiece& p = m.pieces[static_cast<size_t>(pi)];
      const bool flat = !m.layers[li].conv && !m.layers[li].affine && src.pixels() > 1;
      const SlotView view{flat, p.geometry.channel_begin, p.geometry.channel_count, src.channels};
      add_reader(readers, src, {pi, input_tag(pi), view});
    }
    if (!planned.skip) continue;
    for (int pi : m.layers[li].pieces) {
      const CrossbarPiece& p = m.pieces[static_cast<size_t>(pi)];
      if (!p.skip_input) continue;
      add_reader(readers, *planned.skip,
                 {pi, skip_tag(pi), {false, p.out_begin, p.out_count, planned.skip->channels}});
    }
  }
  const MapInfo& out = plan.output;
  add_reader(readers, out, {-1, 0, {true, 0, out.channels * out.pixels(), out.channels}});
  return readers;
}

// leader[k]: the first reader with the same runs as reader k, of the same layer and slot kind. A packet waits
// for room at every destination, so a skip map consumed later in the pipeline never shares one with a layer's
// input. The chip's output port (piece < 0) is never grouped and has no piece to look up.
std::vector<size_t> multicast_leaders(const std::vector<MapReader>& to,
                                      const std::vector<std::vector<TransferRun>>& runs,
                                      const std::vector<CrossbarPiece>& pieces) {
  auto stage = [&](const MapReader& r) {
    return std::make_pair(pieces[static_cast<size_t>(r.piece)].layer, r.tag == input_tag(r.piece));
  };
  std::vector<size_t> leader(to.size());
  for (size_t k = 0; k < to.size(); ++k) {
    leader[k] = k;
    for (size_t j = 0; j < k && to[k].piece >= 0 && !runs[k].empty(); ++j)
      if (leader[j] == j && to[j].piece >= 0 && stage(to[j]) == stage(to[k]) && runs[j] == runs[k]) {
        leader[k] = j;
        break;
      }
  }
  return leader;
}

// The sends of a map slice held as channels [pb, pb + pc) of every pixel to all the map's readers.
std::vector<MapSend> map_sends(int64_t pixels, int64_t pb, int64_t pc, const std::vector<MapReader>& to,
                               const std::vector<CrossbarPiece>& pieces,
                               std::vector<std::vector<Mapping::MulticastDestination>>& groups) {
  std::vector<std::vector<TransferRun>> runs;
  runs.reserve(to.size());
  for (const MapReader& r : to) runs.push_back(transfer_runs(pixels, pb, pc, r.view));
  const std::vector<size_t> leader = multicast_leaders(to, runs, pieces);
  std::vector<MapSend> sends;
  for (size_t k = 0; k < to.size(); ++k) {
    if (leader[k] != k || runs[k].empty()) continue;
    std::vector<Mapping::MulticastDestination> group;
    for (size_t j = k; j < to.size() && to[k].piece >= 0; ++j)
      if (leader[j] == k) group.push_back({pieces[static_cast<size_t>(to[j].piece)].core, to[j].tag});
    if (group.size() > 1) {
      sends.push_back({static_cast<int>(groups.size()), 0, 0, runs[k]});
      groups.push_back(std::move(group));
      continue;
    }
    const MapReader& r = to[k];
    const uint32_t core =
        r.piece < 0 ? kOutputPort : static_cast<uint32_t>(pieces[static_cast<size_t>(r.piece)].core);
    sends.push_back({-1, core, r.tag, runs[k]});
  }
  return sends;
}

// The host's transfers of one sample's input to its readers, and the cores they go to (first-use order).
void plan_input_transfers(const Mapping& m, const std::vector<MapReader>& input_readers, TransferPlan& t) {
  for (const MapReader& r : input_readers) {
    const int core = m.pieces[static_cast<size_t>(r.piece)].core;
    for (const TransferRun& run : transfer_runs(m.input_pixels, 0, m.input_channels, r.view))
      t.input_transfers.push_back(
          {core, r.tag, run.dst, run.src, run.rows, run.len, run.src_stride, run.dst_stride});
    if (std::find(t.input_cores.begin(), t.input_cores.end(), core) == t.input_cores.end())
      t.input_cores.push_back(core);
  }
}

}  // namespace

std::vector<TransferRun> transfer_runs(int64_t pixels, int64_t pb, int64_t pc, const SlotView& view) {
  std::vector<TransferRun> runs;
  for (int64_t px = 0; px < pixels; ++px) {
    const PixelSpan s = pixel_span(px, pb, pc, view);
    if (s.lo >= s.hi) continue;
    const int64_t len = s.hi - s.lo;
    if (!runs.empty() && extend_run(runs.back(), s.src, s.dst, len)) continue;
    runs.push_back({s.src, s.dst, len, 1, 0, 0});
  }
  for (TransferRun& r : runs) merge_contiguous_rows(r);
  return runs;
}

uint32_t sent_map_tag(const CrossbarPiece& piece, int index) {
  if (piece.pool.enabled) return pooled_tag(index);
  return piece.residual_pass ? residual_tag(index) : output_tag(index);
}

int64_t sent_map_pixels(const CrossbarPiece& piece, const MappedLayer& layer) {
  return piece.pool.enabled ? piece.pool.out_h * piece.pool.out_w : layer.pixels;
}

TransferPlan plan_transfers(const LayerPlan& plan, const Mapping& placed) {
  TransferPlan t;
  t.readers = map_readers(plan, placed);
  plan_input_transfers(placed, t.readers[0], t);
  // In piece order, the order the schedule issues the sends in: the multicast groups are numbered so.
  t.sends.resize(placed.pieces.size());
  for (size_t pi = 0; pi < placed.pieces.size(); ++pi) {
    const CrossbarPiece& p = placed.pieces[pi];
    if (p.chain_index + 1 != p.chain_length) continue;
    const MappedLayer& layer = placed.layers[static_cast<size_t>(p.layer)];
    t.sends[pi] = map_sends(sent_map_pixels(p, layer), p.out_begin, p.out_count,
                            t.readers[static_cast<size_t>(p.layer) + 1], placed.pieces, t.multicast_groups);
  }
  return t;
}

}  // namespace aimc
