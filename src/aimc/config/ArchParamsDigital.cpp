#include "aimc/config/ArchParams.h"

namespace aimc::arch_params_detail {

void declare_digital_params(ParamTable<ArchConfig>& t) {
  using namespace units;
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
}

void validate_digital(const ArchConfig& a, const ArchValidator& v) {
  if (a.core.digital_unit.impl == "rtl")
    v.fail("core.digital_unit.impl", "the Verilated digital unit is not built into the chip yet (issue 6)");
}

}  // namespace aimc::arch_params_detail
