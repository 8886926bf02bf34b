#pragma once
// Every parameter declared once: key path, type, unit, default, allowed range, one-line description and the
// source of its default. The same declaration applies defaults, parses and validates YAML values, prints
// `aimcsim params` and writes the resolved config into the report (Ramulator's
// param<T>().desc().default_val(), gem5's Param.Latency("30ns", "...")).
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "aimc/base/EnumNames.h"
#include "aimc/base/Error.h"
#include "aimc/base/Units.h"
#include "aimc/config/ConfigSource.h"

namespace aimc {

// A key set while the choice it depends on ignores it (ParamInfo::applies_when). Its own type so that a sweep
// can refuse as a whole instead of running points that differ only in a value nothing reads.
class IgnoredKeyError : public UserError {
 public:
  using UserError::UserError;
};

enum class ParamKind { kInt, kFloat, kBool, kChoice, kString, kPath, kFloatList };

struct ParamInfo {
  std::string key;
  ParamKind kind = ParamKind::kInt;
  Unit unit;                 // the unit the field is stored in; YAML values carry any unit of that dimension
  std::string default_text;  // as a user would write it; empty and required = must be given
  bool required = false;
  double lo = -std::numeric_limits<double>::infinity();  // in the field's unit
  double hi = std::numeric_limits<double>::infinity();
  std::vector<std::string> choices;
  // kString only: a list (a YAML sequence, or a comma-separated --set value) is accepted as its items joined
  // by ',' (a key that names several things, e.g. output.activations' layer names).
  bool joins_list = false;
  // kPath only: an input that must exist as a regular file when given (an empty value is then refused for a
  // required key and means "none" otherwise); checked where the value is read, so the error names the config
  // file, line and key rather than only the path.
  bool input_file = false;
  std::string description;
  std::string source;  // provenance of the default: a paper and table, or the model it comes from
  // The key has an effect only when the choice key `when_key` has one of `when_values` (e.g. core.adc.bits
  // only for the SAR, flash and ideal ADCs); empty = always. Setting it while the choice ignores it is an
  // error (ParamTable::resolve), and `aimcsim params` shows the condition.
  std::string when_key;
  std::vector<std::string> when_values;

  ParamInfo& applies_when(std::string key, std::vector<std::string> values) {
    when_key = std::move(key);
    when_values = std::move(values);
    return *this;
  }
  std::string kind_name() const;
  std::string range_text() const;
  std::string applies_text() const;  // "when core.adc.kind is sar|flash|ideal", or ""
};

// A declaration in one call: key, kind, unit, default (as a user writes it), range in the field's unit,
// description and source.
inline ParamInfo make_param(const char* key, ParamKind kind, Unit unit, const char* def, double lo, double hi,
                            const char* desc, const char* src) {
  ParamInfo i;
  i.key = key;
  i.kind = kind;
  i.unit = unit;
  i.default_text = def;
  i.lo = lo;
  i.hi = hi;
  i.description = desc;
  i.source = src;
  return i;
}

using ParamValue = std::variant<int64_t, double, bool, std::string, std::vector<double>>;

// Parses one value for `info` (throws UserError naming file, line and key).
ParamValue parse_param_value(const ParamInfo& info, const ConfigValue& v);

template <class Cfg>
class ParamTable {
 public:
  struct Entry {
    ParamInfo info;
    std::function<void(Cfg&, const ParamValue&)> set;
    std::function<nlohmann::json(const Cfg&)> get;
  };

  // `field` is a callable returning a reference to the field, e.g. AIMC_FIELD(core.adc.bits).
  // `info` is a sink, moved into the entry; clang-tidy 14 misses the std::move because `e.info = ...` is
  // type-dependent inside the class template.
  template <class F>
  ParamInfo& add(ParamInfo info, F field) {  // NOLINT(performance-unnecessary-value-param): see above
    Entry e;
    e.info = std::move(info);
    using T = std::remove_reference_t<decltype(field(std::declval<Cfg&>()))>;
    if constexpr (std::is_enum_v<T>) {
      // An enum field's choices, parsing and printing are its enum's one name table (base/EnumNames.h): the
      // declaration lists no names of its own.
      AIMC_ASSERT_MSG(e.info.kind == ParamKind::kChoice && e.info.choices.empty(),
                      "declare an enum key with choice(): its names are the enum's table");
      for (const EnumName<T>& n : enum_names(T{})) e.info.choices.emplace_back(n.name);
      e.set = [field](Cfg& c, const ParamValue& v) {
        const bool named = parse_enum(std::get<std::string>(v), &field(c));
        AIMC_ASSERT(named);  // parse_param_value() accepted only the table's names
      };
      e.get = [field](const Cfg& c) { return nlohmann::json(enum_name(field(const_cast<Cfg&>(c)))); };
    } else {
      e.set = [field](Cfg& c, const ParamValue& v) { assign(field(c), v); };
      e.get = [field](const Cfg& c) { return nlohmann::json(field(const_cast<Cfg&>(c))); };
    }
    entries_.push_back(std::move(e));
    index_[entries_.back().info.key] = entries_.size() - 1;
    return entries_.back().info;
  }

  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* find(const std::string& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &entries_[it->second];
  }
  bool has_prefix(const std::string& section) const {
    const std::string p = section + ".";
    for (const auto& e : entries_)
      if (e.info.key.compare(0, p.size(), p) == 0) return true;
    return false;
  }

