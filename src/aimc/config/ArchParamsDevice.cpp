// The device technology behind the crossbar (numerics/DeviceModel.h): which one, the RRAM block, what
// programming does about stuck devices, and the binary/ternary weight mapping. The PCM keys are in
// ArchParamsCore.cpp (device.*).
#include "aimc/config/ArchParams.h"

namespace aimc::arch_params_detail {

namespace {

// [SP] the Stanford-PKU model's Verilog-A release v1.0.0 (nanoHUB doi:10.4231/D37H1DN48), the pulse benchmark
// pulseSweep.sp that ships with it. The energy of the pulses: power/EnergyModel.h (programming_energy).
void declare_rram_pulse_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(P("device.rram.set_voltage", F, kVolts, "1.8V", 0.1, 10, "RRAM SET pulse amplitude across the cell",
          "[SP] pulseSweep.sp: SET pulse 1.8 V"),
        AIMC_FIELD(core.tile.device.rram.set_voltage_v));
  t.add(P("device.rram.reset_voltage", F, kVolts, "1.3V", 0.1, 10,
          "RRAM RESET pulse amplitude across the cell", "[SP] pulseSweep.sp: RESET pulse -1.3 V"),
        AIMC_FIELD(core.tile.device.rram.reset_voltage_v));
  t.add(P("device.rram.set_pulse", F, kNs, "100ns", 0.01, 1e9, "RRAM SET pulse width",
          "[SP] pulseSweep.sp: 100 ns"),
        AIMC_FIELD(core.tile.device.rram.set_pulse_ns));
  t.add(P("device.rram.reset_pulse", F, kNs, "100ns", 0.01, 1e9, "RRAM RESET pulse width",
          "[SP] pulseSweep.sp: 100 ns"),
        AIMC_FIELD(core.tile.device.rram.reset_pulse_ns));
}

// [M] MemTorch (Lammie et al., Neurocomputing 2022), memtorch/bh/memristor/Stanford_PKU.py defaults.
void declare_rram_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(P("device.rram.g_lrs", F, kMicroSiemens, "1845uS", 0.01, 1e5, "RRAM low-resistance-state conductance",
          "[M] Stanford-PKU r_on = 542 ohm"),
        AIMC_FIELD(core.tile.device.rram.g_lrs_us));
  t.add(P("device.rram.on_off_ratio", F, kNone, "403.3", 1.01, 1e6, "RRAM LRS / HRS conductance ratio",
          "[M] Stanford-PKU r_off / r_on = 218586 / 542"),
        AIMC_FIELD(core.tile.device.rram.on_off_ratio));
  t.add(P("device.rram.levels", I, kNone, "0", 0, 4096,
          "RRAM programmable levels from HRS to LRS (0 = continuous)",
          "choice: continuous as MemTorch without its finite-states non-ideality"),
        AIMC_FIELD(core.tile.device.rram.levels));
  t.add(P("device.rram.d2d_sigma", F, kNone, "0.05", 0, 1,
          "Relative device-to-device spread of each RRAM device's LRS and HRS",
          "assumption: MemTorch draws r_on/r_off per device, no value is given by default"),
        AIMC_FIELD(core.tile.device.rram.d2d_sigma));
  t.add(P("device.rram.c2c_sigma", F, kNone, "0.02", 0, 1,
          "RRAM cycle-to-cycle write spread per pulse, relative to the LRS-HRS window", "assumption"),
        AIMC_FIELD(core.tile.device.rram.c2c_sigma));
  t.add(P("device.rram.read_noise", F, kNone, "0.01", 0, 1, "RRAM relative read noise sigma", "assumption"),
        AIMC_FIELD(core.tile.device.rram.read_noise_sigma));
  t.add(P("device.rram.relaxation_tau", F, kSeconds, "1s", 1e-9, 1e9,
          "RRAM relaxation reference time: L(t) = log10(1 + t / tau)", "assumption"),
        AIMC_FIELD(core.tile.device.rram.relaxation_tau_s));
  t.add(P("device.rram.relaxation_sigma", F, kNone, "0.005", 0, 1,
          "RRAM relaxation spread per decade of time, relative to the window", "assumption"),
        AIMC_FIELD(core.tile.device.rram.relaxation_sigma));
  t.add(P("device.rram.relaxation_to_mid", F, kNone, "0.01", 0, 1,
          "RRAM relaxation toward the window's middle per decade (fraction of the distance)",
          "assumption for the rate; the shape (states converge toward a point between LRS and HRS) is "
          "MemTorch's "
          "retention model (Lammie, Rahimi Azghadi, Ielmini, Semicond. Sci. Technol. 2021)"),
        AIMC_FIELD(core.tile.device.rram.relaxation_to_mid));
  declare_rram_pulse_params(t);
}

}  // namespace

void declare_device_params(ParamTable<ArchConfig>& t) {
  t.add(choice("device.technology", "pcm", "Memory device of the crossbar: pcm or rram",
               "[A] HERMES is PCM; rram: numerics/DeviceModelRram.h"),
        AIMC_FIELD(core.tile.device.technology));
  t.add(choice("device.stuck_compensation", "none",
               "After a read-back finds stuck devices: none, partner (re-aim the cell's other devices) or "
               "offset (partner, then offset the line's remaining error over its other cells)",
               "none: today's behaviour; see numerics/StuckCompensation.h"),
        AIMC_FIELD(core.tile.device.stuck_compensation));
  t.add(choice("core.crossbar.weight_levels", "continuous",
               "Weight mapping: continuous, binary (sign x per-line mean|w|) or ternary (TWN threshold)",
               "continuous: [D]; binary: Rastegari et al. ECCV 2016; ternary: Li et al. arXiv 1605.04711"),
        AIMC_FIELD(core.tile.weight_levels));
  declare_rram_params(t);
}

namespace {

// A key set in the arch file itself or with --set; one inherited from a preset (arch/rram.yaml builds on
// hermes.yaml, which writes the PCM keys out) is the preset's description, not a choice made for this arch.
bool set_here(const ArchValidator& v, const std::string& key) {
  auto it = v.origins.find(key);
  return it != v.origins.end() && (it->second.file == v.file || it->second.line == 0);  // line 0: --set
}

}  // namespace

// Keys of one technology set for the other are refused (the param table has no "applies when" facility).
void validate_device(const ArchConfig& a, const ArchValidator& v) {
  const DeviceParams& d = a.core.tile.device;
  static const char* const kRramKeys[] = {
      "device.rram.g_lrs",          "device.rram.on_off_ratio",     "device.rram.levels",
      "device.rram.d2d_sigma",      "device.rram.c2c_sigma",        "device.rram.read_noise",
      "device.rram.relaxation_tau", "device.rram.relaxation_sigma", "device.rram.relaxation_to_mid",
      "device.rram.set_voltage",    "device.rram.reset_voltage",    "device.rram.set_pulse",
      "device.rram.reset_pulse"};
  static const char* const kPcmKeys[] = {"device.g_max",       "device.programming_noise_scale",
                                         "device.drift_scale", "device.t0",
                                         "device.t_read",      "device.g_reset"};
  if (d.technology == DeviceTechnology::kPcm) {
    for (const char* k : kRramKeys)
      if (v.was_set(k)) v.fail(k, "applies to device.technology: rram only (this arch is pcm)");
  } else {
    for (const char* k : kPcmKeys)
      if (set_here(v, k)) v.fail(k, "applies to device.technology: pcm only (this arch is rram)");
  }
  if (d.rram.levels == 1) v.fail("device.rram.levels", "must be 0 (continuous) or at least 2");
}

}  // namespace aimc::arch_params_detail
