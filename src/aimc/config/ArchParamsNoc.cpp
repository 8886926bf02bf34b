#include "aimc/config/ArchParams.h"

namespace aimc::arch_params_detail {

void declare_noc_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(
      C("noc.topology", {"mesh2d", "torus2d"}, "mesh2d", "On-chip network topology",
        "[A] 8x8 floorplan; mesh2d is the nearest regular topology (the chip's 6-neighbour links: issue 4)"),
      AIMC_FIELD(noc.topology));
  t.add(P("noc.mesh_cols", I, kNone, "8", 1, 256, "Cores per mesh row", "[A] 8x8 floorplan"),
        AIMC_FIELD(noc.mesh_cols));
  t.add(P("noc.mesh_rows", I, kNone, "8", 1, 256, "Rows of cores in the mesh", "[A] 8x8 floorplan"),
        AIMC_FIELD(noc.mesh_rows));
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
  if (a.noc.mesh_cols * a.noc.mesh_rows != a.chip.cores)
    v.fail(v.was_set("chip.cores") ? "chip.cores" : "noc.mesh_cols",
           "a " + std::to_string(a.noc.mesh_cols) + "x" + std::to_string(a.noc.mesh_rows) + " mesh has " +
               std::to_string(a.noc.mesh_cols * a.noc.mesh_rows) + " places but chip.cores is " +
               std::to_string(a.chip.cores));
}

}  // namespace aimc::arch_params_detail
