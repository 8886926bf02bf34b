// aimcsim activations [ARCH] [--bins N]... [--json] [--set k=v]...: each activation function's error against
// float in the digital units' activation stage (numerics/ActivationStageError): max and mean |error| in
// output LSBs over every pre-activation value of the INT8 range, for the NMPU at the arch's formats and the
// FP16 LDPU, at the arch's table size and the sizes given with --bins.
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "CommandRegistry.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/isa/DigitalUnitImplFactory.h"
#include "aimc/numerics/ActivationStageError.h"

namespace aimcsim {
namespace {

struct ActivationsOptions {
  std::string arch = "arch/hermes.yaml";
  std::vector<int> bins = {10, 34};
  bool json = false;
  std::vector<std::string> sets;
};

nlohmann::json error_json(const aimc::ActivationStageError& e) {
  return {{"max_lsb", e.max_lsb}, {"mean_lsb", e.mean_lsb}, {"values", e.values}};
}

nlohmann::json activations_report(const aimc::ArchConfig& a, std::vector<int> bins) {
  const int arch_bins = static_cast<int>(a.core.digital_unit.activation_bins);
  bins.insert(bins.begin(), arch_bins);
  nlohmann::json rows = nlohmann::json::array();
  for (const int b : bins) {
    aimc::NmpuParams nmpu = aimc::nmpu_params(a);
    nmpu.activation.bins = b;
    aimc::LdpuFp16Params ldpu = aimc::ldpu_fp16_params(a);
    ldpu.activation_bins = b;
    for (const aimc::ActivationSpec& spec : aimc::example_activations()) {
      double in_lsb = 0, out_step = 0;
      aimc::activation_error_steps(spec, &in_lsb, &out_step);
      rows.push_back({{"function", spec.describe()},
                      {"bins", b},
                      {"piecewise_linear", aimc::is_piecewise_linear(spec.kind)},
                      {"in_lsb", in_lsb},
                      {"out_step", out_step},
                      {"nmpu", error_json(aimc::nmpu_activation_error(nmpu, spec, in_lsb, out_step))},
                      {"ldpu_fp16", error_json(aimc::ldpu_activation_error(ldpu, spec, in_lsb, out_step))}});
    }
  }
  const aimc::NmpuParams p = aimc::nmpu_params(a);
  return {
      {"arch", a.name},
      {"enabled_in_arch", a.core.digital_unit.activation_enabled},
      {"formats",
       {{"breakpoint", p.activation.breakpoint.describe()},
        {"value", p.activation.value.describe()},
        {"slope", p.activation.slope.describe()},
        {"accumulator", p.accumulator.describe()}}},
      {"range",
       "every pre-activation value in [-128, 127] steps (NMPU: the accumulator grid; FP16: every FP16 value, "
       "denser near 0, so its mean weighs small inputs more); in_lsb = 1/16 (x in [-8, 8)), out_step = "
       "max |f| / 127; error in output LSBs against clamp(f(x) / out_step, -128, 127)"},
      {"rows", rows}};
}

void print_text(const nlohmann::json& r, std::ostream& out) {
  out << fmt::format("{}: activation stage error against float, output LSBs ({})\n",
                     r["arch"].get<std::string>(), r["range"].get<std::string>());
  out << fmt::format("NMPU formats: breakpoint {}, value {}, slope {}\n",
                     r["formats"]["breakpoint"].get<std::string>(), r["formats"]["value"].get<std::string>(),
                     r["formats"]["slope"].get<std::string>());
  out << fmt::format("  {:<28} {:>5} {:>10} {:>10} {:>10} {:>10}\n", "function", "bins", "NMPU max",
                     "NMPU mean", "FP16 max", "FP16 mean");
  for (const auto& row : r["rows"])
    out << fmt::format("  {:<28} {:>5} {:>10.3f} {:>10.3f} {:>10.3f} {:>10.3f}\n",
                       row["function"].get<std::string>(), row["bins"].get<int>(),
                       row["nmpu"]["max_lsb"].get<double>(), row["nmpu"]["mean_lsb"].get<double>(),
                       row["ldpu_fp16"]["max_lsb"].get<double>(), row["ldpu_fp16"]["mean_lsb"].get<double>());
}

const RegisterCommand kActivations(35, [](CLI::App& app, CLI::App*& sub) -> CommandAction {
  sub = app.add_subcommand(
      "activations",
      "Error of each activation function in the digital units' activation stage against float");
  auto o = std::make_shared<ActivationsOptions>();
  sub->add_option("arch", o->arch, "Architecture file (default arch/hermes.yaml)");
  sub->add_option("--bins", o->bins, "Further table sizes to measure (default 10 34)")
      ->check(CLI::Range(3, aimc::NmpuActivationParams::kMaxBins));
  sub->add_flag("--json", o->json, "Print JSON");
  sub->add_option("--set", o->sets,
                  "Override any arch key: --set core.digital_unit.activation.format.slope=Q6.12");
  return [o] {
    aimc::ConfigSource overrides;
    for (const auto& s : o->sets) overrides.apply_override(s, "command line");
    const aimc::ArchConfig a = aimc::load_arch(o->arch, overrides);
    const nlohmann::json r = activations_report(a, o->bins);
    if (o->json)
      std::cout << r.dump(2) << '\n';
    else
      print_text(r, std::cout);
    return 0;
  };
});

}  // namespace
}  // namespace aimcsim
