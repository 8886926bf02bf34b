#include "aimc/config/ArchParams.h"

namespace aimc::arch_params_detail {

void declare_controller_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(C("core.controller.kind", {"command_table"}, "command_table",
          "What drives the core: a command-table sequencer (RISC-V controllers: issue 5)", "design choice"),
        AIMC_FIELD(core.controller.kind));
  t.add(
      P("core.controller.clock", F, kMHz, "400MHz", 1, 10000, "Controller clock", "[A] digital clock domain"),
      AIMC_FIELD(core.controller.clock_mhz));
  t.add(P("core.controller.cycles_per_command", I, kNone, "2", 1, 1000,
          "Cycles to fetch and issue one command (register write)", "model: fetch + issue"),
        AIMC_FIELD(core.controller.cycles_per_command));
}

void validate_controller(const ArchConfig& a, const ArchValidator& v) {
  (void)a;
  (void)v;
}

}  // namespace aimc::arch_params_detail
