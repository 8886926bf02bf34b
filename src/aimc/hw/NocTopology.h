#pragma once
// The graph of the on-chip network and its routing: which directed links exist and which link a packet
// takes next from a router towards a destination.
//   mesh2d / torus2d: routers in a cols x rows grid, one link per direction between grid neighbours
//     (wrapping on a torus), dimension-order XY routing computed on the fly (the shorter way round on a
//     torus, ties forward).
//   links: the explicit list noc.links of bidirectional router pairs (one directed link each way); routing
//     tables computed once, before the run (as on the published chip, REFERENCE A): shortest paths by
//     breadth-first search, ties broken towards the lowest-numbered neighbour, so routes are deterministic.
// Plain C++ (no SystemC): the Noc block adds time and contention.
#include <cstdint>
#include <string>
#include <vector>

#include "aimc/config/NocConfig.h"

namespace aimc {

class NocTopology {
 public:
  // `routers` = chip.cores; the config was validated (ArchParamsNoc.cpp), so a bad list is an assertion here.
  NocTopology(const NocConfig& noc, int64_t routers);

  int routers() const { return routers_; }
  // Link ids run over [0, link_slots()); some slots of a mesh (its borders) hold no link.
  size_t link_slots() const { return link_from_.size(); }
  // Directed links that exist.
  size_t link_count() const { return link_count_; }
  bool link_exists(int link) const { return link_from_[static_cast<size_t>(link)] >= 0; }
  int link_from(int link) const { return link_from_[static_cast<size_t>(link)]; }
  int link_to(int link) const { return link_to_[static_cast<size_t>(link)]; }
  // Distinct neighbours a router has a link to.
  int degree(int router) const;

  struct Hop {
    int next;  // router reached
    int link;  // link taken
  };
  // The hop a packet at `at` (!= dst) takes towards `dst`.
  Hop next_hop(int at, int dst) const;
  // Links crossed from src to dst along the route.
  int hops(int src, int dst) const;

  // A link list for a cols x rows grid in which every core reaches at most 6 neighbours: east/west,
  // north/south and one diagonal (south-east/north-west), i.e. a hexagonal neighbourhood on the grid.
  static std::string hexagonal_links(int cols, int rows);

 private:
  Hop grid_next_hop(int at, int dst) const;

  NocTopologyKind kind_;
  int routers_;
  int64_t cols_ = 0, rows_ = 0;
  std::vector<int> link_from_, link_to_;  // -1 for an empty slot
  size_t link_count_ = 0;
  // kLinks: routing table, the link to take at router `at` towards `dst`: table_[at * routers + dst].
  std::vector<int32_t> table_;
};

}  // namespace aimc
