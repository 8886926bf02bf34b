#include <algorithm>
#include <queue>
#include <set>
#include <sstream>

#include "aimc/config/ArchParams.h"

namespace aimc {

bool parse_noc_links(const std::string& text, int64_t routers, std::vector<std::pair<int, int>>& pairs,
                     std::string& error) {
  pairs.clear();
  std::set<std::pair<int, int>> seen;
  std::istringstream in(text);
  std::string item;
  while (in >> item) {
    const auto dash = item.find('-');
    auto is_number = [](const std::string& s) {
      return !s.empty() && s.size() < 9 &&
             std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (dash == std::string::npos || !is_number(item.substr(0, dash)) || !is_number(item.substr(dash + 1))) {
      error = "'" + item + "' is not a link: write router pairs like 0-1, separated by spaces";
      return false;
    }
    const int a = std::stoi(item.substr(0, dash)), b = std::stoi(item.substr(dash + 1));
    if (a >= routers || b >= routers) {
      error = "link '" + item + "' names a router beyond the " + std::to_string(routers) + " cores";
      return false;
    }
    if (a == b) {
      error = "link '" + item + "' connects a router to itself";
      return false;
    }
    if (!seen.insert({std::min(a, b), std::max(a, b)}).second) {
      error = "link '" + item + "' is listed twice";
      return false;
    }
    pairs.emplace_back(a, b);
  }
  if (pairs.empty() && routers > 1) {
    error = "is empty: list the links as router pairs like \"0-1 1-2\"";
    return false;
  }
  return true;
}

namespace arch_params_detail {

void declare_noc_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(
      choice("noc.topology", "mesh2d",
             "On-chip network topology: 2-D mesh or torus with XY routing, or the explicit noc.links list "
             "with shortest-path routing tables",
             "[A] 8x8 floorplan; mesh2d is the nearest regular topology; links describes the <= 6-neighbour "
             "fabric (routing table set before run time)"),
      AIMC_FIELD(noc.topology));
  t.add(P("noc.mesh_cols", I, kNone, "8", 1, 256, "Cores per mesh row", "[A] 8x8 floorplan"),
        AIMC_FIELD(noc.mesh_cols));
  t.add(P("noc.mesh_rows", I, kNone, "8", 1, 256, "Rows of cores in the mesh", "[A] 8x8 floorplan"),
        AIMC_FIELD(noc.mesh_rows));
  t.add(P("noc.links", ParamKind::kString, kNone, "", 0, 0,
          "Links of topology 'links': bidirectional router pairs 'a-b' separated by spaces (one link per "
          "direction each)",
          "[A] 418 links, each core talks to <= 6 neighbours (the list itself is not published; "
          "arch/hermes.yaml "
          "derives one)"),
        AIMC_FIELD(noc.links));
  t.add(P("noc.link_width_bits", I, kNone, "8", 1, 1024, "Bits a link carries per network clock",
          "[A] a link = 8 parallel channels x 1 bit/clock"),
        AIMC_FIELD(noc.link_width_bits));
  t.add(P("noc.clock", F, kMHz, "400MHz", 1, 10000, "Network clock",
          "[A] 3.2 Gbit/s per link / 8 channels = 400 MHz"),
        AIMC_FIELD(noc.clock_mhz));
  t.add(P("noc.router_latency_cycles", I, kNone, "1", 0, 64, "Cycles a packet head spends in each router",
          "model: one registered switch stage per hop (not published)"),
        AIMC_FIELD(noc.router_latency_cycles));
  t.add(P("noc.header_bits", I, kNone, "16", 0, 1024, "Bits of routing header sent before each packet",
          "model: destination core (6 b) + tag (10 b) for 64 cores"),
        AIMC_FIELD(noc.header_bits));
  t.add(P("noc.core_pitch", F, kNone, "1200", 1, 1e5,
          "Distance between neighbouring cores in um (link length)", "[A] core 1.2 x 1.16 mm"),
        AIMC_FIELD(noc.core_pitch_um));
}

void validate_noc(const ArchConfig& a, const ArchValidator& v) {
  if (a.noc.topology != NocTopologyKind::kLinks) {
    if (a.noc.mesh_cols * a.noc.mesh_rows != a.chip.cores)
      v.fail(v.was_set("chip.cores") ? "chip.cores" : "noc.mesh_cols",
             "a " + std::to_string(a.noc.mesh_cols) + "x" + std::to_string(a.noc.mesh_rows) + " mesh has " +
                 std::to_string(a.noc.mesh_cols * a.noc.mesh_rows) + " places but chip.cores is " +
                 std::to_string(a.chip.cores));
    return;
  }
  std::vector<std::pair<int, int>> pairs;
  std::string error;
  if (!parse_noc_links(a.noc.links, a.chip.cores, pairs, error)) v.fail("noc.links", error);
  // Every core must reach every other one (the host port sits at router 0).
  std::vector<std::vector<int>> adj(static_cast<size_t>(a.chip.cores));
  for (auto [x, y] : pairs) {
    adj[static_cast<size_t>(x)].push_back(y);
    adj[static_cast<size_t>(y)].push_back(x);
  }
  std::vector<bool> seen(adj.size(), false);
  std::queue<int> q;
  q.push(0);
  seen[0] = true;
  while (!q.empty()) {
    const int r = q.front();
    q.pop();
    for (int n : adj[static_cast<size_t>(r)])
      if (!seen[static_cast<size_t>(n)]) {
        seen[static_cast<size_t>(n)] = true;
        q.push(n);
      }
  }
  for (size_t r = 0; r < seen.size(); ++r)
    if (!seen[r]) v.fail("noc.links", "core " + std::to_string(r) + " cannot be reached from core 0");
}

}  // namespace arch_params_detail
}  // namespace aimc
