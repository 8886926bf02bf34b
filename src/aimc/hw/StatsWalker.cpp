#include "aimc/hw/StatsWalker.h"

#include <systemc>

#include "aimc/hw/HwModule.h"

namespace aimc {

namespace {

nlohmann::json to_json(sc_core::sc_object* obj) {
  nlohmann::json j = nlohmann::json::object();
  if (auto* m = dynamic_cast<HwModule*>(obj)) {
    nlohmann::json s = m->stats().to_json();
    if (!s.empty()) j["stats"] = s;
  }
  for (sc_core::sc_object* child : obj->get_child_objects()) {
    if (dynamic_cast<HwModule*>(child) == nullptr) continue;
    nlohmann::json c = to_json(child);
    if (!c.empty()) j[child->basename()] = c;
  }
  return j;
}

}  // namespace

nlohmann::json collect_stats() {
  nlohmann::json j = nlohmann::json::object();
  for (sc_core::sc_object* top : sc_core::sc_get_top_level_objects())
    if (dynamic_cast<HwModule*>(top) != nullptr) j[top->basename()] = to_json(top);
  return j;
}

}  // namespace aimc
