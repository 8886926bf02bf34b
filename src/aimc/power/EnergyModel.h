#pragma once
// Energy and area as pure functions of the arch parameters and the activity the chip counted (DESIGN.md:
// power/area layer). One row per component; every row names the model and the parameters it comes from, and
// every default cites its source in ArchParamsPower.cpp. Energies and areas are given at power.reference_node
// and power.reference_supply and scaled to the chip by TechScaling.
#include <map>
#include <string>
#include <vector>

#include "aimc/config/ArchConfig.h"

namespace aimc {

struct EnergyRow {
  std::string component;
  double dynamic_j = 0;
  double leakage_j = 0;
  std::string model;  // how it was computed
};

// Activity of one core or of the whole chip (sums of the stats the blocks register).
struct Activity {
  double mvms = 0;
  double tile_busy_ns = 0;       // array integration time (every PWM window and phase set-up)
  double driver_lsbs = 0;        // PWM drivers of the used input lines x LSB clocks of every window
  double device_pulse_lsbs = 0;  // sum over conducting devices of their PWM pulse width, in LSBs
  double adc_conversions = 0;    // output lines converted
  // Data-dependent energy (power.array_energy_model: data; numerics/ArrayReadEnergy.h): sum over reads of
  // sum_i |code_i| G_line_i and of the wires' loss conductance, in nS x LSB; ADC counter values (the CCO's
  // counted oscillation periods) of every conversion.
  double array_conductance_lsbs = 0;
  double wire_conductance_lsbs = 0;
  double adc_counts = 0;
  double du_values = 0;
  double du_macs = 0;  // INT8 MACs of depthwise convolutions in the digital units
  double sram_bytes = 0;
  double controller_commands = 0;
  std::map<std::string, double> instructions;  // RISC-V controller: class -> instructions retired
  double noc_bit_hops = 0;
  // The GDPU (gdpu.enabled; hw/Gdpu's stats): FP16 FMAs, tanh-table lookups, cell-state register accesses.
  double gdpu_fmas = 0, gdpu_lut_lookups = 0, gdpu_state_accesses = 0;
  double elapsed_ns = 0;   // simulated time the cores were powered
  double cores = 0;        // powered cores (for leakage)
  double controllers = 0;  // powered controllers (one per cluster of core.controller.cores_per_controller)

  // Sums the counts (elapsed time is not a count: it stays).
  Activity& operator+=(const Activity& o);
};

std::vector<EnergyRow> energy_breakdown(const ArchConfig& arch, const Activity& a);

// Loading the weights: every programmed device is RESET once, then each write pulse is a SET-type pulse.
// PCM (REFERENCE A): RESET 125 ns @ 700 uA, SET 250 ns @ 125 uA, at power.program_voltage. RRAM: each pulse
// is V^2 x g_lrs x width (rram_pulse_energy_j), the device.rram.* pulses.
EnergyRow programming_energy(const ArchConfig& arch, double devices, double write_pulses);
// Energy (J) of one RRAM write pulse of `voltage_v` and `width_ns` through a cell at g_lrs_us for the whole
// pulse: an upper bound, since the cell is below LRS for part of a SET and a 1T1R's transistor limits
// current.
double rram_pulse_energy_j(double voltage_v, double g_lrs_us, double width_ns);

// Energy of one RISC-V instruction of `cls` (alu, mul, div, load, store, branch, jump, csr, system, ...).
double riscv_instruction_energy_pj(const ArchConfig& arch, const std::string& cls);

struct AreaRow {
  std::string component;
  double area_mm2 = 0;
  std::string model;
  bool mvm = false;  // part of [A]'s "MVM area" (array + ADC + PWM)
};
std::vector<AreaRow> area_breakdown(const ArchConfig& arch);
double total_area_mm2(const std::vector<AreaRow>& rows);
double mvm_area_mm2(const std::vector<AreaRow>& rows);
double total_energy_j(const std::vector<EnergyRow>& rows);

// Network geometry from the floorplan: links between routers, their length and the router radix.
struct NocGeometry {
  double links = 0;
  double link_length_mm = 0;
  double router_ports = 0;  // including the local port
};
NocGeometry noc_geometry(const ArchConfig& arch);

}  // namespace aimc
