#include "aimc/compiler/Placement.h"

#include <algorithm>

#include <fmt/format.h>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

bool packable(const CrossbarPiece& p) {
  return p.uses_crossbar() && !p.residual_pass;
}

// One crossbar being filled: its pieces and the next free output line and input line.
struct Bin {
  std::vector<int> pieces;
  int64_t out_end = 0, in_end = 0;
};

bool same_chain(const CrossbarPiece& a, const CrossbarPiece& b) {
  return a.layer == b.layer && a.out_begin == b.out_begin;
}

// A piece fits where its output lines are still free: its input lines go beside the others' (block diagonal)
// where the columns have room, else they share the first columns (stacked, Placement.h).
bool fits(const Bin& bin, const CrossbarPiece& p, const std::vector<CrossbarPiece>& pieces, int64_t rows) {
  if (bin.out_end + p.out_count > rows) return false;
  return std::none_of(bin.pieces.begin(), bin.pieces.end(),
                      [&](int q) { return same_chain(pieces[static_cast<size_t>(q)], p); });
}

// The first input line of piece p joining `bin`: beside the pieces before it while the columns have room,
// else column 0 (its input lines then shared with the others').
int64_t input_offset(const Bin& bin, const CrossbarPiece& p, int64_t cols) {
  return bin.in_end + p.in_count <= cols ? bin.in_end : 0;
}

// First-fit decreasing of `chosen` (indices of packable pieces) into crossbars of rows x cols.
std::vector<Bin> first_fit_decreasing(std::vector<int> chosen, const std::vector<CrossbarPiece>& pieces,
                                      int64_t rows, int64_t cols) {
  const auto size = [&](int i) {
    const CrossbarPiece& p = pieces[static_cast<size_t>(i)];
    return std::max(static_cast<double>(p.out_count) / static_cast<double>(rows),
                    static_cast<double>(p.in_count) / static_cast<double>(cols));
  };
  std::stable_sort(chosen.begin(), chosen.end(), [&](int a, int b) { return size(a) > size(b); });
  std::vector<Bin> bins;
  for (int i : chosen) {
    const CrossbarPiece& p = pieces[static_cast<size_t>(i)];
    auto bin = std::find_if(bins.begin(), bins.end(), [&](const Bin& b) { return fits(b, p, pieces, rows); });
    if (bin == bins.end()) bin = bins.insert(bins.end(), Bin{});
    bin->pieces.push_back(i);
    bin->out_end += p.out_count;
    bin->in_end = input_offset(*bin, p, cols) + p.in_count;
  }
  return bins;
}

// The groups of pieces that share a core: the bins of the k smallest packable pieces, every other piece
// alone.
std::vector<Bin> pack_smallest(int64_t k, const std::vector<int>& by_size,
                               const std::vector<CrossbarPiece>& pieces, int64_t rows, int64_t cols) {
  const std::vector<int> chosen(by_size.begin(), by_size.begin() + k);
  std::vector<Bin> groups = first_fit_decreasing(chosen, pieces, rows, cols);
  std::vector<bool> packed(pieces.size(), false);
  for (int i : chosen) packed[static_cast<size_t>(i)] = true;
  for (size_t i = 0; i < pieces.size(); ++i)
    if (!packed[i]) groups.push_back(Bin{{static_cast<int>(i)}, pieces[i].out_count, pieces[i].in_count});
  return groups;
}

// The packable pieces, smallest (cells) first; ties in piece order.
std::vector<int> packable_by_size(const std::vector<CrossbarPiece>& pieces) {
  std::vector<int> order;
  for (size_t i = 0; i < pieces.size(); ++i)
    if (packable(pieces[i])) order.push_back(static_cast<int>(i));
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const CrossbarPiece &pa = pieces[static_cast<size_t>(a)], &pb = pieces[static_cast<size_t>(b)];
    return pa.out_count * pa.in_count < pb.out_count * pb.in_count;
  });
  return order;
}

