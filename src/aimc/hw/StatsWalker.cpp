#include "aimc/hw/StatsWalker.h"

#include <functional>
#include <systemc>

#include "aimc/hw/HwModule.h"

namespace aimc {

namespace {

void walk(sc_core::sc_object* obj, const std::function<void(HwModule&)>& fn) {
  if (auto* m = dynamic_cast<HwModule*>(obj)) fn(*m);
  for (sc_core::sc_object* child : obj->get_child_objects()) walk(child, fn);
}

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

double sum_stat(const std::string& module, const std::string& stat) {
  double total = 0;
  for (sc_core::sc_object* top : sc_core::sc_get_top_level_objects())
    walk(top, [&](HwModule& m) {
      if (module == m.basename()) total += m.stats().value(stat);
    });
  return total;
}

}  // namespace aimc
