#include "aimc/config/ParamTable.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "aimc/base/Error.h"

namespace aimc {

std::string ParamInfo::kind_name() const {
  switch (kind) {
    case ParamKind::kInt:
      return "int";
    case ParamKind::kFloat:
      return "float";
    case ParamKind::kBool:
      return "bool";
    case ParamKind::kChoice:
      return "choice";
    case ParamKind::kString:
      return "string";
    case ParamKind::kPath:
      return "path";
    case ParamKind::kFloatList:
      return "list";
  }
  return "?";
}

std::string ParamInfo::range_text() const {
  if (kind == ParamKind::kChoice) {
    std::string s;
    for (const auto& c : choices) s += (s.empty() ? "" : "|") + c;
    return s;
  }
  if (kind == ParamKind::kString || kind == ParamKind::kPath || kind == ParamKind::kBool) return "";
  if (std::isinf(lo) && std::isinf(hi)) return "";
  auto fmt = [this](double v) {
    if (std::isinf(v)) return std::string(v < 0 ? "-inf" : "inf");
    char buf[48];
    std::snprintf(buf, sizeof buf, "%g%s", v, unit.symbol);
    return std::string(buf);
  };
  return "[" + fmt(lo) + ", " + fmt(hi) + "]";
}

std::string ParamInfo::applies_text() const {
  if (when_key.empty()) return "";
  std::string s;
  for (const auto& v : when_values) s += (s.empty() ? "" : "|") + v;
  return "when " + when_key + " is " + s;
}

namespace {

double parse_number(const ParamInfo& info, const std::string& text, const ConfigValue& v) {
  try {
    return parse_in_unit(text, info.unit);
  } catch (const std::invalid_argument& e) {
    throw UserError(v.file, v.line, info.key, e.what());
  }
}

void check_range(const ParamInfo& info, double x, const ConfigValue& v, const std::string& text) {
  if (x < info.lo || x > info.hi)
    throw UserError(v.file, v.line, info.key, "value " + text + " is out of range " + info.range_text());
}

// A list key given one text (a --set value, a sweep's `set:`): its comma-separated items.
ConfigValue split_commas(const ConfigValue& v) {
  ConfigValue out = v;
  out.items.clear();
  out.is_list = true;
  const std::string& text = v.items[0];
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    out.items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string parse_path(const ParamInfo& info, const ConfigValue& v) {
  // Relative paths are relative to the file that names them (the command line: the working directory).
  std::string p = v.items[0];
  if (p.empty()) {
    if (info.required) throw UserError(v.file, v.line, info.key, "is empty: give a file");
    return p;
  }
  if (p[0] != '/' && !v.file.empty() && v.line != 0) {
    const auto slash = v.file.rfind('/');
    if (slash != std::string::npos) p = v.file.substr(0, slash + 1) + p;
  }
  if (info.input_file) {
    std::error_code ec;
    const auto st = std::filesystem::status(p, ec);
    if (!std::filesystem::exists(st)) throw UserError(v.file, v.line, info.key, "'" + p + "': no such file");
    if (!std::filesystem::is_regular_file(st))
      throw UserError(v.file, v.line, info.key, "'" + p + "' is not a regular file");
  }
  return p;
}

}  // namespace

ParamValue parse_param_value(const ParamInfo& info, const ConfigValue& v) {
  if (v.is_map)
    throw UserError(v.file, v.line, info.key,
                    info.kind == ParamKind::kFloatList ? "expected a list of values, got a map {}"
                                                       : "expected a single value, got a map {}");
  if (info.kind == ParamKind::kFloatList && !v.is_list && v.items.size() == 1)
    return parse_param_value(info, split_commas(v));
  if (info.kind == ParamKind::kString && info.joins_list && !v.items.empty()) {
    std::string joined;
    for (const auto& t : v.items) joined += (joined.empty() ? "" : ",") + t;
    return joined;
  }
  if (info.kind != ParamKind::kFloatList && v.is_list)
    throw UserError(v.file, v.line, info.key, "expected a single value, got a list");
  if (info.kind != ParamKind::kFloatList && v.items.size() != 1)
    throw UserError(v.file, v.line, info.key, "expected a single value");
  switch (info.kind) {
    case ParamKind::kInt: {
      const std::string& t = v.items[0];
      const double x = parse_number(info, t, v);
      if (std::floor(x) != x || std::fabs(x) > 9.0e15)
        throw UserError(v.file, v.line, info.key, "expected a whole number, got '" + t + "'");
      check_range(info, x, v, t);
      return static_cast<int64_t>(x);
    }
    case ParamKind::kFloat: {
      const double x = parse_number(info, v.items[0], v);
      check_range(info, x, v, v.items[0]);
      return x;
    }
    case ParamKind::kBool: {
      const std::string& t = v.items[0];
      if (t == "true" || t == "yes" || t == "on") return true;
      if (t == "false" || t == "no" || t == "off") return false;
      throw UserError(v.file, v.line, info.key, "expected true or false, got '" + t + "'");
    }
    case ParamKind::kChoice: {
      const std::string& t = v.items[0];
      if (std::find(info.choices.begin(), info.choices.end(), t) == info.choices.end())
        throw UserError(v.file, v.line, info.key, "'" + t + "' is not one of " + info.range_text());
      return t;
    }
    case ParamKind::kString:
      return v.items[0];
    case ParamKind::kPath:
      return parse_path(info, v);
    case ParamKind::kFloatList: {
      std::vector<double> out;
      if (v.items.empty()) throw UserError(v.file, v.line, info.key, "expected at least one value");
      for (const auto& t : v.items) {
        const double x = parse_number(info, t, v);
        check_range(info, x, v, t);
        out.push_back(x);
      }
      return out;
    }
  }
  AIMC_ASSERT(false);
  return int64_t{0};
}

std::string closest_key(const std::string& key, const std::vector<std::string>& candidates) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  std::string best;
  size_t best_d = std::max<size_t>(3, key.size() / 4) + 1;
  for (const auto& c : candidates) {
    const size_t d = distance(key, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace aimc
