// The global digital processing unit (GDPU) of the published chip: a row of slices computing recurrent
// gates ([A] = Le Gallo et al., Nature Electronics 2023, Sec. III and Fig. 1d, as REFERENCE.md H quotes it;
// [H] and [S] here are ArchParams.h's Horowitz energies and their scaling, as in ArchParamsPower.cpp).
#include <string>

#include "aimc/config/ArchParams.h"

namespace aimc {

int gdpu_feeding_core(const ArchConfig& a, int slice) {
  return static_cast<int>((a.gdpu.feed_row - 1) * a.noc.mesh_cols) + slice;
}

int gdpu_slice_of_core(const ArchConfig& a, int core) {
  if (!a.gdpu.enabled) return -1;
  const int first = gdpu_feeding_core(a, 0);
  return core >= first && core < first + a.gdpu.slices ? core - first : -1;
}

namespace arch_params_detail {

namespace {

void declare_gdpu_block(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(B("gdpu.enabled", "false",
          "Whether the chip has the GDPU (the recurrent-gate slices, hw/Gdpu); off, the arch has no GDPU "
          "area, energy or block",
          "[A] Sec. III (REFERENCE.md H): the published chip has it; off by default so that networks without "
          "recurrent layers keep "
          "their area and energy figures"),
        AIMC_FIELD(gdpu.enabled));
  t.add(P("gdpu.slices", I, kNone, "8", 1, 256, "GDPU slices, each fed by one core of row gdpu.feed_row",
          "[A] Sec. III (REFERENCE.md H): 8 slices in a row between core rows 4 and 5"),
        AIMC_FIELD(gdpu.slices));
  t.add(P("gdpu.feed_row", I, kNone, "4", 1, 256,
          "Row of cores (1-based) above the GDPU row; slice s is fed by the core of column s of this row",
          "[A] Sec. III (REFERENCE.md H): between core rows 4 and 5, each slice fed by the row-4 core above "
          "it"),
        AIMC_FIELD(gdpu.feed_row));
  t.add(P("gdpu.clock", F, kMHz, "400MHz", 1, 10000, "GDPU clock",
          "[A] Sec. III (REFERENCE.md H): up to 400 MHz"),
        AIMC_FIELD(gdpu.clock_mhz));
  t.add(P("gdpu.inputs_per_slice", I, kNone, "256", 4, 65536,
          "Serial INT8 inputs of one slice step, at most (4 per unit: the gates interleaved)",
          "[A] Sec. III (REFERENCE.md H): up to 256 serial inputs per slice (I/A/F/O interleaved)"),
        AIMC_FIELD(gdpu.inputs_per_slice));
  t.add(P("gdpu.cycles_per_output", I, kNone, "4", 1, 1024, "Cycles between two outputs of a slice",
          "[A] Sec. III (REFERENCE.md H): one output every 4 cycles"),
        AIMC_FIELD(gdpu.cycles_per_output));
  t.add(P("gdpu.outputs_per_slice", I, kNone, "64", 1, 16384, "Outputs (units) of one slice step, at most",
          "[A] Sec. III (REFERENCE.md H): up to 64 outputs per slice"),
        AIMC_FIELD(gdpu.outputs_per_slice));
  t.add(P("gdpu.state_registers", I, kNone, "64", 1, 16384, "FP16 cell-state registers per slice",
          "[A] Sec. III (REFERENCE.md H): 64 cell-state registers per slice"),
        AIMC_FIELD(gdpu.state_registers));
  t.add(P("gdpu.register_banks", I, kNone, "4", 1, 1024,
          "Banks of FP16 scale registers per slice (4 gate scales and the output scale each): layers that "
          "share a slice use different banks",
          "choice: not published; 4 banks let a slice serve a 2-layer bidirectional network's 4 cells"),
        AIMC_FIELD(gdpu.register_banks));
  t.add(
      P("gdpu.pipeline_cycles", I, kNone, "6", 0, 1024,
        "Cycles from a unit's last input to its output (the slice's pipeline depth)",
        "choice: not published; one register stage per dependent FP16 step after a unit's last input (its o "
        "gate, GdpuCell.h): dequantise, halve, table compare and interpolating FMA, the sigmoid's FMA, "
        "mul(o, tanh c'), requantise (tanh c' is ready by then)"),
      AIMC_FIELD(gdpu.pipeline_cycles));
}

void declare_gdpu_cost(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(P("gdpu.fma_energy", F, kPicoJoules, "0.417pJ", 0, 1e6, "Energy of one FP16 FMA of a slice",
          "[H] 16-bit FP add 0.4 pJ + 16-bit FP mult 1.1 pJ at 45 nm, x0.278 [S]"),
        AIMC_FIELD(gdpu.fma_energy_pj));
  t.add(P("gdpu.lut_energy", F, kPicoJoules, "0.236pJ", 0, 1e6,
          "Energy of one tanh-table lookup (17 comparisons of 16 bits, the bin's slope and intercept read)",
          "model: 17 x a 16-bit compare as a 16-bit add, [H] 0.05 pJ (between 8-bit 0.03 and 32-bit 0.1 pJ) "
          "at 45 nm, x0.278 [S]"),
        AIMC_FIELD(gdpu.lut_energy_pj));
  t.add(P("gdpu.register_energy", F, kPicoJoules, "0.0139pJ", 0, 1e6,
          "Energy of one 16-bit cell-state register read or write",
          "model: 16 bits x a one-bit slice of a 32-bit adder, [H] 0.1 pJ / 32 at 45 nm, x0.278 [S]"),
        AIMC_FIELD(gdpu.register_energy_pj));
  t.add(P("gdpu.slice_area", F, kSquareMm, "0.281mm2", 0, 1e3, "Area of one GDPU slice",
          "[A] Sec. III (REFERENCE.md H): GDPU macro 0.809 x 0.347 mm = 0.281 mm2, read as per slice: its "
          "0.809 mm width fits under "
          "one 1.2 mm core of the row, 8 of them span 6.5 mm of the 9.6 mm row; if the macro is all 8 "
          "slices, set 0.0351 mm2"),
        AIMC_FIELD(gdpu.slice_area_mm2));
}

}  // namespace

void declare_gdpu_params(ParamTable<ArchConfig>& t) {
  declare_gdpu_block(t);
  declare_gdpu_cost(t);
}

void validate_gdpu(const ArchConfig& a, const ArchValidator& v) {
  if (!a.gdpu.enabled) return;
  const int64_t rows = a.noc.mesh_cols * a.noc.mesh_rows == a.chip.cores ? a.noc.mesh_rows : 0;
  if (a.gdpu.feed_row >= rows)
    v.fail("gdpu.enabled",
           "the GDPU sits between core rows gdpu.feed_row (" + std::to_string(a.gdpu.feed_row) +
               ") and the next one of the floorplan, but this arch has only " + std::to_string(rows) +
               " row(s) of cores (noc.mesh_rows, with noc.mesh_rows x noc.mesh_cols = " +
               "chip.cores required); disable the GDPU or change gdpu.feed_row");
  if (a.gdpu.slices > a.noc.mesh_cols)
    v.fail("gdpu.slices", std::to_string(a.gdpu.slices) +
                              " slices need as many cores in row gdpu.feed_row, "
                              "which has " +
                              std::to_string(a.noc.mesh_cols));
  if (a.gdpu.inputs_per_slice % 4 != 0)
    v.fail("gdpu.inputs_per_slice", "must be a multiple of 4 (four gate inputs per unit)");
  if (a.gdpu.state_registers < a.gdpu.outputs_per_slice)
    v.fail("gdpu.state_registers", "fewer than gdpu.outputs_per_slice: a step's units each need a register");
}

}  // namespace arch_params_detail
}  // namespace aimc
