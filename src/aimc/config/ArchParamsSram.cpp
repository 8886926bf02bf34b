#include "aimc/config/ArchParams.h"

namespace aimc::arch_params_detail {

void declare_sram_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(P("core.sram.size", I, kBytes, "64KiB", 1024, 1 << 30, "Local activation SRAM per core",
          "design choice (not published); holds in/out vectors of the pipelined layers"),
        AIMC_FIELD(core.sram.size_bytes));
  t.add(
      P("core.sram.width_bits", I, kNone, "64", 8, 4096, "SRAM port width", "design choice (not published)"),
      AIMC_FIELD(core.sram.width_bits));
  t.add(P("core.sram.latency_cycles", I, kNone, "1", 0, 64, "SRAM access latency in digital-unit cycles",
          "design choice: single-cycle macro"),
        AIMC_FIELD(core.sram.latency_cycles));
}

void validate_sram(const ArchConfig& a, const ArchValidator& v) {
  const int64_t row_vector_bytes = a.core.tile.rows + a.core.tile.cols;
  if (a.core.sram.size_bytes < 4 * row_vector_bytes)
    v.fail("core.sram.size", "too small to hold two input and two output vectors (" +
                                 std::to_string(4 * row_vector_bytes) + " B)");
}

}  // namespace aimc::arch_params_detail
