#include "aimc/config/ArchParams.h"

// Calibration of the mixed-signal energies (power/README.md has the derivation): with the crossbar energy
// from its physics (V_read^2 G t, assumptions below) and the counter read-out from wire capacitance, the two
// energies that grow with the read time are fitted to three published points:
//   [A] 0.86 uJ (1-phase, 133 ns) and 3.38 uJ (4-phase, 520 ns) per full-chip MVM: the time-proportional part
//       is 12.875 nJ per core per 1-phase MVM (minimax fit, both modes within 1.2 %);
//   [B] 10.5 TOPS/W at 0.8 V: of that part, the CCOs (logic supply, scale with V^2) take 9.649 nJ and the PWM
//       drivers (read-voltage rail, no supply scaling) 3.226 nJ.
// Per event: 9.649 nJ / (256 ADCs x 129 ns / 0.3 ns) = 0.08765 pJ per CCO period;
//            3.226 nJ / (256 drivers x 129 LSB) = 0.09767 pJ per driver per LSB.

namespace aimc::arch_params_detail {

void declare_power_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(P("power.reference_node", F, kNone, "14", 3, 180,
          "Node (nm) the energy and area figures are given at", "[A] 14 nm: the calibration chip"),
        AIMC_FIELD(power.reference_node_nm));
  t.add(P("power.reference_supply", F, kVolts, "0.85V", 0.3, 1.8, "Supply the energy figures are given at",
          "[A] 0.85 V"),
        AIMC_FIELD(power.reference_supply_v));
  t.add(P("power.array_mean_conductance", F, kMicroSiemens, "1uS", 0, 1000,
          "Mean conductance of a conducting PCM device (crossbar read energy V^2 G t)",
          "assumption: geometric mean of [A]'s 0.1-10 uS device range"),
        AIMC_FIELD(power.array_mean_conductance_us));
  t.add(choice("power.array_energy_model", "mean_conductance",
               "Crossbar read and CCO ADC energy: constant per device/window, or from the data "
               "(line conductances x pulse widths, counted CCO periods; numerics/ArrayReadEnergy.h)",
               "choice: mean_conductance keeps the model power.pwm_energy_per_driver_lsb and "
               "power.cco_energy_per_period were fitted with ([A] per-MVM energy); data is NeuroSim's "
               "trace-driven read energy [G]"),
        AIMC_FIELD(power.array_energy_model));
  t.add(P("power.peak_input_duty", F, kNone, "0.5", 0, 1,
          "Peak figures: mean PWM pulse as a fraction of the full window",
          "assumption: uniformly distributed input magnitudes ([A] does not give its test inputs)"),
        AIMC_FIELD(power.peak_input_duty));
  t.add(P("power.pwm_energy_per_driver_lsb", F, kPicoJoules, "0.09767pJ", 0, 1e6,
          "PWM driver energy per driver per LSB clock of every read window",
          "fitted to [A] 0.86/3.38 uJ per chip MVM and [B] 10.5 TOPS/W at 0.8 V (see ArchParamsPower.cpp)"),
        AIMC_FIELD(power.pwm_energy_per_driver_lsb_pj));
  t.add(P("power.cco_energy_per_period", F, kPicoJoules, "0.08765pJ", 0, 1e6,
          "CCO ADC energy per oscillator period (counter included) while it integrates",
          "fitted to [A] 0.86/3.38 uJ per chip MVM and [B] 10.5 TOPS/W at 0.8 V (see ArchParamsPower.cpp)"),
        AIMC_FIELD(power.cco_energy_per_period_pj))
      .applies_when("core.adc.kind", {"cco"});
  t.add(P("power.cco_readout_energy_per_bit", F, kPicoJoules, "0.0072pJ", 0, 1e6,
          "CCO counter read-out energy per counter bit per conversion",
          "[W] 100 um bus wire x 0.2 fF/um at 0.85 V, activity 0.5: 0.5 x 20 fF x 0.85^2 (wire length: "
          "assumption)"),
        AIMC_FIELD(power.cco_readout_energy_per_bit_pj))
      .applies_when("core.adc.kind", {"cco"});
  t.add(choice("power.sar_model", "neurosim", "SAR ADC energy model",
               "[G] NeuroSim V1.4 SAR model; walden: Murmann survey FOM"),
        AIMC_FIELD(power.sar_model))
      .applies_when("core.adc.kind", {"sar"});
  t.add(P("power.sar_walden_fom", F, kPicoJoules, "0.08pJ", 0, 1e6,
          "Walden FOM of the SAR ADC (energy per conversion step)",
          "[G] Murmann survey, 6-8 ENOB at 10 MS/s-1 GS/s since 2018: median ~80 fJ/step (best 16.6)"),
        AIMC_FIELD(power.sar_walden_fom_pj))
      .applies_when("core.adc.kind", {"sar"});
  t.add(P("power.sar_neurosim_a", F, kMicroWatts, "0.3132uW", 0, 1e6, "NeuroSim SAR power per bit (a)",
          "[G] NeuroSim V1.4, 14 nm low power: a = 0.3132"),
        AIMC_FIELD(power.sar_neurosim_a_uw))
      .applies_when("core.adc.kind", {"sar"});
  t.add(P("power.sar_neurosim_b", F, kMicroWatts, "2.5681uW", 0, 1e6, "NeuroSim SAR power offset (b)",
          "[G] NeuroSim V1.4, 14 nm low power: b = 2.5681"),
        AIMC_FIELD(power.sar_neurosim_b_uw))
      .applies_when("core.adc.kind", {"sar"});
  t.add(P("power.flash_walden_fom", F, kPicoJoules, "0.08pJ", 0, 1e6,
          "Walden FOM of the flash ADC (energy per conversion step)",
          "[G] Murmann survey, 6-8 ENOB at 10 MS/s-1 GS/s since 2018: median ~80 fJ/step (any architecture)"),
        AIMC_FIELD(power.flash_walden_fom_pj))
      .applies_when("core.adc.kind", {"flash"});
  t.add(
      P("power.du_energy_per_value_kge", F, kPicoJoules, "0.04778pJ", 0, 1e6,
        "Digital-unit energy per output value per kGE of one lane",
        "[H] 2x 16-bit mult (0.78 pJ) + 3x 32-bit add (0.1 pJ) at 45 nm x0.278 [S] = 0.52 pJ per NMPU value, "
        "over the NMPU lane's 10.883 kGE (rtl/README.md)"),
      AIMC_FIELD(power.du_energy_per_value_kge_pj));
  t.add(P("power.du_int8_mac", F, kPicoJoules, "0.0834pJ", 0, 1e6,
          "Digital-unit energy per INT8 multiply-accumulate (depthwise convolutions on the digital unit)",
          "[H] 8-bit mult (0.2 pJ) + 32-bit add (0.1 pJ) at 45 nm x0.278 [S]"),
        AIMC_FIELD(power.du_int8_mac_pj));
  t.add(P("power.sram_energy_per_bit_8kib", F, kPicoJoules, "0.0434pJ", 0, 1e6,
          "SRAM access energy per bit of an 8 KiB macro (x sqrt(size / 8 KiB) for larger macros)",
          "[H] 8 KB SRAM, 64-bit read 10 pJ at 45 nm = 0.156 pJ/bit, x0.278 [S]"),
        AIMC_FIELD(power.sram_energy_per_bit_8kib_pj));
  t.add(
      P("power.noc_wire_energy_per_bit_mm", F, kPicoJoules, "0.072pJ", 0, 1e6,
        "Link energy per bit per mm of wire", "[W] 0.2 fF/um x 1 mm, activity 0.5, 0.85 V: 0.5*200fF*0.85^2"),
      AIMC_FIELD(power.noc_wire_energy_per_bit_mm_pj));
  t.add(P("power.router_energy_per_bit", F, kPicoJoules, "0.001pJ", 0, 1e6, "Router energy per bit per hop",
          "model: a one-bit slice of a 32-bit adder [H] 0.1 pJ/32 at 45 nm, x0.278 [S] (buffer + mux)"),
        AIMC_FIELD(power.router_energy_per_bit_pj));
  t.add(P("power.controller_energy_per_command", F, kPicoJoules, "2.8pJ", 0, 1e6,
          "Command-table controller energy per command",
          "model: one 8-byte command-table SRAM read, 64 bits x 0.0434 pJ ([H] x [S])"),
        AIMC_FIELD(power.controller_energy_per_command_pj))
      .applies_when("core.controller.kind", {"command_table"});
  t.add(P("power.riscv_fetch", F, kPicoJoules, "1.39pJ", 0, 1e6,
          "RISC-V energy of every instruction: fetch (32-bit SRAM read), decode, register file",
          "[H] 32-bit read of an 8 KB SRAM ~5 pJ at 45 nm, x0.278 [S]"),
        AIMC_FIELD(power.riscv_fetch_pj))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("power.riscv_alu", F, kPicoJoules, "0.028pJ", 0, 1e6,
          "RISC-V extra energy of an ALU / branch / jump / CSR instruction",
          "[H] 32-bit add 0.1 pJ at 45 nm, x0.278 [S]"),
        AIMC_FIELD(power.riscv_alu_pj))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("power.riscv_mul", F, kPicoJoules, "0.86pJ", 0, 1e6, "RISC-V extra energy of a mul/div instruction",
          "[H] 32-bit multiply 3.1 pJ at 45 nm, x0.278 [S]"),
        AIMC_FIELD(power.riscv_mul_pj))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("power.riscv_mem", F, kPicoJoules, "1.39pJ", 0, 1e6, "RISC-V extra energy of a load/store",
          "[H] 32-bit access of an 8 KB SRAM ~5 pJ at 45 nm, x0.278 [S]"),
        AIMC_FIELD(power.riscv_mem_pj))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("power.program_voltage", F, kVolts, "1.2V", 0.1, 10,
          "Voltage across the write driver and cell during a programming pulse",
          "assumption: not published; PCM RESET needs ~1 V across the cell plus the access transistor"),
        AIMC_FIELD(power.program_voltage_v))
      .applies_when("device.technology", {"pcm"});
  t.add(P("power.reset_current", F, kMicroAmps, "700uA", 0, 1e5, "RESET pulse current", "[A] 700 uA"),
        AIMC_FIELD(power.reset_current_ua))
      .applies_when("device.technology", {"pcm"});
  t.add(P("power.reset_time", F, kNs, "125ns", 0, 1e6, "RESET pulse length", "[A] 125 ns"),
        AIMC_FIELD(power.reset_time_ns))
      .applies_when("device.technology", {"pcm"});
  t.add(P("power.set_current", F, kMicroAmps, "125uA", 0, 1e5, "SET pulse current", "[A] 125 uA"),
        AIMC_FIELD(power.set_current_ua))
      .applies_when("device.technology", {"pcm"});
  t.add(P("power.set_time", F, kNs, "250ns", 0, 1e6, "SET pulse length", "[A] 250 ns"),
        AIMC_FIELD(power.set_time_ns))
      .applies_when("device.technology", {"pcm"});
  t.add(P("power.mvm_leakage", F, kMilliWatts, "0mW", 0, 1e5, "Static power of array + ADC + PWM per core",
          "[A] reports no leakage figure; 0 until a measured value is set (the fit above absorbs it)"),
        AIMC_FIELD(power.mvm_leakage_mw));
  t.add(P("power.logic_leakage_per_kge", F, kMicroWatts, "0uW", 0, 1e6,
          "Static power of digital logic per kGE (digital unit, controller, router)",
          "not published for [A]; 0 until a measured or library value is set"),
        AIMC_FIELD(power.logic_leakage_per_kge_uw));
  t.add(P("power.sram_leakage_per_kib", F, kMicroWatts, "0uW", 0, 1e6, "Static power of SRAM per KiB",
          "not published for [A]; 0 until a measured or library value is set"),
        AIMC_FIELD(power.sram_leakage_per_kib_uw));

  t.add(P("area.cell", F, kSquareUm, "7.736um2", 0, 1e6, "Area of one unit cell (8T4R on HERMES)",
          "fitted: [A] 0.635 mm2 MVM area per core - 256 ADCs x 400 um2 - 256 drivers x 100 um2, / 65536 "
          "cells"),
        AIMC_FIELD(area.cell_um2));
  t.add(P("area.pwm_driver", F, kSquareUm, "100um2", 0, 1e6, "Area of one PWM input driver",
          "assumption: 4 um pitch ([B] ADC pitch) x 25 um"),
        AIMC_FIELD(area.pwm_driver_um2));
  t.add(P("area.cco_oscillator", F, kSquareUm, "386.4um2", 0, 1e6, "Area of one CCO ADC without its counters",
          "[B] 4 um pitch x 100 um (length: assumption) = 400 um2, less 24 counter bits x area.flipflop"),
        AIMC_FIELD(area.cco_oscillator_um2))
      .applies_when("core.adc.kind", {"cco"});
  t.add(
      P("area.flipflop", F, kSquareUm, "0.567um2", 0, 1e6, "Area of one counter / register bit",
        "NanGate FreePDK45 DFF_X1 4.522 um2 / NAND2_X1 0.798 um2 = 5.67 GE (LEF SIZE, OpenROAD-flow-scripts "
        "platforms/nangate45) x area.ge"),
      AIMC_FIELD(area.flipflop_um2));
  t.add(P("area.sar_min_transistor", F, kSquareUm, "0.0176um2", 0, 1e6,
          "Minimum transistor of the NeuroSim SAR area model",
          "assumption: 2 poly pitches x 3 fin pitches of a 14 nm process (70 nm, 42 nm; Natarajan et al., "
          "IEDM 2014)"),
        AIMC_FIELD(area.sar_min_transistor_um2))
      .applies_when("core.adc.kind", {"sar", "flash"});
  t.add(P("area.ge", F, kSquareUm, "0.10um2", 0, 1e6, "Area of one gate equivalent (NAND2)",
          "assumption inside a cited bracket: NanGate FreePDK45 NAND2_X1 0.798 um2 x (14/45)^2 = 0.077 um2; "
          "Intel 14 nm 37.5 MTr/mm2 (Bohr 2017) / 4 transistors = 0.107 um2 (rtl/README.md)"),
        AIMC_FIELD(area.ge_um2));
  t.add(
       P("area.du_lane_kge_nmpu", F, kNone, "10.883", 0, 1e6, "Gate count of one NMPU lane (kGE)",
         "rtl/README.md: yosys, NMPU lane at the default formats (scale Q6.16), 10883 GE (Q4.16 before issue "
         "15: 10593 GE)"),
       AIMC_FIELD(area.du_lane_kge_nmpu))
      .applies_when("core.digital_unit.kind", {"nmpu"});
  t.add(
      P("area.act_stage_lane_kge_base", F, kNone, "6.54", 0, 1e6,
        "Activation stage gate count per lane, fixed part (kGE; area = base + per_bin x bins)",
        "rtl/README.md: yosys, nmpu_act_stage at 10 and 34 bins (10180, 18906 GE), linear fit (18 bins: "
        "13.09 kGE, synthesised 13.096); the FP16 LDPU's stage is not synthesised and takes the same figure"),
      AIMC_FIELD(area.act_stage_lane_kge_base));
  t.add(P("area.act_stage_lane_kge_per_bin", F, kNone, "0.3636", 0, 1e6,
          "Activation stage gate count per lane and table bin (kGE)", "as area.act_stage_lane_kge_base"),
        AIMC_FIELD(area.act_stage_lane_kge_per_bin));
  t.add(P("area.flipflop_ge", F, kNone, "5.67", 0, 1e3, "Gate equivalents of one register bit (a flip-flop)",
          "NanGate FreePDK45 DFF_X1 4.522 um2 / NAND2_X1 0.798 um2"),
        AIMC_FIELD(area.flipflop_ge));
  t.add(P("area.du_lane_kge_ldpu", F, kNone, "21.769", 0, 1e6, "Gate count of one FP16 LDPU lane (kGE)",
          "rtl/README.md: yosys, FP16 LDPU lane, 21769 GE (21772 with the exact NanGate FreePDK45 cell "
          "areas: 0.01 %)"),
        AIMC_FIELD(area.du_lane_kge_ldpu))
      .applies_when("core.digital_unit.kind", {"ldpu_fp16"});
  t.add(P("area.sram_bitcell", F, kSquareUm, "0.0588um2", 0, 1e6, "SRAM bit cell area",
          "14 nm high-density 6T cell 0.0588 um2 (Natarajan et al., IEDM 2014)"),
        AIMC_FIELD(area.sram_bitcell_um2));
  t.add(P("area.sram_array_efficiency", F, kNone, "0.7", 0.01, 1, "Bit cells / SRAM macro area",
          "assumption: periphery (decoders, sense amplifiers) takes 30 % of a macro"),
        AIMC_FIELD(area.sram_array_efficiency));
  t.add(P("area.router_buffer_flits", F, kNone, "4", 0, 1e4, "Input buffer depth per router port (flits)",
          "assumption: enough to cover a link round trip of a few cycles"),
        AIMC_FIELD(area.router_buffer_flits));
  t.add(P("area.link_wire_pitch", F, kNone, "0.16", 0, 1e3,
          "Routing pitch of one link wire (um; area = wires x length x pitch)",
          "assumption: 2 x an 80 nm intermediate-metal pitch (shielding / spacing)"),
        AIMC_FIELD(area.link_wire_pitch_um));
  t.add(P("area.controller_kge_command_table", F, kNone, "2", 0, 1e6,
          "Gate count of a command-table sequencer (kGE)",
          "assumption: program counter, 64-bit command register, decoder"),
        AIMC_FIELD(area.controller_kge_command_table))
      .applies_when("core.controller.kind", {"command_table"});
  t.add(P("area.controller_kge_riscv", F, kNone, "26.6", 0, 1e6, "Gate count of an RV32IM controller (kGE)",
          "lowRISC Ibex README: 'small' RV32IMC configuration, yosys 26.60 kGE"),
        AIMC_FIELD(area.controller_kge_riscv))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("area.core_other", F, kSquareMm, "0.6988mm2", 0, 1e4,
          "Core area not modelled by a component row (write DACs, DMA, clocking, fill)",
          "[A] core 1.392 mm2 - 0.635 mm2 MVM area - the modelled digital rows of arch/hermes.yaml"),
        AIMC_FIELD(area.core_other_mm2));
}

void validate_power(const ArchConfig& a, const ArchValidator& v) {
  // Peak figures divide by the energy of a read: with every read energy zero TOPS/W would be infinite.
  if (a.power.array_mean_conductance_us == 0 && a.power.pwm_energy_per_driver_lsb_pj == 0 &&
      a.power.cco_energy_per_period_pj == 0 && a.core.tile.adc.kind == AdcKind::kCco)
    v.fail("power.cco_energy_per_period", "crossbar, PWM and CCO read energies are all zero");
}

}  // namespace aimc::arch_params_detail
