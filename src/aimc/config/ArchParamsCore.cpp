#include "aimc/config/ArchParams.h"
#include "aimc/numerics/AdcModel.h"
#include "aimc/numerics/LdpuFp16Params.h"
#include "aimc/numerics/NmpuParams.h"

namespace aimc::arch_params_detail {

// core.adc.counter_bits is also the count width of whichever digital unit the core runs.
static_assert(AdcParams::kMaxCounterBits <= NmpuParams::kMaxAdcCountBits &&
                  AdcParams::kMaxCounterBits <= LdpuFp16Params::kMaxAdcCountBits,
              "a counter width the CCO takes would be refused by a digital unit");

void declare_core_params(ParamTable<ArchConfig>& t) {
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
  t.add(choice("core.crossbar.weight_scaling", "per_tile",
               "Weight-to-conductance scale per tile or per output line",
               "[D] s = g_max / max|W| over the tile"),
        AIMC_FIELD(core.tile.weight_scaling));
  t.add(choice("core.crossbar.drift_compensation", "global", "Output rescaling against drift",
               "[A] global per-core rescaling; [D] alpha from a calibration read"),
        AIMC_FIELD(core.tile.drift_compensation));
  t.add(
      choice("core.crossbar.forward", "hardware",
             "Analog forward pass: PWM codes to ADC counts, or AIHWKit's normalised pass", "[E] for aihwkit"),
      AIMC_FIELD(core.tile.forward_mode));
  t.add(P("core.crossbar.aihwkit_out_noise", F, kNone, "0.06", 0, 10,
          "Output noise sigma of the aihwkit forward, in normalised units (full-scale input x max|W|)",
          "[E] y = W x' + 0.06 xi"),
        AIMC_FIELD(core.tile.aihwkit_out_noise))
      .applies_when("core.crossbar.forward", {"aihwkit"});
  t.add(B("core.crossbar.wire.enabled", "false",
          "Model the wire resistance of the lines (IR drop; numerics/WireResistance.h)",
          "design option: off = ideal lines"),
        AIMC_FIELD(core.tile.wire.enabled));
  t.add(P("core.crossbar.wire.r_row_ohm_per_cell", F, kNone, "2.032", 0, 1e4,
          "Output-line (physical row) wire resistance per cell pitch, ohm",
          "NeuroSim V2.1 14 nm wire: 5.08e-8 ohm m / (25 nm x 25 nm x AR 2.0) x 2F (50 nm)"),
        AIMC_FIELD(core.tile.wire.r_row_ohm_per_cell));
  t.add(P("core.crossbar.wire.r_col_ohm_per_cell", F, kNone, "2.032", 0, 1e4,
          "Input-line (physical column) wire resistance per cell pitch, ohm",
          "NeuroSim V2.1 14 nm wire: 5.08e-8 ohm m / (25 nm x 25 nm x AR 2.0) x 2F (50 nm)"),
        AIMC_FIELD(core.tile.wire.r_col_ohm_per_cell));
  t.add(P("core.dac.bits", I, kNone, "8", DacParams::kMinBits, 12, "PWM input bits including the sign",
          "[A] 8-bit PWM; [B] 7-bit magnitude"),
        AIMC_FIELD(core.tile.dac.bits));
  t.add(P("core.dac.t_lsb", F, kNs, "1ns", 0.01, 1000, "PWM pulse time per LSB", "[A] 1 ns per LSB"),
        AIMC_FIELD(core.tile.dac.t_lsb_ns));
  t.add(P("core.dac.read_voltage", F, kVolts, "0.2V", 0.01, 1.0, "Read voltage on the input lines",
          "[A] 100-400 mV"),
        AIMC_FIELD(core.tile.dac.read_voltage_v));
  t.add(choice("core.dac.read_mode", "one_phase",
               "1-phase: all sign quadrants at once; 4-phase: each quadrant separately", "[A] read modes"),
        AIMC_FIELD(core.tile.dac.read_mode));
  t.add(choice("core.dac.input_scaling", "abs_max", "Input scaling of the float MVM path",
               "[E] abs-max noise management"),
        AIMC_FIELD(core.tile.dac.input_scaling));
  t.add(B("core.dac.bound_management", "true", "Iterative bound management in the float MVM path",
          "[E] r = 1, 2, 4, 8, 16"),
        AIMC_FIELD(core.tile.dac.bound_management));
  t.add(P("core.dac.bound_management_passes", I, kNone, "5", 1, 16,
          "Most reads of one input under bound management (input range doubled each pass)",
          "[E] r = 1, 2, 4, 8, 16: 5 passes"),
        AIMC_FIELD(core.tile.dac.bound_management_max_passes));
  t.add(P("core.dac.fixed_input_range", F, kNone, "1", 1e-12, 1e12,
          "|x| at the full pulse width when core.dac.input_scaling = fixed",
          "design option (no published value)"),
        AIMC_FIELD(core.tile.dac.fixed_input_range))
      .applies_when("core.dac.input_scaling", {"fixed"});
  t.add(P("core.dac.phase_overhead", F, kNs, "1ns", 0, 1000,
          "Set-up time per read phase (CCO reset, line settling)",
          "fitted: 1-phase 128+1+4 = 133 ns and 4-phase 4*(128+1)+4 = 520 ns reproduce [A]'s MVM latencies"),
        AIMC_FIELD(core.tile.dac.phase_overhead_ns));
  t.add(choice("core.adc.kind", "cco", "ADC architecture",
               "[A],[B] current-controlled-oscillator time-based ADC"),
        AIMC_FIELD(core.tile.adc.kind));
  t.add(P("core.adc.bits", I, kNone, "9", 1, AdcParams::kMaxBits,
          "Ideal/SAR/flash ADC resolution including the sign", "[E] AIHWKit output step 24/510: +-255 codes"),
        AIMC_FIELD(core.tile.adc.bits))
      .applies_when("core.adc.kind", {"ideal", "sar", "flash"});
  t.add(P("core.adc.counter_bits", I, kNone, "12", AdcParams::kMinCounterBits, AdcParams::kMaxCounterBits,
          "CCO counter bits per polarity", "[A] dual 12-bit ripple counter"),
        AIMC_FIELD(core.tile.adc.cco_counter_bits));
  t.add(P("core.adc.cco_t_lsb", F, kPs, "300ps", 1, 1e5, "CCO time per count", "[B] 300 ps/LSB"),
        AIMC_FIELD(core.tile.adc.cco_t_lsb_ps))
      .applies_when("core.adc.kind", {"cco"});
  t.add(P("core.adc.count", I, kNone, "256", 1, 8192, "ADCs per core", "[A] 256 per core, one per row"),
        AIMC_FIELD(core.adc_count));
  t.add(P("core.adc.columns_per_adc", I, kNone, "1", 1, 64, "Output lines sharing one ADC through a mux",
          "[B] no multiplexing"),
        AIMC_FIELD(core.tile.adc.lines_per_adc));
  t.add(P("core.adc.readout", F, kNs, "4ns", 0, 1000, "CCO counter read-out after integration",
          "fitted with core.dac.phase_overhead to [A]'s 133/520 ns"),
        AIMC_FIELD(core.tile.adc.cco_readout_ns))
      .applies_when("core.adc.kind", {"cco"});
  t.add(P("core.adc.sar_clock", F, kGHz, "1GHz", 0.001, 100,
          "SAR and flash conversion clock: SAR (bits + 1) cycles, flash 1 cycle",
          "NeuroSim SAR model: (bits+1) x 1 ns (REFERENCE G); flash shares it (assumption)"),
        AIMC_FIELD(core.tile.adc.sar_clock_ghz))
      .applies_when("core.adc.kind", {"sar", "flash"});
  t.add(P("core.adc.gain_sigma", F, kNone, "0.0709", 0, 1,
          "Per-ADC gain mismatch before digital equalisation", "[B] gain trim residual sigma = 7.09 %"),
        AIMC_FIELD(core.tile.adc.gain_sigma));
  t.add(P("core.adc.full_scale", F, kNone, "12", 1e-3, 1e6,
          "Output (in full-scale input x max|W| units) that reaches the last ADC code",
          "[E] AIHWKit out_bound = 12; HERMES does not publish its range"),
        AIMC_FIELD(core.tile.adc.full_scale_normalised));
  t.add(P("core.adc.offset_sigma", F, kNone, "0", 0, 1000, "Per-ADC offset sigma in counts after trim",
          "not published (an offset trim is one of [B]'s 3 calibration parameters)"),
        AIMC_FIELD(core.tile.adc.offset_sigma_counts));
  t.add(P("core.adc.output_noise", F, kNone, "0", 0, 1000, "Output noise sigma in ADC counts",
          "not published for HERMES (AIHWKit: 0.06 / (24/510) = 1.275 counts, [E])"),
        AIMC_FIELD(core.tile.adc.output_noise_sigma_counts));
  t.add(P("device.g_max", F, kMicroSiemens, "25uS", 0.1, 1000, "Maximum programmed conductance",
          "[D] g_max = 25 uS"),
        AIMC_FIELD(core.tile.device.g_max_us));
  t.add(choice("device.programming", "statistical", "Weight programming model",
               "[D] statistical PCM model; [A] program-and-verify"),
        AIMC_FIELD(core.tile.device.programming));
  t.add(P("device.verify_tolerance_counts", I, kNone, "5", 0, 1000,
          "Program-and-verify stops under this error", "[A] 5 ADC counts"),
        AIMC_FIELD(core.tile.device.verify_tolerance_counts))
      .applies_when("device.programming", {"program_verify"});
  t.add(P("device.verify_max_iterations", I, kNone, "30", 1, 255, "Program-and-verify iteration limit",
          "[A] 30 iterations"),
        AIMC_FIELD(core.tile.device.verify_max_iterations))
      .applies_when("device.programming", {"program_verify"});
  t.add(P("device.verify_counts_at_g_max", F, kNone, "0", 0, 1e6,
          "Program-and-verify read-back counts of one device at g_max (0 = the MVM's own ADC gain)",
          "0: [A] verify through the ADC; no programming-mode gain is published"),
        AIMC_FIELD(core.tile.device.verify_counts_at_g_max))
      .applies_when("device.programming", {"program_verify"});
  t.add(P("device.verify_read_delay", F, kSeconds, "1us", 1e-9, 1e6,
          "Delay between a programming pulse and its verify read", "assumption: not published"),
        AIMC_FIELD(core.tile.device.verify_read_delay_s))
      .applies_when("device.programming", {"program_verify"});
  t.add(P("device.programming_noise_scale", F, kNone, "1", 0, 100, "Scale of the PCM programming noise",
          "[D] AIHWKit PCMLikeNoiseModel prog_noise_scale = 1"),
        AIMC_FIELD(core.tile.device.programming_noise_scale));
  t.add(P("device.drift_scale", F, kNone, "1", 0, 100, "Scale of the PCM drift exponent",
          "[D] AIHWKit PCMLikeNoiseModel drift_scale = 1"),
        AIMC_FIELD(core.tile.device.drift_scale));
  t.add(P("device.read_noise_scale", F, kNone, "1", 0, 100, "Scale of the PCM 1/f read noise",
          "[D] AIHWKit PCMLikeNoiseModel read_noise_scale = 1"),
        AIMC_FIELD(core.tile.device.read_noise_scale));
  t.add(P("device.t0", F, kSeconds, "20s", 1e-9, 1e9, "Drift reference time after programming",
          "[D] t0 = 20 s"),
        AIMC_FIELD(core.tile.device.t0_s));
  t.add(P("device.t_read", F, kSeconds, "250ns", 1e-12, 1, "Read duration in the 1/f noise model",
          "[D] t_read = 250 ns"),
        AIMC_FIELD(core.tile.device.t_read_s));
  t.add(P("device.g_reset", F, kMicroSiemens, "0.1uS", 0, 1000, "Conductance of a device stuck at RESET",
          "[A] RESET ~0.1 uS"),
        AIMC_FIELD(core.tile.device.g_reset_us));
  t.add(B("device.drift", "true", "Conductance drift with time since programming", "[D]"),
        AIMC_FIELD(core.tile.device.drift_enabled));
  t.add(choice("device.read_noise", "per_read", "1/f read noise",
               "[D]; per_read: every MVM draws its own noise, as on silicon"),
        AIMC_FIELD(core.tile.device.read_noise));
  t.add(choice("device.read_noise_variance", "exact",
               "How the per-read noise variance is evaluated: exact per-row GEMV or a rank-1 approximation",
               "model choice (numerics/CrossbarArray.h)"),
        AIMC_FIELD(core.tile.device.read_noise_variance));
  t.add(P("device.stuck_at_set", F, kNone, "0", 0, 1, "Fraction of devices stuck at SET",
          "no published figure"),
        AIMC_FIELD(core.tile.device.stuck_at_set_fraction));
  t.add(P("device.stuck_at_reset", F, kNone, "0", 0, 1, "Fraction of devices stuck at RESET",
          "no published figure"),
        AIMC_FIELD(core.tile.device.stuck_at_reset_fraction));
}

void validate_core(const ArchConfig& a, const ArchValidator& v) {
  const auto& tile = a.core.tile;
  if (a.core.adc_count * tile.adc.lines_per_adc < tile.rows)
    v.fail("core.adc.count", std::to_string(a.core.adc_count) + " ADCs x " +
                                 std::to_string(tile.adc.lines_per_adc) + " lines per ADC cannot serve " +
                                 std::to_string(tile.rows) + " crossbar rows");
  if (a.core.adc_count > tile.rows)
    v.fail("core.adc.count", "more ADCs (" + std::to_string(a.core.adc_count) + ") than crossbar rows (" +
                                 std::to_string(tile.rows) + ")");
  // The declared range starts at 1 (the text `aimcsim params` and the range errors have always shown); a
  // 1-bit ADC has no code but 0, which AdcModel refuses, so it is refused here with the key.
  if (tile.adc.bits < AdcParams::kMinBits)
    v.fail("core.adc.bits", "must be at least " + std::to_string(AdcParams::kMinBits) +
                                " (one magnitude bit and the sign): a 1-bit ADC has no code but 0");
  // AdcCco needs a full scale of at least one count: the PWM window must hold one CCO period.
  if (tile.adc.kind == AdcKind::kCco && AdcModel::full_scale_counts_for(tile.adc, tile.dac) < 1)
    v.fail("core.adc.cco_t_lsb", "the integration window (" +
                                     std::to_string(AdcModel::cco_integration_ns(tile.adc, tile.dac)) +
                                     " ns) holds less than one CCO period");
  if (tile.device.stuck_at_set_fraction + tile.device.stuck_at_reset_fraction > 1.0)
    v.fail("device.stuck_at_set", "stuck-at-SET and stuck-at-RESET fractions add up to more than 1");
}

}  // namespace aimc::arch_params_detail
