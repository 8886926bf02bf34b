#include "aimc/hw/NocTopology.h"

#include <algorithm>
#include <queue>
#include <set>

#include "aimc/base/Error.h"

namespace aimc {

NocTopology::NocTopology(const NocConfig& noc, int64_t routers)
    : kind_(noc.topology), routers_(static_cast<int>(routers)) {
  if (kind_ != NocTopologyKind::kLinks) {
    cols_ = noc.mesh_cols;
    rows_ = noc.mesh_rows;
    AIMC_ASSERT(cols_ * rows_ == routers);
    // Slot router * 4 + direction (0 east, 1 west, 2 north, 3 south).
    link_from_.assign(static_cast<size_t>(routers) * 4, -1);
    link_to_.assign(link_from_.size(), -1);
    const bool torus = kind_ == NocTopologyKind::kTorus2d;
    for (int r = 0; r < routers_; ++r) {
      const int64_t x = r % cols_, y = r / cols_;
      const int64_t nx[4] = {x + 1, x - 1, x, x}, ny[4] = {y, y, y - 1, y + 1};
      for (int d = 0; d < 4; ++d) {
        int64_t tx = nx[d], ty = ny[d];
        if (torus) {
          tx = (tx + cols_) % cols_;
          ty = (ty + rows_) % rows_;
        } else if (tx < 0 || tx >= cols_ || ty < 0 || ty >= rows_) {
          continue;
        }
        const int to = static_cast<int>(ty * cols_ + tx);
        if (to == r) continue;  // a 1-wide torus dimension has no link
        link_from_[static_cast<size_t>(r) * 4 + d] = r;
        link_to_[static_cast<size_t>(r) * 4 + d] = to;
        ++link_count_;
      }
    }
    return;
  }
  std::vector<std::pair<int, int>> pairs;
  std::string error;
  const bool ok = parse_noc_links(noc.links, routers, pairs, error);
  AIMC_ASSERT_MSG(ok, error.c_str());
  // adjacency[r] = (neighbour, link), sorted by neighbour for the deterministic tie-break.
  std::vector<std::vector<std::pair<int, int>>> adjacency(static_cast<size_t>(routers_));
  for (auto [a, b] : pairs) {
    for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
      adjacency[static_cast<size_t>(from)].emplace_back(to, static_cast<int>(link_from_.size()));
      link_from_.push_back(from);
      link_to_.push_back(to);
    }
  }
  link_count_ = link_from_.size();
  for (auto& adj : adjacency) std::sort(adj.begin(), adj.end());
  // Routing tables: for each destination, distances by BFS; at each router take the lowest-numbered
  // neighbour that is one step closer.
  table_.assign(static_cast<size_t>(routers_) * static_cast<size_t>(routers_), -1);
  std::vector<int> dist(static_cast<size_t>(routers_));
  for (int dst = 0; dst < routers_; ++dst) {
    std::fill(dist.begin(), dist.end(), -1);
    std::queue<int> q;
    dist[static_cast<size_t>(dst)] = 0;
    q.push(dst);
    while (!q.empty()) {
      const int r = q.front();
      q.pop();
      for (auto [n, l] : adjacency[static_cast<size_t>(r)]) {
        (void)l;
        if (dist[static_cast<size_t>(n)] < 0) {
          dist[static_cast<size_t>(n)] = dist[static_cast<size_t>(r)] + 1;
          q.push(n);
        }
      }
    }
    for (int at = 0; at < routers_; ++at) {
      if (at == dst) continue;
      AIMC_ASSERT_MSG(dist[static_cast<size_t>(at)] > 0, "noc.links leaves a router unreachable");
      for (auto [n, l] : adjacency[static_cast<size_t>(at)])
        if (dist[static_cast<size_t>(n)] == dist[static_cast<size_t>(at)] - 1) {
          table_[static_cast<size_t>(at) * static_cast<size_t>(routers_) + static_cast<size_t>(dst)] = l;
          break;
        }
    }
  }
}

int NocTopology::degree(int router) const {
  std::set<int> n;
  for (size_t l = 0; l < link_from_.size(); ++l)
    if (link_from_[l] == router) n.insert(link_to_[l]);
  return static_cast<int>(n.size());
}

NocTopology::Hop NocTopology::grid_next_hop(int at, int dst) const {
  const int64_t x = at % cols_, y = at / cols_;
  const int64_t tx = dst % cols_, ty = dst / cols_;
  const bool torus = kind_ == NocTopologyKind::kTorus2d;
  auto step = [torus](int64_t from, int64_t to, int64_t size) {
    if (from == to) return int64_t{0};
    if (!torus) return to > from ? int64_t{1} : int64_t{-1};
    const int64_t fwd = (to - from + size) % size;
    return fwd <= size - fwd ? int64_t{1} : int64_t{-1};  // shorter way round; ties go forward
  };
  if (const int64_t sx = step(x, tx, cols_); sx != 0) {
    const int64_t nx = (x + sx + cols_) % cols_;
    return {static_cast<int>(y * cols_ + nx), at * 4 + (sx > 0 ? 0 : 1)};
  }
  const int64_t sy = step(y, ty, rows_);
  const int64_t ny = (y + sy + rows_) % rows_;
  return {static_cast<int>(ny * cols_ + x), at * 4 + (sy > 0 ? 3 : 2)};
}

NocTopology::Hop NocTopology::next_hop(int at, int dst) const {
  AIMC_ASSERT(at != dst);
  if (kind_ != NocTopologyKind::kLinks) return grid_next_hop(at, dst);
  const int l = table_[static_cast<size_t>(at) * static_cast<size_t>(routers_) + static_cast<size_t>(dst)];
  return {link_to_[static_cast<size_t>(l)], l};
}

int NocTopology::hops(int src, int dst) const {
  int h = 0;
  for (int at = src; at != dst; at = next_hop(at, dst).next) ++h;
  return h;
}

std::string NocTopology::hexagonal_links(int cols, int rows) {
  std::string s;
  auto add = [&s](int a, int b) {
    s += (s.empty() ? "" : " ") + std::to_string(a) + "-" + std::to_string(b);
  };
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) {
      const int r = y * cols + x;
      if (x + 1 < cols) add(r, r + 1);                         // east
      if (y + 1 < rows) add(r, r + cols);                      // south
      if (x + 1 < cols && y + 1 < rows) add(r, r + cols + 1);  // south-east diagonal
    }
  return s;
}

}  // namespace aimc
