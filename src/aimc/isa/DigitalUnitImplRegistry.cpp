#include "aimc/isa/DigitalUnitImplRegistry.h"

#include <map>

namespace aimc {

namespace {
// Function-local static: safe to use from other translation units' static initialisers.
std::map<DigitalUnitImplKind, DigitalUnitImplRegistry::Factory>& factories() {
  static std::map<DigitalUnitImplKind, DigitalUnitImplRegistry::Factory> f;
  return f;
}
}  // namespace

void DigitalUnitImplRegistry::add(DigitalUnitImplKind impl, Factory factory) {
  factories()[impl] = std::move(factory);
}

const DigitalUnitImplRegistry::Factory* DigitalUnitImplRegistry::find(DigitalUnitImplKind impl) {
  auto it = factories().find(impl);
  return it == factories().end() ? nullptr : &it->second;
}

}  // namespace aimc
