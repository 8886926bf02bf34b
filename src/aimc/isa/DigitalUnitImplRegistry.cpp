#include "aimc/isa/DigitalUnitImplRegistry.h"

#include <map>

namespace aimc {

namespace {
// Function-local static: safe to use from other translation units' static initialisers.
std::map<std::string, DigitalUnitImplRegistry::Factory>& factories() {
  static std::map<std::string, DigitalUnitImplRegistry::Factory> f;
  return f;
}
}  // namespace

void DigitalUnitImplRegistry::add(const std::string& impl, Factory factory) {
  factories()[impl] = std::move(factory);
}

const DigitalUnitImplRegistry::Factory* DigitalUnitImplRegistry::find(const std::string& impl) {
  auto it = factories().find(impl);
  return it == factories().end() ? nullptr : &it->second;
}

}  // namespace aimc
