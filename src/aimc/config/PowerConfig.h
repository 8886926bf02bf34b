#pragma once
// Energy and area figures of an arch (keys power.*, area.*; ArchParamsPower.cpp). Every figure is given at
// the reference node and supply (power.reference_node, power.reference_supply) and scaled to
// chip.technology_nm and chip.supply by power/TechScaling.
#include <cstdint>

#include "aimc/base/EnumNames.h"

namespace aimc {

// power.sar_model: the energy model of a SAR ADC conversion (power/AdcCostModel).
enum class SarEnergyModel : uint8_t {
  kNeurosim,  // REFERENCE G, NeuroSim V1.4: P_col = a x bits + b over (bits + 1) SAR clocks
  kWalden,    // Walden FOM x 2^bits
};
inline constexpr EnumName<SarEnergyModel> kSarEnergyModelNames[] = {{SarEnergyModel::kNeurosim, "neurosim"},
                                                                    {SarEnergyModel::kWalden, "walden"}};
constexpr const auto& enum_names(SarEnergyModel) {
  return kSarEnergyModelNames;
}

// power.array_energy_model: how the crossbar read and the CCO ADC energies follow the data.
enum class ArrayEnergyModel : uint8_t {
  kMeanConductance,  // every conducting device at power.array_mean_conductance; every CCO runs its window
  kData,             // the programmed/drifted line conductances x pulse widths; the CCO's counted periods
};
inline constexpr EnumName<ArrayEnergyModel> kArrayEnergyModelNames[] = {
    {ArrayEnergyModel::kMeanConductance, "mean_conductance"}, {ArrayEnergyModel::kData, "data"}};
constexpr const auto& enum_names(ArrayEnergyModel) {
  return kArrayEnergyModelNames;
}

struct PowerConfig {
  // Technology the per-event energies and per-component areas below are given at.
  double reference_node_nm = 0;
  double reference_supply_v = 0;

  // Crossbar read: E = V_read^2 x G x pulse time per conducting device.
  double array_mean_conductance_us = 0;   // mean conductance of a conducting device
  ArrayEnergyModel array_energy_model{};  // the declaration sets it
  double peak_input_duty = 0;             // peak figures: mean PWM pulse / full window

  // PWM drivers: the driver bank is clocked through every window (1 LSB per clock).
  double pwm_energy_per_driver_lsb_pj = 0;

  // ADCs. CCO: every oscillation period of every converting CCO, plus a counter read-out per conversion.
  double cco_energy_per_period_pj = 0;
  double cco_readout_energy_per_bit_pj = 0;
  SarEnergyModel sar_model{};    // the declaration sets it
  double sar_walden_fom_pj = 0;  // energy per conversion step
  double sar_neurosim_a_uw = 0;  // P_col = a x bits + b (uW), conversion (bits + 1) SAR clocks
  double sar_neurosim_b_uw = 0;
  double flash_walden_fom_pj = 0;  // flash ADC: energy per conversion step (Walden FOM x 2^bits)

  // Digital unit: energy per value per kGE of one lane (gate counts: area.du_lane_kge_*).
  double du_energy_per_value_kge_pj = 0;
  // Digital unit: energy per INT8 x INT8 MAC into a 32-bit accumulator (depthwise convolutions).
  double du_int8_mac_pj = 0;

  // SRAM: energy per bit at 8 KiB; sqrt(capacity / 8 KiB) for longer bit and word lines.
  double sram_energy_per_bit_8kib_pj = 0;

  // Network.
  double noc_wire_energy_per_bit_mm_pj = 0;
  double router_energy_per_bit_pj = 0;

  // Controllers: a command-table sequencer per command; a RISC-V per instruction class.
  double controller_energy_per_command_pj = 0;
  double riscv_fetch_pj = 0;  // every instruction: fetch + decode + register file
  double riscv_alu_pj = 0;    // ALU, branch, jump, CSR, system
  double riscv_mul_pj = 0;    // mul, div
  double riscv_mem_pj = 0;    // load, store (data memory access)

  // Weight programming (REFERENCE A pulses).
  double program_voltage_v = 0;
  double reset_current_ua = 0;
  double reset_time_ns = 0;
  double set_current_ua = 0;
  double set_time_ns = 0;

  // Static power per component (none published).
  double mvm_leakage_mw = 0;            // array + ADC + PWM, per core
  double logic_leakage_per_kge_uw = 0;  // digital unit, controller, router
  double sram_leakage_per_kib_uw = 0;
};

struct AreaConfig {
  double cell_um2 = 0;                // one unit cell (8T4R on HERMES)
  double pwm_driver_um2 = 0;          // one input-line PWM driver
  double cco_oscillator_um2 = 0;      // one CCO ADC without its counters
  double flipflop_um2 = 0;            // one counter / register bit
  double sar_min_transistor_um2 = 0;  // NeuroSim SAR area model's minimum transistor
  double ge_um2 = 0;                  // one gate equivalent (NAND2)
  double du_lane_kge_nmpu = 0;        // one digital-unit lane, from yosys (rtl/README.md)
  double du_lane_kge_ldpu = 0;
  // The activation stage (core.digital_unit.activation.enabled): per lane, base + per_bin x bins kGE (yosys,
  // rtl/README.md); per unit, its table registers at area.flipflop_ge each.
  double act_stage_lane_kge_base = 0;
  double act_stage_lane_kge_per_bin = 0;
  double flipflop_ge = 0;
  double sram_bitcell_um2 = 0;
  double sram_array_efficiency = 0;
  double router_buffer_flits = 0;
  double link_wire_pitch_um = 0;
  double controller_kge_command_table = 0;
  double controller_kge_riscv = 0;
  double core_other_mm2 = 0;  // the part of the published core not modelled above
};

}  // namespace aimc
