#include "aimc/base/Stats.h"

#include "aimc/base/Error.h"

namespace aimc {

Stat& StatGroup::add(const std::string& name, const std::string& unit, const std::string& description) {
  AIMC_ASSERT_MSG(find(name) == nullptr, name.c_str());
  stats_.push_back(std::make_unique<Stat>(name, unit, description));
  return *stats_.back();
}

void StatGroup::add_formula(const std::string& name, const std::string& unit, const std::string& description,
                            std::function<double()> formula) {
  formulas_.push_back({name, unit, description, std::move(formula)});
}

const Stat* StatGroup::find(const std::string& name) const {
  for (const auto& s : stats_)
    if (s->name() == name) return s.get();
  return nullptr;
}

double StatGroup::value(const std::string& name) const {
  const Stat* s = find(name);
  return s ? s->value() : 0.0;
}

nlohmann::json StatGroup::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& s : stats_)
    j[s->name()] = {{"value", s->value()}, {"unit", s->unit()}, {"desc", s->description()}};
  for (const auto& f : formulas_) j[f.name] = {{"value", f.fn()}, {"unit", f.unit}, {"desc", f.description}};
  return j;
}

}  // namespace aimc
