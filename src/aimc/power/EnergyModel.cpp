#include "aimc/power/EnergyModel.h"

#include <cmath>

#include <fmt/format.h>

#include "aimc/numerics/ArrayReadEnergy.h"
#include "aimc/numerics/NmpuParams.h"
#include "aimc/power/AdcCostModel.h"
#include "aimc/power/TechScaling.h"

namespace aimc {

namespace {

double du_lane_kge(const ArchConfig& arch) {
  return arch.core.digital_unit.kind == DigitalUnitKind::kLdpuFp16 ? arch.area.du_lane_kge_ldpu
                                                                   : arch.area.du_lane_kge_nmpu;
}

// The activation stage of one unit (0 without it): the lanes' comparators, bin select and multiply-add, and
// the table the lanes share (per bin a breakpoint, a value and a slope register in their formats).
double act_stage_kge(const ArchConfig& arch) {
  const DigitalUnitConfig& du = arch.core.digital_unit;
  if (!du.activation_enabled) return 0.0;
  const auto bins = static_cast<double>(du.activation_bins);
  const double lanes = static_cast<double>(du.active_lanes()) *
                       (arch.area.act_stage_lane_kge_base + arch.area.act_stage_lane_kge_per_bin * bins);
  int bits_per_bin = 0;
  for (const std::string* text :
       {&du.activation_breakpoint_format, &du.activation_value_format, &du.activation_slope_format}) {
    NmpuFixedFormat f;
    std::string error;
    if (NmpuFixedFormat::parse(*text, &f, &error)) bits_per_bin += f.width();
  }
  return lanes + bins * bits_per_bin * arch.area.flipflop_ge / 1e3;
}

double controller_kge(const ArchConfig& arch) {
  return arch.core.controller.kind == ControllerKind::kCommandTable ? arch.area.controller_kge_command_table
                                                                    : arch.area.controller_kge_riscv;
}

// Router gate count: input buffers (flits x width flip-flops per port) plus a ports x ports crossbar of
// 2:1-mux equivalents per bit. GE per flip-flop and per mux from the same NanGate FreePDK45 X1 cell areas as
// rtl/synth/nmpu_area.py: um^2 = LEF SIZE width x 1.4 um (The-OpenROAD-Project/OpenROAD-flow-scripts,
// flow/platforms/nangate45/lef/NangateOpenCellLibrary.macro.mod.lef): DFF_X1 3.23 x 1.4 = 4.522,
// MUX2_X1 1.33 x 1.4 = 1.862, NAND2_X1 0.57 x 1.4 = 0.798 (1 GE).
constexpr double kFlipflopGe = 4.522 / 0.798;  // DFF_X1 / NAND2_X1 = 5.667 GE
constexpr double kMux2Ge = 1.862 / 0.798;      // MUX2_X1 / NAND2_X1 = 2.333 GE
double router_kge(const ArchConfig& arch, const NocGeometry& g) {
  const double w = static_cast<double>(arch.noc.link_width_bits);
  return g.router_ports * w * (arch.area.router_buffer_flits * kFlipflopGe + g.router_ports * kMux2Ge) * 1e-3;
}

double sram_kib(const ArchConfig& arch) {
  return static_cast<double>(arch.core.sram.size_bytes) / 1024.0;
}

// The crossbar row (constant or data model) and, with wire resistance on, the wires' I^2 R row.
void crossbar_rows(const ArchConfig& arch, const Activity& a, double t_s, std::vector<EnergyRow>& rows) {
  const auto& p = arch.power;
  const auto& tile = arch.core.tile;
  const double v = tile.dac.read_voltage_v;
  const double t_lsb_s = tile.dac.t_lsb_ns * 1e-9;
  const double leak = p.mvm_leakage_mw * 1e-3 * a.cores * t_s;
  const std::string leak_model =
      fmt::format("leakage: power.mvm_leakage ({:.5g} mW) x cores x time", p.mvm_leakage_mw);
  if (p.array_energy_model == ArrayEnergyModel::kData)
    rows.push_back(
        {"crossbar array", v * v * a.array_conductance_lsbs * ArrayReadEnergy::kUnitSiemens * t_lsb_s, leak,
         fmt::format("data: V_read^2 ({:.5g} V) x sum over reads of sum_i |code_i| G_line_i (the "
                     "programmed, drifted devices on each input line: {:.6g} nS LSB) x t_lsb ({:.5g} "
                     "ns); {}",
                     v, a.array_conductance_lsbs, tile.dac.t_lsb_ns, leak_model)});
  else
    rows.push_back(
        {"crossbar array", v * v * p.array_mean_conductance_us * 1e-6 * a.device_pulse_lsbs * t_lsb_s, leak,
         fmt::format("V_read^2 ({:.5g} V) x power.array_mean_conductance ({:.5g} uS) x device pulse "
                     "time ({:.4g} LSB x {:.5g} "
                     "ns); {}",
                     v, p.array_mean_conductance_us, a.device_pulse_lsbs, tile.dac.t_lsb_ns, leak_model)});
  if (!tile.wire.enabled) return;
  rows.push_back(
      {"crossbar wires (IR drop)", v * v * a.wire_conductance_lsbs * ArrayReadEnergy::kUnitSiemens * t_lsb_s,
       0,
       fmt::format(
           "V_read^2 ({:.5g} V) x sum over reads of sum_i |code_i| x wire loss conductance of input "
           "line i (sum_j G_ji (1 - a_ji), a = attenuation of the ladder model, numerics/WireResistance.h: "
           "{:.6g} nS LSB) x t_lsb ({:.5g} ns); r_row {:.5g} ohm, r_col {:.5g} ohm per cell",
           v, a.wire_conductance_lsbs, tile.dac.t_lsb_ns, tile.wire.r_row_ohm_per_cell,
           tile.wire.r_col_ohm_per_cell)});
}

// The ADCs: a fixed energy per conversion, or (data model, CCO) the counted oscillation periods.
EnergyRow adc_row(const ArchConfig& arch, const Activity& a) {
  const AdcCostModel adc(arch);
  if (arch.power.array_energy_model == ArrayEnergyModel::kData && arch.core.tile.adc.kind == AdcKind::kCco)
    return {"ADCs",
            a.adc_counts * adc.energy_per_counted_period_j() + a.adc_conversions * adc.readout_energy_j(), 0,
            fmt::format(
                "data: {:.6g} counted CCO periods x {:.4g} pJ + {:.4g} conversions x {:.4g} pJ read-out; {}",
                a.adc_counts, adc.energy_per_counted_period_j() * 1e12, a.adc_conversions,
                adc.readout_energy_j() * 1e12, adc.energy_model())};
  return {"ADCs", a.adc_conversions * adc.energy_per_conversion_j(), 0,
          fmt::format("{:.4g} conversions x {:.4g} pJ; {}", a.adc_conversions,
                      adc.energy_per_conversion_j() * 1e12, adc.energy_model())};
}

}  // namespace

Activity& Activity::operator+=(const Activity& o) {
  mvms += o.mvms;
  tile_busy_ns += o.tile_busy_ns;
  driver_lsbs += o.driver_lsbs;
  device_pulse_lsbs += o.device_pulse_lsbs;
  adc_conversions += o.adc_conversions;
  array_conductance_lsbs += o.array_conductance_lsbs;
  wire_conductance_lsbs += o.wire_conductance_lsbs;
  adc_counts += o.adc_counts;
  du_values += o.du_values;
  du_macs += o.du_macs;
  sram_bytes += o.sram_bytes;
  controller_commands += o.controller_commands;
  for (const auto& [k, v] : o.instructions) instructions[k] += v;
  noc_bit_hops += o.noc_bit_hops;
  gdpu_fmas += o.gdpu_fmas;
  gdpu_lut_lookups += o.gdpu_lut_lookups;
  gdpu_state_accesses += o.gdpu_state_accesses;
  cores += o.cores;
  controllers += o.controllers;
  return *this;
}

NocGeometry noc_geometry(const ArchConfig& arch) {
  NocGeometry g;
  const double pitch_mm = arch.noc.core_pitch_um * 1e-3;
  const double c = static_cast<double>(arch.noc.mesh_cols), r = static_cast<double>(arch.noc.mesh_rows);
  const double routers = static_cast<double>(arch.chip.cores);
  if (arch.noc.topology == NocTopologyKind::kLinks) {
    std::vector<std::pair<int, int>> pairs;
    std::string error;
    if (parse_noc_links(arch.noc.links, arch.chip.cores, pairs, error))
      g.links = static_cast<double>(pairs.size());
    g.link_length_mm = pitch_mm;  // neighbours in the floorplan
  } else if (arch.noc.topology == NocTopologyKind::kTorus2d) {
    // A folded torus (Dally & Towles, "Principles and Practices of Interconnection Networks", 2004, sec. 5.3)
    // has every link two core pitches long; a ring of 2 is a single link, of 1 none.
    auto ring = [](double n) { return n > 2 ? n : n - 1; };
    g.links = r * ring(c) + c * ring(r);
    g.link_length_mm = (c > 2 || r > 2) ? 2 * pitch_mm : pitch_mm;
  } else {
    g.links = r * (c - 1) + c * (r - 1);
    g.link_length_mm = pitch_mm;
  }
  g.router_ports = 1 + (routers > 0 ? 2 * g.links / routers : 0);
  return g;
}

namespace {

// The GDPU's gate equivalents, from its area (gdpu.slice_area / area.ge), for its leakage.
double gdpu_kge(const ArchConfig& arch) {
  return static_cast<double>(arch.gdpu.slices) * arch.gdpu.slice_area_mm2 * 1e6 / arch.area.ge_um2 * 1e-3;
}

// All slices leak while the chip is powered; dynamic energy per counted operation.
EnergyRow gdpu_energy_row(const ArchConfig& arch, const Activity& a, double t_s) {
  const auto& g = arch.gdpu;
  const TechScaling s(arch);
  const double pj = a.gdpu_fmas * g.fma_energy_pj + a.gdpu_lut_lookups * g.lut_energy_pj +
                    a.gdpu_state_accesses * g.register_energy_pj;
  const double kge = gdpu_kge(arch);
  return {
      "GDPU", pj * 1e-12 * s.logic_energy(), arch.power.logic_leakage_per_kge_uw * 1e-6 * kge * t_s,
      fmt::format("{:.4g} FP16 FMAs x gdpu.fma_energy ({:.5g} pJ) + {:.4g} tanh-table lookups x "
                  "gdpu.lut_energy ({:.5g} pJ) + {:.4g} state-register accesses x gdpu.register_energy "
                  "({:.5g} pJ), x{:.3f} node/supply; leakage: {:.1f} kGE (gdpu.slices x gdpu.slice_area / "
                  "area.ge) x power.logic_leakage_per_kge ({:.5g} uW)",
                  a.gdpu_fmas, g.fma_energy_pj, a.gdpu_lut_lookups, g.lut_energy_pj, a.gdpu_state_accesses,
                  g.register_energy_pj, s.logic_energy(), kge, arch.power.logic_leakage_per_kge_uw)};
}

}  // namespace

double riscv_instruction_energy_pj(const ArchConfig& arch, const std::string& cls) {
  const auto& p = arch.power;
  double op = p.riscv_alu_pj;
  if (cls == "mul" || cls == "div" || cls == "muldiv") op = p.riscv_mul_pj;
  if (cls == "load" || cls == "store" || cls == "mem") op = p.riscv_mem_pj;
  return p.riscv_fetch_pj + op;
}

std::vector<EnergyRow> energy_breakdown(const ArchConfig& arch, const Activity& a) {
  const auto& p = arch.power;
  const TechScaling s(arch);
  const double t_s = a.elapsed_ns * 1e-9;
  std::vector<EnergyRow> rows;

  // Crossbar: every conducting device dissipates V_read^2 G for its pulse; the read voltage, not the logic
  // supply, sets it, and a conductance does not scale with the CMOS node.
  crossbar_rows(arch, a, t_s, rows);

  rows.push_back(
      {"PWM drivers", a.driver_lsbs * p.pwm_energy_per_driver_lsb_pj * 1e-12 * s.node_energy(), 0,
       fmt::format("drivers of the used input lines clocked through every window ({:.4g} driver-LSBs) "
                   "x power.pwm_energy_per_driver_lsb ({:.5g} pJ), x{:.3f} node",
                   a.driver_lsbs, p.pwm_energy_per_driver_lsb_pj, s.node_energy())});

  rows.push_back(adc_row(arch, a));

  const double lane_kge = du_lane_kge(arch);
  const double du_pj = p.du_energy_per_value_kge_pj * lane_kge * s.logic_energy();
  const double du_kge = lane_kge * static_cast<double>(arch.core.digital_unit.active_lanes());
  rows.push_back(
      {"digital units", a.du_values * du_pj * 1e-12,
       p.logic_leakage_per_kge_uw * 1e-6 * du_kge * a.cores * t_s,
       fmt::format("values x {:.4g} pJ (power.du_energy_per_value_kge {:.5g} pJ x {:.5g} kGE per lane "
                   "[rtl/README.md yosys], x{:.3f} node/supply); leakage: {:.1f} kGE x "
                   "power.logic_leakage_per_kge ({:.5g} uW)",
                   du_pj, p.du_energy_per_value_kge_pj, lane_kge, s.logic_energy(), du_kge,
                   p.logic_leakage_per_kge_uw)});

  // Only networks with depthwise layers have the row (the MACs' lanes are counted in the digital units'
  // area).
  if (a.du_macs > 0)
    rows.push_back({"digital MACs (depthwise)", a.du_macs * p.du_int8_mac_pj * 1e-12 * s.logic_energy(), 0,
                    fmt::format("{:.4g} INT8 MACs x power.du_int8_mac ({:.5g} pJ), x{:.3f} node/supply",
                                a.du_macs, p.du_int8_mac_pj, s.logic_energy())});

  const double sram_size_factor = std::sqrt(sram_kib(arch) / 8.0);
  const double sram_pj_per_byte = 8 * p.sram_energy_per_bit_8kib_pj * sram_size_factor * s.logic_energy();
  rows.push_back(
      {"SRAM", a.sram_bytes * sram_pj_per_byte * 1e-12,
       p.sram_leakage_per_kib_uw * 1e-6 * sram_kib(arch) * a.cores * t_s,
       fmt::format(
           "bytes x 8 x power.sram_energy_per_bit_8kib ({:.5g} pJ) x sqrt({:.0f} KiB / 8 KiB) (bit-line "
           "length) x{:.3f} node/supply = {:.4g} pJ/B; {}-bit port; leakage: KiB x "
           "power.sram_leakage_per_kib ({:.5g} uW)",
           p.sram_energy_per_bit_8kib_pj, sram_kib(arch), s.logic_energy(), sram_pj_per_byte,
           arch.core.sram.width_bits, p.sram_leakage_per_kib_uw)});

  const NocGeometry g = noc_geometry(arch);
  const double bit_hop_pj =
      (p.noc_wire_energy_per_bit_mm_pj * g.link_length_mm + p.router_energy_per_bit_pj) * s.logic_energy();
  const double rkge = router_kge(arch, g);
  rows.push_back(
      {"network", a.noc_bit_hops * bit_hop_pj * 1e-12,
       p.logic_leakage_per_kge_uw * 1e-6 * rkge * a.cores * t_s,
       fmt::format("bit-hops x (power.noc_wire_energy_per_bit_mm {:.5g} pJ x {:.5g} mm link (floorplan) + "
                   "power.router_energy_per_bit {:.5g} pJ), x{:.3f} node/supply; leakage: {:.2f} kGE "
                   "router",
                   p.noc_wire_energy_per_bit_mm_pj, g.link_length_mm, p.router_energy_per_bit_pj,
                   s.logic_energy(), rkge)});

  double ctrl_pj = a.controller_commands * p.controller_energy_per_command_pj;
  std::string ctrl_model = fmt::format("commands x power.controller_energy_per_command ({:.5g} pJ)",
                                       p.controller_energy_per_command_pj);
  double instructions = 0;
  for (const auto& [cls, n] : a.instructions) {
    ctrl_pj += n * riscv_instruction_energy_pj(arch, cls);
    instructions += n;
  }
  if (instructions > 0)
    ctrl_model += fmt::format(
        " + {:.0f} RISC-V instructions x (power.riscv_fetch {:.5g} pJ + per class: alu {:.5g}, "
        "mul {:.5g}, mem {:.5g} pJ)",
        instructions, p.riscv_fetch_pj, p.riscv_alu_pj, p.riscv_mul_pj, p.riscv_mem_pj);
  const double ckge = controller_kge(arch);
  rows.push_back(
      {"controllers", ctrl_pj * 1e-12 * s.logic_energy(),
       p.logic_leakage_per_kge_uw * 1e-6 * ckge * a.controllers * t_s,
       ctrl_model + fmt::format(", x{:.3f} node/supply; leakage: {:.5g} kGE", s.logic_energy(), ckge)});
  if (arch.gdpu.enabled) rows.push_back(gdpu_energy_row(arch, a, t_s));
  return rows;
}

namespace {

// PCM (REFERENCE A): the pulse currents are published; energy = program_voltage x current x width.
EnergyRow pcm_programming_energy(const ArchConfig& arch, double devices, double write_pulses) {
  const auto& p = arch.power;
  const double reset_j = p.program_voltage_v * p.reset_current_ua * 1e-6 * p.reset_time_ns * 1e-9;
  const double set_j = p.program_voltage_v * p.set_current_ua * 1e-6 * p.set_time_ns * 1e-9;
  return {"programming", devices * reset_j + write_pulses * set_j, 0,
          fmt::format("{:.0f} devices x RESET ({:.5g} uA x {:.5g} ns) + {:.0f} write pulses x SET ({:.5g} uA "
                      "x {:.5g} ns), at "
                      "power.program_voltage {:.5g} V",
                      devices, p.reset_current_ua, p.reset_time_ns, write_pulses, p.set_current_ua,
                      p.set_time_ns, p.program_voltage_v)};
}

}  // namespace

double rram_pulse_energy_j(double voltage_v, double g_lrs_us, double width_ns) {
  return voltage_v * voltage_v * g_lrs_us * 1e-6 * width_ns * 1e-9;
}

EnergyRow programming_energy(const ArchConfig& arch, double devices, double write_pulses) {
  const DeviceParams& d = arch.core.tile.device;
  if (d.technology != DeviceTechnology::kRram) return pcm_programming_energy(arch, devices, write_pulses);
  const RramParams& r = d.rram;
  const double reset_j = rram_pulse_energy_j(r.reset_voltage_v, r.g_lrs_us, r.reset_pulse_ns);
  const double set_j = rram_pulse_energy_j(r.set_voltage_v, r.g_lrs_us, r.set_pulse_ns);
  return {
      "programming", devices * reset_j + write_pulses * set_j, 0,
      fmt::format("{:.0f} devices x RESET ({:.5g} V)^2 x {:.5g} ns + {:.0f} write pulses x SET ({:.5g} V)^2 "
                  "x {:.5g} ns, each through device.rram.g_lrs {:.5g} uS (upper bound: the cell at LRS for "
                  "the whole pulse, no compliance limit)",
                  devices, r.reset_voltage_v, r.reset_pulse_ns, write_pulses, r.set_voltage_v, r.set_pulse_ns,
                  r.g_lrs_us)};
}

std::vector<AreaRow> area_breakdown(const ArchConfig& arch) {
  const auto& ar = arch.area;
  const auto& tile = arch.core.tile;
  const TechScaling s(arch);
  const double cores = static_cast<double>(arch.chip.cores);
  // Exact: validate_controller() refuses a cores_per_controller that does not divide chip.cores.
  const int64_t controller_count = arch.chip.cores / arch.core.controller.cores_per_controller;
  const double controllers = static_cast<double>(controller_count);
  const double um2 = 1e-6 * s.area();  // um2 at the reference node -> mm2 at the chip's node
  const double cells = static_cast<double>(tile.rows) * static_cast<double>(tile.cols);
  const AdcCostModel adc(arch);
  const double adcs = static_cast<double>(arch.core.adc_count);
  const NocGeometry g = noc_geometry(arch);
  const double du_kge = du_lane_kge(arch) * static_cast<double>(arch.core.digital_unit.active_lanes());
  const double sram_bits = 8.0 * static_cast<double>(arch.core.sram.size_bytes);
  const double link_wires = 2.0 * static_cast<double>(arch.noc.link_width_bits);  // both directions
  const double sram_um2_per_bit = ar.sram_bitcell_um2 / ar.sram_array_efficiency;
  // The RISC-V controller keeps firmware, data and command table in its own SRAM (issue 5).
  const double riscv_sram_bits = arch.core.controller.kind == ControllerKind::kRiscv
                                     ? 8.0 * static_cast<double>(arch.core.controller.sram_bytes)
                                     : 0.0;
  std::vector<AreaRow> rows = {
      {"crossbar arrays", cores * cells * ar.cell_um2 * um2,
       fmt::format("cores x {} x {} cells x area.cell ({:.5g} um2)", tile.rows, tile.cols, ar.cell_um2),
       true},
      {"ADCs", cores * adcs * adc.area_per_adc_um2() * 1e-6,
       fmt::format("cores x {} ADCs x {:.4g} um2; {}", arch.core.adc_count, adc.area_per_adc_um2() / s.area(),
                   adc.area_model()),
       true},
      {"PWM drivers", cores * static_cast<double>(tile.cols) * ar.pwm_driver_um2 * um2,
       fmt::format("cores x {} drivers x area.pwm_driver ({:.5g} um2)", tile.cols, ar.pwm_driver_um2), true},
      {"digital units", cores * du_kge * 1e3 * ar.ge_um2 * um2,
       fmt::format("cores x {} lanes x {:.5g} kGE [rtl/README.md yosys] x area.ge ({:.5g} um2)",
                   arch.core.digital_unit.active_lanes(), du_lane_kge(arch), ar.ge_um2)},
      {"SRAM", cores * sram_bits * sram_um2_per_bit * um2,
       fmt::format(
           "cores x {:.0f} bits x area.sram_bitcell ({:.5g} um2) / area.sram_array_efficiency ({:.5g})",
           sram_bits, ar.sram_bitcell_um2, ar.sram_array_efficiency)},
      {"routers", cores * router_kge(arch, g) * 1e3 * ar.ge_um2 * um2,
       fmt::format(
           "cores x {:.2f} kGE ({:.1f} ports x {} bits x ({:.5g} buffer flits x {:.2f} GE + {:.1f} x {:.2f} "
           "GE mux)) x area.ge",
           router_kge(arch, g), g.router_ports, arch.noc.link_width_bits, ar.router_buffer_flits, kFlipflopGe,
           g.router_ports, kMux2Ge)},
      {"links", g.links * link_wires * g.link_length_mm * 1e3 * ar.link_wire_pitch_um * um2,
       fmt::format("{:.0f} links x {:.0f} wires x {:.5g} mm x area.link_wire_pitch ({:.5g} um)", g.links,
                   link_wires, g.link_length_mm, ar.link_wire_pitch_um)},
      {"controllers",
       controllers * (controller_kge(arch) * 1e3 * ar.ge_um2 + riscv_sram_bits * sram_um2_per_bit) * um2,
       fmt::format("cores / core.controller.cores_per_controller x {:.5g} kGE ({}) x area.ge",
                   controller_kge(arch), enum_name(arch.core.controller.kind)) +
           (riscv_sram_bits > 0
                ? fmt::format(
                      " + {:.0f} bits of RISC-V SRAM (core.controller.riscv.sram) x area.sram_bitcell / "
                      "area.sram_array_efficiency",
                      riscv_sram_bits)
                : std::string())},
      {"core other (not modelled)", cores * ar.core_other_mm2 * s.area(),
       fmt::format("cores x area.core_other ({:.5g} mm2: write DACs, DMA, clocking, fill)",
                   ar.core_other_mm2)},
  };
  if (arch.core.digital_unit.activation_enabled)
    rows.insert(rows.begin() + 4,
                {"activation stages", cores * act_stage_kge(arch) * 1e3 * ar.ge_um2 * um2,
                 fmt::format("cores x {:.5g} kGE (lanes: area.act_stage_lane_kge_*, {} bins; the table's "
                             "registers x area.flipflop_ge) x area.ge",
                             act_stage_kge(arch), arch.core.digital_unit.activation_bins)});
  if (arch.gdpu.enabled)
    rows.push_back(
        {"GDPU", static_cast<double>(arch.gdpu.slices) * arch.gdpu.slice_area_mm2 * s.area(),
         fmt::format("gdpu.slices ({}) x gdpu.slice_area ({:.5g} mm2: REFERENCE.md H, the published macro "
                     "0.809 x 0.347 mm, read as one slice)",
                     arch.gdpu.slices, arch.gdpu.slice_area_mm2)});
  // Areas are given at power.reference_node; say so on every row when the chip is at another node.
  if (s.area() != 1.0)
    for (auto& r : rows)
      r.model += fmt::format(", x{:.4g} (node {:.4g} / {:.4g} nm)^2", s.area(), arch.chip.technology_nm,
                             arch.power.reference_node_nm);
  return rows;
}

double total_area_mm2(const std::vector<AreaRow>& rows) {
  double s = 0;
  for (const auto& r : rows) s += r.area_mm2;
  return s;
}

double mvm_area_mm2(const std::vector<AreaRow>& rows) {
  double s = 0;
  for (const auto& r : rows)
    if (r.mvm) s += r.area_mm2;
  return s;
}

double total_energy_j(const std::vector<EnergyRow>& rows) {
  double s = 0;
  for (const auto& r : rows) s += r.dynamic_j + r.leakage_j;
  return s;
}

}  // namespace aimc
