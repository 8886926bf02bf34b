// aimcsim params [ARCH] [--run]: every parameter from its one declaration.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "CommandRegistry.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/RunConfig.h"

namespace aimcsim {
namespace {

template <class Cfg>
void print_params(const aimc::ParamTable<Cfg>& table, const Cfg* resolved) {
  for (const auto& e : table.entries()) {
    const auto& i = e.info;
    std::string value = i.required ? "(required)" : i.default_text;
    if (resolved) value = e.get(*resolved).dump();
    std::cout << fmt::format("{:<40} {:<7} {:<22} {}\n", i.key, i.kind_name(), value, i.description);
    std::string extra;
    if (!i.range_text().empty()) extra += "range " + i.range_text();
    if (!i.when_key.empty())
      extra += (extra.empty() ? "" : "; ") + std::string("applies ") + i.applies_text();
    if (!i.source.empty()) extra += (extra.empty() ? "" : "; ") + std::string("source: ") + i.source;
    if (!extra.empty()) std::cout << fmt::format("{:<40} {}\n", "", extra);
  }
}

const RegisterCommand kParams(20, [](CLI::App& app, CLI::App*& sub) -> CommandAction {
  sub = app.add_subcommand("params", "List every parameter: key, type, default, range, description, source");
  auto arch = std::make_shared<std::string>();
  auto run = std::make_shared<bool>(false);
  sub->add_option("arch", *arch, "Show the values this arch file resolves to");
  sub->add_flag("--run", *run, "List the run-config keys instead of the arch keys");
  return [arch, run] {
    if (*run) {
      print_params(aimc::run_params(), static_cast<const aimc::RunConfig*>(nullptr));
    } else if (arch->empty()) {
      print_params(aimc::arch_params(), static_cast<const aimc::ArchConfig*>(nullptr));
    } else {
      const aimc::ArchConfig a = aimc::load_arch(*arch);
      print_params(aimc::arch_params(), &a);
    }
    return 0;
  };
});

}  // namespace
}  // namespace aimcsim