std::vector<Bin> choose_groups(const std::vector<CrossbarPiece>& pieces, const ArchConfig& arch,
                               const std::string& source, PackingPolicy packing) {
  const int64_t rows = arch.core.tile.rows, cols = arch.core.tile.cols, cores = arch.chip.cores;
  const std::vector<int> by_size = packable_by_size(pieces);
  const auto all = static_cast<int64_t>(by_size.size());
  std::vector<Bin> groups;
  if (packing == PackingPolicy::kOff) {
    groups = pack_smallest(0, by_size, pieces, rows, cols);
  } else if (packing == PackingPolicy::kOn) {
    groups = pack_smallest(all, by_size, pieces, rows, cols);
  } else {
    for (int64_t k = 0; k <= all; ++k) {
      groups = pack_smallest(k, by_size, pieces, rows, cols);
      if (static_cast<int64_t>(groups.size()) <= cores) break;
    }
  }
  if (static_cast<int64_t>(groups.size()) > cores) {
    const std::string how =
        packing == PackingPolicy::kOff
            ? std::string("one piece per core, mapping.packing: off")
            : fmt::format("even with every small piece packed, mapping.packing: on; {} one piece per core",
                          pieces.size());
    throw UserError(source, 0, "",
                    fmt::format("the network needs {} crossbars of {}x{} but the chip has {} cores with one "
                                "each ({}; a depthwise or affine piece takes a core of its own)",
                                groups.size(), rows, cols, cores, how));
  }
  // Cores in the order of each group's first piece, so that a network that is not packed keeps today's
  // placement and a packed one still follows the snake walk.
  for (Bin& g : groups) std::sort(g.pieces.begin(), g.pieces.end());
  std::sort(groups.begin(), groups.end(),
            [](const Bin& a, const Bin& b) { return a.pieces.front() < b.pieces.front(); });
  return groups;
}

}  // namespace

std::vector<int> snake_order(const ArchConfig& arch) {
  std::vector<int> order;
  for (int64_t r = 0; r < arch.noc.mesh_rows; ++r)
    for (int64_t k = 0; k < arch.noc.mesh_cols; ++k) {
      const int64_t c = (r % 2 == 0) ? k : arch.noc.mesh_cols - 1 - k;
      order.push_back(static_cast<int>(r * arch.noc.mesh_cols + c));
    }
  return order;
}

Placement place_pieces(const std::vector<CrossbarPiece>& pieces, const ArchConfig& arch,
                       const std::string& source, PackingPolicy packing) {
  const int64_t rows = arch.core.tile.rows, cols = arch.core.tile.cols;
  // The slot tags (isa/Mapping.h) give a piece index 13 bits.
  if (pieces.size() >= 0x2000)
    throw UserError(source, 0, "", "more than 8191 crossbar pieces do not fit the 16-bit slot tags");
  const std::vector<Bin> groups = choose_groups(pieces, arch, source, packing);
  const std::vector<int> order = snake_order(arch);
  Placement placement;
  placement.piece_core.assign(pieces.size(), -1);
  placement.out_offset.assign(pieces.size(), 0);
  placement.in_offset.assign(pieces.size(), 0);
  int64_t weights = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    Mapping::CrossbarUse use{order[g], 0, 0, 0.0};
    Bin filled;
    for (int i : groups[g].pieces) {
      const CrossbarPiece& p = pieces[static_cast<size_t>(i)];
      placement.piece_core[static_cast<size_t>(i)] = order[g];
      if (!p.uses_crossbar()) continue;
      placement.out_offset[static_cast<size_t>(i)] = filled.out_end;
      placement.in_offset[static_cast<size_t>(i)] = input_offset(filled, p, cols);
      filled.out_end += p.out_count;
      filled.in_end = placement.in_offset[static_cast<size_t>(i)] + p.in_count;
      use.pieces += 1;
      use.cells += p.out_count * p.in_count;
    }
    AIMC_ASSERT(filled.out_end <= rows && filled.in_end <= cols);
    if (use.pieces == 0) continue;
    use.utilisation = static_cast<double>(use.cells) / static_cast<double>(rows * cols);
    weights += use.cells;
    placement.crossbar_use.push_back(use);
  }
  std::sort(placement.crossbar_use.begin(), placement.crossbar_use.end(),
            [](const auto& a, const auto& b) { return a.core < b.core; });
  placement.cores_used = static_cast<int>(groups.size());
  placement.crossbars_used = static_cast<int>(placement.crossbar_use.size());
  placement.cell_utilisation =
      placement.crossbars_used == 0
          ? 0.0
          : static_cast<double>(weights) / (static_cast<double>(placement.crossbars_used) * rows * cols);
  return placement;
}

}  // namespace aimc
