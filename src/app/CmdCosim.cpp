// aimcsim cosim nmpu [--vectors N] [--seed S] [--wave out.vcd]: the lockstep co-simulation of the Verilated
// NMPU against its bit-exact C++ model (src/cosim/NmpuCosim.h). In a build with the RTL this file also
// registers the Verilated NMPU as core.digital_unit.impl "rtl", so that `aimcsim run` can put it in the chip.
#include <iostream>
#include <memory>

#include "CliChecks.h"
#include "CommandRegistry.h"
#include "aimc/base/Error.h"

#ifdef AIMCSIM_HAVE_COSIM
#include "cosim/DigitalUnitImplNmpuRtl.h"
#include "cosim/NmpuCosim.h"
#endif

namespace aimcsim {
namespace {

#ifdef AIMCSIM_HAVE_COSIM
// Static initialisation of this (directly linked) object pulls the RTL digital unit out of aimc_cosim.
[[maybe_unused]] const bool kRtlDigitalUnitRegistered = [] {
  aimc::register_rtl_digital_unit();
  return true;
}();
#endif

struct CosimOptions {
  std::string block;
  uint64_t vectors = 1000000;
  uint64_t seed = 1;
  std::string wave;
  bool activation = false;
};

const RegisterCommand kCosim(40, [](CLI::App& app, CLI::App*& sub) -> CommandAction {
  sub = app.add_subcommand("cosim", "Lockstep co-simulation of the Verilated RTL against its C++ model");
  auto o = std::make_shared<CosimOptions>();
  sub->add_option("block", o->block, "RTL block to check (nmpu)")->required()->check(CLI::IsMember({"nmpu"}));
  sub->add_option("--vectors", o->vectors, "Random output values after the directed cases (at least 1)")
      ->default_val(o->vectors)
      ->check(at_least(1));
  sub->add_option("--seed", o->seed, "Seed of all stimulus (CounterRng)")
      ->default_val(o->seed)
      ->check(seed_value());
  sub->add_option("--wave", o->wave, "Write a VCD of every RTL signal (large: ~34 MB per 1000 vectors)");
  sub->add_flag("--activation", o->activation,
                "The unit verilated with the activation stage (ActStage = 1), with the stage's cases");
  return [o]() -> int {
#ifdef AIMCSIM_HAVE_COSIM
    aimc::NmpuCosimOptions opts;
    opts.vectors = o->vectors;
    opts.seed = o->seed;
    opts.wave_path = o->wave;
    opts.activation = o->activation;
    return aimc::run_nmpu_cosim(opts, std::cout);
#else
    throw aimc::UserError("", 0, "cosim",
                          "this aimcsim was built without the RTL (configure with -DAIMCSIM_BUILD_RTL=ON and "
                          "install verilator)");
#endif
  };
});

}  // namespace
}  // namespace aimcsim
