#pragma once
// Statistics by name, unit and description, in a group per hardware block (gem5's ADD_STAT, DRAMSys's
// statistics groups). Groups nest like the module hierarchy; the report walks them into JSON.
// Plain C++: the SystemC modules own a StatGroup each; the walker lives in hw/.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace aimc {

class Stat {
 public:
  Stat(std::string name, std::string unit, std::string description)
      : name_(std::move(name)), unit_(std::move(unit)), description_(std::move(description)) {}
  Stat& operator+=(double v) {
    value_ += v;
    return *this;
  }
  Stat& operator++() {
    value_ += 1.0;
    return *this;
  }
  void set(double v) { value_ = v; }
  double value() const { return value_; }
  const std::string& name() const { return name_; }
  const std::string& unit() const { return unit_; }
  const std::string& description() const { return description_; }

 private:
  std::string name_;
  std::string unit_;
  std::string description_;
  double value_ = 0.0;  // counts stay exact up to 2^53
};

class StatGroup {
 public:
  explicit StatGroup(std::string name) : name_(std::move(name)) {}
  StatGroup(const StatGroup&) = delete;
  StatGroup& operator=(const StatGroup&) = delete;

  // Registers a stat; the name must be unique in the group (an internal invariant).
  Stat& add(const std::string& name, const std::string& unit, const std::string& description);
  // A derived figure, computed when read (defined once, next to the stats it derives from).
  void add_formula(const std::string& name, const std::string& unit, const std::string& description,
                   std::function<double()> formula);

  const std::string& name() const { return name_; }
  const Stat* find(const std::string& name) const;
  double value(const std::string& name) const;  // 0 if absent
  const std::vector<std::unique_ptr<Stat>>& stats() const { return stats_; }

  // {"<stat>": {"value": v, "unit": u, "desc": d}, ...}; formulas included.
  nlohmann::json to_json() const;

 private:
  struct Formula {
    std::string name, unit, description;
    std::function<double()> fn;
  };
  std::string name_;
  std::vector<std::unique_ptr<Stat>> stats_;
  std::vector<Formula> formulas_;
};

}  // namespace aimc
