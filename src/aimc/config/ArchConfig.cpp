#include "aimc/config/ArchConfig.h"

#include "aimc/base/Error.h"

namespace aimc {

namespace {

// Sources named below (full references in ../../../README.md and ../../../../shared/REFERENCE.md):
//  [A] Le Gallo et al., Nature Electronics 6 (2023): the IBM 64-core PCM chip.
//  [B] Khaddam-Aljameh et al., IEEE JSSC 57(4) (2022): HERMES core.
//  [D] Nandakumar et al., ICECS 2019: PCM statistical model (as in IBM AIHWKit).
//  [H] Horowitz, ISSCC 2014, "Computing's energy problem": 45 nm, 0.9 V energy per operation.
//  [S] C.V^2 scaling from 45 nm/0.9 V to 14 nm/0.85 V: C scales with the node (x0.311), V^2 x0.892 -> x0.278.
//  [W] On-chip wire capacitance ~0.2 fF/um (Ho, Mai, Horowitz, Proc. IEEE 89(4), 2001).
ParamInfo P(const char* key, ParamKind kind, Unit unit, const char* def, double lo, double hi,
            const char* desc, const char* src) {
  ParamInfo i;
  i.key = key;
  i.kind = kind;
  i.unit = unit;
  i.default_text = def;
  i.lo = lo;
  i.hi = hi;
  i.description = desc;
  i.source = src;
  return i;
}
ParamInfo C(const char* key, std::vector<std::string> choices, const char* def, const char* desc,
            const char* src) {
  ParamInfo i = P(key, ParamKind::kChoice, units::kNone, def, 0, 0, desc, src);
  i.choices = std::move(choices);
  return i;
}
ParamInfo S(const char* key, const char* def, const char* desc) {
  return P(key, ParamKind::kString, units::kNone, def, 0, 0, desc, "");
}
ParamInfo B(const char* key, const char* def, const char* desc, const char* src) {
  return P(key, ParamKind::kBool, units::kNone, def, 0, 0, desc, src);
}

constexpr ParamKind I = ParamKind::kInt;
constexpr ParamKind F = ParamKind::kFloat;

ParamTable<ArchConfig> make_table() {
  ParamTable<ArchConfig> t;
  using namespace units;
  t.add(S("name", "unnamed", "Short name of the architecture"), AIMC_FIELD(name));
  t.add(S("description", "", "One line saying what this architecture is"), AIMC_FIELD(description));

  t.add(P("chip.cores", I, kNone, "64", 1, 4096, "Number of AIMC cores", "[A] ext. table I: 64 cores"),
        AIMC_FIELD(chip.cores));
  t.add(P("chip.technology_nm", F, kNone, "14", 3, 180, "CMOS technology node in nm", "[A] 14 nm CMOS"),
        AIMC_FIELD(chip.technology_nm));
  t.add(P("chip.supply", F, kVolts, "0.85V", 0.3, 1.8, "Digital supply voltage", "[A] 0.85-0.95 V"),
        AIMC_FIELD(chip.supply_v));

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

  t.add(
      P("core.clock", F, kMHz, "1000MHz", 1, 10000, "MVM clock (PWM and ADC timing)", "[A] MVM up to 1 GHz"),
      AIMC_FIELD(core.clock_mhz));
  t.add(P("core.crossbar.rows", I, kNone, "256", 1, 8192, "Crossbar output lines (one ADC per row on HERMES)",
          "[A] 256x256 unit cells, 256 ADCs, one per row"),
        AIMC_FIELD(core.tile.rows));
  t.add(P("core.crossbar.cols", I, kNone, "256", 1, 8192, "Crossbar input lines driven by the PWM DACs",
          "[A] 256x256 unit cells"),
        AIMC_FIELD(core.tile.cols));
  t.add(P("core.crossbar.devices_per_polarity", I, kNone, "2", 1, 2,
          "PCM devices per polarity in a unit cell", "[A] 8T4R cell: 4 devices per weight, 2 per polarity"),
        AIMC_FIELD(core.tile.device.devices_per_polarity));
  t.add(C("core.crossbar.weight_scaling", {"per_tile", "per_column"}, "per_tile",
          "Weight-to-conductance scale per tile or per output line", "[D] s = g_max / max|W| over the tile"),
        AIMC_FIELD(core.tile.weight_scaling));
  t.add(
      C("core.crossbar.drift_compensation", {"none", "global", "per_column"}, "global",
        "Output rescaling against drift", "[A] global per-core rescaling; [D] alpha from a calibration read"),
      AIMC_FIELD(core.tile.drift_compensation));
  t.add(C("core.crossbar.forward", {"hardware", "aihwkit"}, "hardware",
          "Analog forward pass: PWM codes to ADC counts, or AIHWKit's normalised pass", "[E] for aihwkit"),
        AIMC_FIELD(core.tile.forward_mode));
  t.add(B("core.crossbar.ir_drop", "false", "Model IR drop along the lines", "design option"),
        AIMC_FIELD(core.tile.ir_drop_enabled));
  t.add(P("core.dac.bits", I, kNone, "8", 2, 12, "PWM input bits including the sign",
          "[A] 8-bit PWM; [B] 7-bit magnitude"),
        AIMC_FIELD(core.tile.dac.bits));
  t.add(P("core.dac.t_lsb", F, kNs, "1ns", 0.01, 1000, "PWM pulse time per LSB", "[A] 1 ns per LSB"),
        AIMC_FIELD(core.tile.dac.t_lsb_ns));
  t.add(P("core.dac.read_voltage", F, kVolts, "0.2V", 0.01, 1.0, "Read voltage on the input lines",
          "[A] 100-400 mV"),
        AIMC_FIELD(core.tile.dac.read_voltage_v));
  t.add(C("core.dac.read_mode", {"one_phase", "four_phase"}, "one_phase",
          "1-phase: all sign quadrants at once; 4-phase: each quadrant separately", "[A] read modes"),
        AIMC_FIELD(core.tile.dac.read_mode));
  t.add(C("core.dac.input_scaling", {"abs_max", "fixed"}, "abs_max", "Input scaling of the float MVM path",
          "[E] abs-max noise management"),
        AIMC_FIELD(core.tile.dac.input_scaling));
  t.add(B("core.dac.bound_management", "true", "Iterative bound management in the float MVM path",
          "[E] r = 1, 2, 4, 8, 16"),
        AIMC_FIELD(core.tile.dac.bound_management));
  t.add(P("core.dac.phase_overhead", F, kNs, "1ns", 0, 1000,
          "Set-up time per read phase (CCO reset, line settling)",
          "fitted: 1-phase 128+1+4 = 133 ns and 4-phase 4*(128+1)+4 = 520 ns reproduce [A]'s MVM latencies"),
        AIMC_FIELD(core.tile.dac.phase_overhead_ns));
  t.add(C("core.adc.kind", {"ideal", "cco", "sar"}, "cco", "ADC architecture",
          "[A],[B] current-controlled-oscillator time-based ADC"),
        AIMC_FIELD(core.tile.adc.kind));
  t.add(P("core.adc.bits", I, kNone, "9", 1, 16, "Ideal/SAR ADC resolution including the sign",
          "[E] AIHWKit output step 24/510: +-255 codes"),
        AIMC_FIELD(core.tile.adc.bits));
  t.add(P("core.adc.counter_bits", I, kNone, "12", 1, 24, "CCO counter bits per polarity",
          "[A] dual 12-bit ripple counter"),
        AIMC_FIELD(core.tile.adc.cco_counter_bits));
  t.add(P("core.adc.cco_t_lsb", F, kPs, "300ps", 1, 1e5, "CCO time per count", "[B] 300 ps/LSB"),
        AIMC_FIELD(core.tile.adc.cco_t_lsb_ps));
  t.add(P("core.adc.count", I, kNone, "256", 1, 8192, "ADCs per core", "[A] 256 per core, one per row"),
        AIMC_FIELD(core.adc_count));
  t.add(P("core.adc.columns_per_adc", I, kNone, "1", 1, 64, "Output lines sharing one ADC through a mux",
          "[B] no multiplexing"),
        AIMC_FIELD(core.tile.adc.lines_per_adc));
  t.add(P("core.adc.readout", F, kNs, "4ns", 0, 1000, "CCO counter read-out after integration",
          "fitted with core.dac.phase_overhead to [A]'s 133/520 ns"),
        AIMC_FIELD(core.tile.adc.cco_readout_ns));
  t.add(P("core.adc.sar_clock", F, kGHz, "1GHz", 0.001, 100, "SAR conversion clock: (bits + 1) cycles",
          "NeuroSim SAR model: (bits+1) x 1 ns (REFERENCE G)"),
        AIMC_FIELD(core.tile.adc.sar_clock_ghz));
  t.add(P("core.adc.gain_sigma", F, kNone, "0.0709", 0, 1,
          "Per-ADC gain mismatch before digital equalisation", "[B] gain trim residual sigma = 7.09 %"),
        AIMC_FIELD(core.tile.adc.gain_sigma));
  t.add(P("core.adc.output_noise", F, kNone, "0", 0, 1000, "Output noise sigma in ADC counts",
          "not published for HERMES (AIHWKit: 0.06 / (24/510) = 1.275 counts, [E])"),
        AIMC_FIELD(core.tile.adc.output_noise_sigma_counts));
  t.add(C("core.digital_unit.kind", {"nmpu", "ldpu_fp16"}, "nmpu", "Digital post-processing unit",
          "[C] fixed-point NMPU; ldpu_fp16 is [A]'s FP16 LDPU"),
        AIMC_FIELD(core.digital_unit.kind));
  t.add(C("core.digital_unit.impl", {"cpp", "rtl"}, "cpp", "C++ model or Verilated RTL", "design choice"),
        AIMC_FIELD(core.digital_unit.impl));
  t.add(P("core.digital_unit.clock", F, kMHz, "400MHz", 1, 10000, "Digital unit clock",
          "[A] digital units up to 400 MHz"),
        AIMC_FIELD(core.digital_unit.clock_mhz));
  t.add(P("core.digital_unit.lanes", I, kNone, "8", 1, 256, "Output values per digital-unit clock",
          "NMPU design: 256 outputs every 133 ns need >= 4.8 values per 400 MHz clock; 8 lanes ([A]'s FP16 "
          "LDPU: ~1)"),
        AIMC_FIELD(core.digital_unit.lanes));
  t.add(P("core.digital_unit.pipeline_depth", I, kNone, "4", 1, 64, "Pipeline stages from counts to INT8",
          "design: subtract+ADC gain, channel scale+bias, side add, round+saturate"),
        AIMC_FIELD(core.digital_unit.pipeline_depth));
  t.add(P("core.sram.size", I, kBytes, "64KiB", 1024, 1 << 30, "Local activation SRAM per core",
          "design choice (not published); holds in/out vectors of the pipelined layers"),
        AIMC_FIELD(core.sram.size_bytes));
  t.add(
      P("core.sram.width_bits", I, kNone, "64", 8, 4096, "SRAM port width", "design choice (not published)"),
      AIMC_FIELD(core.sram.width_bits));
  t.add(P("core.sram.latency_cycles", I, kNone, "1", 0, 64, "SRAM access latency in digital-unit cycles",
          "design choice: single-cycle macro"),
        AIMC_FIELD(core.sram.latency_cycles));
  t.add(C("core.controller.kind", {"command_table"}, "command_table",
          "What drives the core: a command-table sequencer (RISC-V controllers: issue 5)", "design choice"),
        AIMC_FIELD(core.controller.kind));
  t.add(
      P("core.controller.clock", F, kMHz, "400MHz", 1, 10000, "Controller clock", "[A] digital clock domain"),
      AIMC_FIELD(core.controller.clock_mhz));
  t.add(P("core.controller.cycles_per_command", I, kNone, "2", 1, 1000,
          "Cycles to fetch and issue one command (register write)", "model: fetch + issue"),
        AIMC_FIELD(core.controller.cycles_per_command));

  t.add(P("device.g_max", F, kMicroSiemens, "25uS", 0.1, 1000, "Maximum programmed conductance",
          "[D] g_max = 25 uS"),
        AIMC_FIELD(core.tile.device.g_max_us));
  t.add(C("device.programming", {"ideal", "statistical", "program_verify"}, "statistical",
          "Weight programming model", "[D] statistical PCM model; [A] program-and-verify"),
        AIMC_FIELD(core.tile.device.programming));
  t.add(P("device.verify_tolerance_counts", I, kNone, "5", 0, 1000,
          "Program-and-verify stops under this error", "[A] 5 ADC counts"),
        AIMC_FIELD(core.tile.device.verify_tolerance_counts));
  t.add(P("device.verify_max_iterations", I, kNone, "30", 1, 1000, "Program-and-verify iteration limit",
          "[A] 30 iterations"),
        AIMC_FIELD(core.tile.device.verify_max_iterations));
  t.add(B("device.drift", "true", "Conductance drift with time since programming", "[D]"),
        AIMC_FIELD(core.tile.device.drift_enabled));
  t.add(C("device.read_noise", {"off", "frozen", "per_read"}, "per_read", "1/f read noise",
          "[D]; per_read: every MVM draws its own noise, as on silicon"),
        AIMC_FIELD(core.tile.device.read_noise));
  t.add(P("device.stuck_at_set", F, kNone, "0", 0, 1, "Fraction of devices stuck at SET",
          "no published figure"),
        AIMC_FIELD(core.tile.device.stuck_at_set_fraction));
  t.add(P("device.stuck_at_reset", F, kNone, "0", 0, 1, "Fraction of devices stuck at RESET",
          "no published figure"),
        AIMC_FIELD(core.tile.device.stuck_at_reset_fraction));

  t.add(P("power.mvm_active", F, kMilliWatts, "101.0mW", 0, 1e5,
          "Array + ADC + PWM power of one core while an MVM runs",
          "[A] 0.86 uJ per full-chip MVM / 64 cores / 133 ns = 101.0 mW (4-phase: 3.38 uJ/64/520 ns = 101.6 "
          "mW)"),
        AIMC_FIELD(power.mvm_active_mw));
  t.add(
      P("power.du_energy_per_value", F, kPicoJoules, "0.52pJ", 0, 1e6, "Digital-unit energy per output value",
        "[H] 2x 16-bit mult (0.78 pJ each) + 3x 32-bit add (0.1 pJ) at 45 nm, x0.278 [S]"),
      AIMC_FIELD(power.du_energy_per_value_pj));
  t.add(
      P("power.sram_energy_per_byte", F, kPicoJoules, "0.35pJ", 0, 1e6, "SRAM read or write energy per byte",
        "[H] 8 KB SRAM, 64-bit access 10 pJ at 45 nm = 1.25 pJ/B, x0.278 [S]"),
      AIMC_FIELD(power.sram_energy_per_byte_pj));
  t.add(
      P("power.noc_wire_energy_per_bit_mm", F, kPicoJoules, "0.072pJ", 0, 1e6,
        "Link energy per bit per mm of wire", "[W] 0.2 fF/um x 1 mm, activity 0.5, 0.85 V: 0.5*200fF*0.85^2"),
      AIMC_FIELD(power.noc_wire_energy_per_bit_mm_pj));
  t.add(P("power.router_energy_per_bit", F, kPicoJoules, "0.001pJ", 0, 1e6, "Router energy per bit per hop",
          "model: a one-bit slice of a 32-bit adder [H] 0.1 pJ/32 at 45 nm, x0.278 [S] (buffer + mux)"),
        AIMC_FIELD(power.router_energy_per_bit_pj));
  t.add(P("power.controller_energy_per_command", F, kPicoJoules, "2.8pJ", 0, 1e6,
          "Controller energy per command", "model: one 8-byte command-table SRAM read, 8 x 0.35 pJ"),
        AIMC_FIELD(power.controller_energy_per_command_pj));
  t.add(P("power.core_leakage", F, kMilliWatts, "0mW", 0, 1e5, "Static power per core",
          "[A] reports no leakage figure; 0 until a measured or modelled value is set"),
        AIMC_FIELD(power.core_leakage_mw));

  t.add(P("area.mvm_per_cell", F, kSquareUm, "9.689um2", 0, 1e6, "Array + ADC + PWM area per unit cell",
          "[A] 0.870 x 0.730 mm = 0.635 mm2 MVM area per core / (256 x 256) cells"),
        AIMC_FIELD(area.mvm_per_cell_um2));
  t.add(
      P("area.core_digital", F, kSquareMm, "0.757mm2", 0, 1e4,
        "Digital unit, SRAM, controller and router area per core", "[A] core 1.392 mm2 - 0.635 mm2 MVM area"),
      AIMC_FIELD(area.core_digital_mm2));
  return t;
}

void validate(const ArchConfig& a, const std::map<std::string, ConfigValue>& origins,
              const std::string& file) {
  auto where = [&](const std::string& key) {
    auto it = origins.find(key);
    return it == origins.end() ? std::make_pair(file, 0) : std::make_pair(it->second.file, it->second.line);
  };
  auto fail = [&](const std::string& key, const std::string& reason) {
    auto [f, l] = where(key);
    throw UserError(f, l, key, reason);
  };
  if (a.noc.mesh_cols * a.noc.mesh_rows != a.chip.cores)
    fail(origins.count("chip.cores") ? "chip.cores" : "noc.mesh_cols", "a " + std::to_string(a.noc.mesh_cols) + "x" + std::to_string(a.noc.mesh_rows) +
                              " mesh has " + std::to_string(a.noc.mesh_cols * a.noc.mesh_rows) +
                              " places but chip.cores is " + std::to_string(a.chip.cores));
  const auto& tile = a.core.tile;
  if (a.core.adc_count * tile.adc.lines_per_adc < tile.rows)
    fail("core.adc.count", std::to_string(a.core.adc_count) + " ADCs x " +
                               std::to_string(tile.adc.lines_per_adc) + " lines per ADC cannot serve " +
                               std::to_string(tile.rows) + " crossbar rows");
  if (a.core.adc_count > tile.rows)
    fail("core.adc.count", "more ADCs (" + std::to_string(a.core.adc_count) + ") than crossbar rows (" +
                               std::to_string(tile.rows) + ")");
  if (tile.device.stuck_at_set_fraction + tile.device.stuck_at_reset_fraction > 1.0)
    fail("device.stuck_at_set", "stuck-at-SET and stuck-at-RESET fractions add up to more than 1");
  const int64_t row_vector_bytes = tile.rows + tile.cols;
  if (a.core.sram.size_bytes < 4 * row_vector_bytes)
    fail("core.sram.size", "too small to hold two input and two output vectors (" +
                               std::to_string(4 * row_vector_bytes) + " B)");
  if (a.core.digital_unit.impl == "rtl")
    fail("core.digital_unit.impl", "the Verilated digital unit is not built into the chip yet (issue 6)");
}

}  // namespace

const ParamTable<ArchConfig>& arch_params() {
  static const ParamTable<ArchConfig> table = make_table();
  return table;
}

std::string arch_preset_dir() {
  return std::string(AIMCSIM_SOURCE_ROOT) + "/arch";
}

ArchConfig resolve_arch(const ConfigSource& src) {
  ArchConfig a;
  std::map<std::string, ConfigValue> origins;
  arch_params().resolve(a, src, "arch", &origins);
  a.source_file = src.main_file();
  validate(a, origins, src.main_file());
  return a;
}

ArchConfig load_arch(const std::string& path, const ConfigSource& overrides) {
  ConfigSource src = ConfigSource::load_file(path, arch_preset_dir());
  src.merge(overrides);
  return resolve_arch(src);
}

nlohmann::json arch_to_json(const ArchConfig& a) {
  return arch_params().to_json(a);
}

}  // namespace aimc