  // Defaults first, then every value of `src`; unknown keys, missing required keys, type and range errors
  // are UserErrors naming the file, line and key. `what` names the kind of file with its article ("an arch
  // file", "a run config").
  void resolve(Cfg& cfg, const ConfigSource& src, const std::string& what,
               std::map<std::string, ConfigValue>* origins = nullptr) const {
    for (const auto& e : entries_)
      if (!e.info.required)
        e.set(cfg, parse_param_value(e.info, ConfigValue{{e.info.default_text}, false, "", 0}));
    for (const auto& [key, value] : src.values()) {
      const Entry* e = find(key);
      if (!e && value.is_map && has_prefix(key)) continue;  // an empty section sets nothing
      if (!e) throw UserError(value.file, value.line, key, unknown_key_reason(key, what));
      e->set(cfg, parse_param_value(e->info, value));
      if (origins) (*origins)[key] = value;
    }
    for (const auto& e : entries_)
      if (e.info.required && !src.has(e.info.key))
        throw UserError(src.main_file(), 0, e.info.key, "missing required key (" + e.info.description + ")");
    check_applies(cfg, src);
  }

  // A key set while the choice it depends on ignores it: an error naming the key, where it was set, and the
  // choice. Left-overs of an earlier layer than the choice (ConfigLayer) are not the user's doing and pass.
  void check_applies(const Cfg& cfg, const ConfigSource& src) const {
    for (const auto& [key, value] : src.values()) {
      const Entry* e = find(key);
      if (!e || e->info.when_key.empty()) continue;
      const Entry* when = find(e->info.when_key);
      AIMC_ASSERT_MSG(when != nullptr, "applies_when names an undeclared key");
      const std::string chosen = when->get(cfg).template get<std::string>();
      const auto& ok = e->info.when_values;
      if (std::find(ok.begin(), ok.end(), chosen) != ok.end()) continue;
      const auto it = src.values().find(e->info.when_key);
      // The choice was made over the value's file (a later layer, or a later file of the same layer): the
      // value is inherited, not given for this choice.
      if (it != src.values().end() && (it->second.layer > value.layer ||
                                       (it->second.layer == value.layer && it->second.order > value.order)))
        continue;
      throw IgnoredKeyError(value.file, value.line, key,
                            "has no effect when " + e->info.when_key + " is " + chosen + " (it applies " +
                                e->info.applies_text() + "); remove it or choose a kind that uses it");
    }
  }

  nlohmann::json to_json(const Cfg& cfg) const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& e : entries_) j[e.info.key] = e.get(cfg);
    return j;
  }

 private:
  template <class T>
  static void assign(T& field, const ParamValue& v) {
    if constexpr (std::is_same_v<T, bool>) {
      field = std::get<bool>(v);
    } else if constexpr (std::is_integral_v<T>) {
      field = static_cast<T>(std::get<int64_t>(v));
    } else if constexpr (std::is_floating_point_v<T>) {
      field = static_cast<T>(std::get<double>(v));
    } else if constexpr (std::is_same_v<T, std::string>) {
      field = std::get<std::string>(v);
    } else {
      field = std::get<std::vector<double>>(v);
    }
  }

  std::string unknown_key_reason(const std::string& key, const std::string& what) const;

  std::vector<Entry> entries_;
  std::map<std::string, size_t> index_;
};

// Closest declared key by edit distance, for "did you mean" hints; empty if nothing is close.
std::string closest_key(const std::string& key, const std::vector<std::string>& candidates);

template <class Cfg>
std::string ParamTable<Cfg>::unknown_key_reason(const std::string& key, const std::string& what) const {
  const auto dot = key.rfind('.');
  if (find(key.substr(0, dot)) != nullptr && dot != std::string::npos)
    return "'" + key.substr(0, dot) + "' takes a value, not a map";
  if (has_prefix(key)) return "is a section: give its keys, not a value";
  std::vector<std::string> keys;
  for (const auto& e : entries_) keys.push_back(e.info.key);
  std::string reason = "unknown key in " + what;
  const std::string hint = closest_key(key, keys);
  if (!hint.empty()) reason += " (did you mean '" + hint + "'?)";
  return reason + "; `aimcsim params` lists every key";
}

}  // namespace aimc

// A reference to a nested field of the config struct, named by the same path as its member access.
// NOLINTNEXTLINE(bugprone-macro-parentheses): `path` is a member path (a.b.c) and cannot be parenthesised.
#define AIMC_FIELD(path) ([](auto& c) -> auto& { return c.path; })
