// Network timing in the manner of Ramulator's tests: an unloaded transfer of m bytes over n hops takes its
// closed form, two flows on one link serialise by exactly one packet, a multicast crosses each tree link
// once, and the explicit HERMES link list routes along shortest paths.
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "HwTestSupport.h"
#include "aimc/base/Error.h"
#include "aimc/hw/Noc.h"

namespace aimc {
namespace {

// Calls `body` at simulated time `at_ns` inside a SystemC thread.
struct At : sc_core::sc_module {
  SC_HAS_PROCESS(At);
  At(const sc_core::sc_module_name& n, double at_ns, std::function<void()> body)
      : sc_core::sc_module(n), at_ns_(at_ns), body_(std::move(body)) {
    SC_THREAD(run);
  }
  void run() {
    wait(sc_core::sc_time(at_ns_, sc_core::SC_NS));
    body_();
  }
  double at_ns_;
  std::function<void()> body_;
};

TEST(NocTiming, UnloadedTransferMatchesItsFormula) {
  const ArchConfig arch = hwtest::hermes();
  Noc noc("noc", arch);
  // (dst, bytes) from router 0 of the 8x8 mesh: hops = x + y.
  const std::vector<std::pair<int, uint64_t>> cases = {{1, 1}, {9, 64}, {63, 256}, {7, 100}, {56, 3}};
  std::vector<Noc::Transfer> got;
  // Transfers 10 us apart never meet, so each is unloaded; 10 us is a whole number of 2.5 ns cycles.
  std::vector<std::unique_ptr<At>> at;
  for (size_t i = 0; i < cases.size(); ++i)
    at.push_back(
        std::make_unique<At>(("t" + std::to_string(i)).c_str(), 10000.0 * static_cast<double>(i),
                             [&, i] { got.push_back(noc.reserve(0, cases[i].first, cases[i].second)); }));
  sc_core::sc_start();
  ASSERT_EQ(got.size(), cases.size());
  const double period = arch.noc_period_ns();  // 2.5 ns: 400 MHz [A]
  EXPECT_DOUBLE_EQ(period, 2.5);
  for (size_t i = 0; i < cases.size(); ++i) {
    const int dst = cases[i].first;
    const uint64_t m = cases[i].second;
    const int n = dst % 8 + dst / 8;
    EXPECT_EQ(got[i].hops, n);
    // F = ceil((16 + 8 m) / 8) flits of one 8-bit link clock; n (1 + 1) + F - 1 cycles.
    const uint64_t f = (16 + 8 * m + 7) / 8;
    EXPECT_EQ(noc.flits(m), f);
    const double expect = 10000.0 * static_cast<double>(i) + static_cast<double>(2 * n + f - 1) * period;
    EXPECT_DOUBLE_EQ(hwtest::ns_of(got[i].delivered), expect) << "dst " << dst << " bytes " << m;
    // The sender is free once the tail left its router: router latency + F cycles.
    EXPECT_DOUBLE_EQ(hwtest::ns_of(got[i].injected),
                     10000.0 * static_cast<double>(i) + static_cast<double>(1 + f) * period);
  }
  EXPECT_EQ(noc.stats().value("contention_cycles"), 0.0);
}

TEST(NocTiming, TwoFlowsOnOneLinkSerialise) {
  const ArchConfig arch = hwtest::hermes();
  Noc noc("noc", arch);
  Noc::Transfer a, b, c;
  At go("go", 0.0, [&] {
    a = noc.reserve(0, 2, 256);  // 0 -> 1 -> 2
    b = noc.reserve(1, 2, 256);  // shares link 1 -> 2
    c = noc.reserve(8, 9, 256);  // disjoint: unaffected
  });
  sc_core::sc_start();
  const uint64_t f = noc.flits(256);  // 258
  const double p = arch.noc_period_ns();
  EXPECT_DOUBLE_EQ(hwtest::ns_of(a.delivered), static_cast<double>(noc.unloaded_cycles(2, 256)) * p);
  EXPECT_DOUBLE_EQ(hwtest::ns_of(c.delivered), static_cast<double>(noc.unloaded_cycles(1, 256)) * p);
  // a's head enters link 1->2 at cycle 3 and holds it for F cycles; b enters at 3 + F, its tail arrives
  // F - 1 cycles after its head reaches router 2: 3 + F + 1 + F - 1 = 3 + 2F.
  EXPECT_DOUBLE_EQ(hwtest::ns_of(b.delivered), static_cast<double>(3 + 2 * f) * p);
  // b's source is held until its tail leaves: 3 + 2F as well (one hop).
  EXPECT_DOUBLE_EQ(hwtest::ns_of(b.injected), static_cast<double>(3 + 2 * f) * p);
  EXPECT_EQ(noc.stats().value("contention_cycles"), static_cast<double>(f + 2));
  EXPECT_EQ(noc.stats().value("flit_hops"), static_cast<double>(4 * f));
}

TEST(NocTiming, IdenticalFlowsArriveOnePacketApart) {
  const ArchConfig arch = hwtest::hermes();
  Noc noc("noc", arch);
  Noc::Transfer a, b;
  At go("go", 0.0, [&] {
    a = noc.reserve(0, 3, 100);
    b = noc.reserve(0, 3, 100);
  });
  sc_core::sc_start();
  EXPECT_DOUBLE_EQ(hwtest::ns_of(b.delivered) - hwtest::ns_of(a.delivered),
                   static_cast<double>(noc.flits(100)) * arch.noc_period_ns());
}

TEST(NocTiming, MulticastIsATreeWithOneCopyPerLink) {
  const ArchConfig arch = hwtest::hermes();
  Noc noc("noc", arch);
  Noc::MulticastTransfer m;
  At go("go", 0.0, [&] { m = noc.reserve_multicast(0, {2, 3, 9}, 256); });
  sc_core::sc_start();
  // XY routes 0-1-2, 0-1-2-3, 0-1-9: the tree has links 0->1, 1->2, 2->3, 1->9.
  EXPECT_EQ(m.links, 4);
  EXPECT_EQ(noc.stats().value("flit_hops"), static_cast<double>(4 * noc.flits(256)));
  const double p = arch.noc_period_ns();
  // Every branch is unloaded: each destination gets its unicast latency.
  EXPECT_DOUBLE_EQ(hwtest::ns_of(m.delivered[0]), static_cast<double>(noc.unloaded_cycles(2, 256)) * p);
  EXPECT_DOUBLE_EQ(hwtest::ns_of(m.delivered[1]), static_cast<double>(noc.unloaded_cycles(3, 256)) * p);
  EXPECT_DOUBLE_EQ(hwtest::ns_of(m.delivered[2]), static_cast<double>(noc.unloaded_cycles(2, 256)) * p);
  EXPECT_EQ(noc.stats().value("packets"), 1.0);
}

TEST(NocTopology, HermesLinkListHasSixNeighboursAndShortestRoutes) {
  const ArchConfig arch = hwtest::hermes({"noc.topology=links"});
  EXPECT_EQ(arch.noc.links, NocTopology::hexagonal_links(8, 8));
  Noc noc("noc", arch);
  const NocTopology& t = noc.topology();
  EXPECT_EQ(t.link_count(), 322u);  // 161 pairs; [A] quotes 418 links (see arch/hermes.yaml)
  int max_degree = 0;
  for (int r = 0; r < 64; ++r) max_degree = std::max(max_degree, t.degree(r));
  EXPECT_EQ(max_degree, 6);
  EXPECT_EQ(t.degree(0), 3);
  // With the SE/NW diagonal, 0 -> 63 is 7 hops; 7 -> 56 (the other diagonal) still 14.
  EXPECT_EQ(t.hops(0, 63), 7);
  EXPECT_EQ(t.hops(63, 0), 7);
  EXPECT_EQ(t.hops(7, 56), 14);
  // Table routing is deterministic and every route is as short as the grid distance allows.
  for (int s = 0; s < 64; ++s)
    for (int d = 0; d < 64; ++d) {
      const int dx = d % 8 - s % 8, dy = d / 8 - s / 8;
      const int expect =
          (dx >= 0) == (dy >= 0) ? std::max(std::abs(dx), std::abs(dy)) : std::abs(dx) + std::abs(dy);
      ASSERT_EQ(t.hops(s, d), expect) << s << " -> " << d;
    }
  Noc::Transfer x;
  At go("go", 0.0, [&] { x = noc.reserve(0, 63, 256); });
  sc_core::sc_start();
  EXPECT_EQ(x.hops, 7);
  EXPECT_DOUBLE_EQ(hwtest::ns_of(x.delivered),
                   static_cast<double>(noc.unloaded_cycles(7, 256)) * arch.noc_period_ns());
}

TEST(NocTopology, TorusWrapsAndMeshCountsItsLinks) {
  const ArchConfig arch = hwtest::hermes({"noc.topology=torus2d"});
  Noc noc("noc", arch);
  EXPECT_EQ(noc.topology().link_count(), 256u);
  EXPECT_EQ(noc.hops(0, 7), 1);
  EXPECT_EQ(noc.hops(0, 63), 2);
  const NocTopology mesh(hwtest::hermes().noc, 64);
  EXPECT_EQ(mesh.link_count(), 224u);
  EXPECT_EQ(mesh.hops(0, 63), 14);
}

void expect_links_error(const char* set, const char* reason_part) {
  try {
    hwtest::hermes({"noc.topology=links", set});
    ADD_FAILURE() << "accepted " << set;
  } catch (const UserError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("noc.links"), std::string::npos) << what;
    EXPECT_NE(what.find(reason_part), std::string::npos) << what;
  }
}

TEST(NocTopology, BadLinkListsAreUserErrorsNamingTheKey) {
  expect_links_error("noc.links=0-1 1-64", "beyond");
  expect_links_error("noc.links=0-1 1-1", "itself");
  expect_links_error("noc.links=0-1 1-0", "twice");
  expect_links_error("noc.links=0-1 x", "not a link");
  expect_links_error("noc.links=0-1 1-2", "cannot be reached");
  expect_links_error("noc.links=", "empty");
}

}  // namespace
}  // namespace aimc
