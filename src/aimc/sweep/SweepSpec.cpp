#include "aimc/sweep/SweepSpec.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "aimc/base/Error.h"
#include "aimc/base/InputFile.h"
#include "aimc/base/Rng.h"
#include "aimc/config/YamlTree.h"

namespace aimc {
namespace {

namespace fs = std::filesystem;

int line_of(const YAML::Node& n) {
  return n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

[[noreturn]] void fail(const std::string& file, const YAML::Node& n, const std::string& key,
                       const std::string& reason) {
  throw UserError(file, line_of(n), key, reason);
}

std::string scalar(const std::string& file, const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) fail(file, n, key, "expected a scalar value");
  return n.Scalar();
}

// "1e6s" -> (1e6, "s"); the suffix is kept so that ranges over unit-carrying keys stay in the same unit.
struct Quantity {
  double value;
  std::string unit;
  bool integral;
};

Quantity parse_quantity(const std::string& file, const YAML::Node& n, const std::string& key) {
  const std::string s = scalar(file, n, key);
  const char* begin = s.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(v)) fail(file, n, key, "'" + s + "' is not a number");
  std::string unit(end);
  unit.erase(0, unit.find_first_not_of(' '));
  const std::string number(begin, static_cast<size_t>(end - begin));
  const bool integral = number.find_first_of(".eE") == std::string::npos && std::floor(v) == v;
  return {v, unit, integral};
}

std::string format_number(double v, bool integral, const std::string& unit) {
  if (integral) return fmt::format("{}{}", static_cast<long long>(std::llround(v)), unit);
  return fmt::format("{:.10g}{}", v, unit);
}

std::vector<std::string> expand_range(const std::string& file, const YAML::Node& n, const std::string& key) {
  static const std::set<std::string> kKnown = {"from", "to", "step", "count", "scale"};
  for (const auto& kv : n) {
    const std::string k = kv.first.as<std::string>();
    if (!kKnown.count(k))
      fail(file, kv.first, fmt::format("{}.{}", key, k),
           "unknown range field (from, to, step, count, scale)");
  }
  if (!n["from"] || !n["to"]) fail(file, n, key, "a range needs 'from' and 'to'");
  const Quantity from = parse_quantity(file, n["from"], key + ".from");
  const Quantity to = parse_quantity(file, n["to"], key + ".to");
  if (from.unit != to.unit)
    fail(file, n["to"], key + ".to",
         "unit '" + to.unit + "' differs from the unit of 'from' ('" + from.unit + "')");
  const std::string scale = n["scale"] ? scalar(file, n["scale"], key + ".scale") : "linear";
  std::vector<std::string> out;
  if (scale == "log") {
    if (n["step"]) fail(file, n["step"], key + ".step", "a log range takes 'count', not 'step'");
    if (!n["count"]) fail(file, n, key, "a log range needs 'count'");
    const Quantity count = parse_quantity(file, n["count"], key + ".count");
    if (!count.integral || count.value < 2 || count.value > 1e6)
      fail(file, n["count"], key + ".count", "must be an integer in [2, 1000000]");
    if (from.value <= 0 || to.value <= 0) fail(file, n, key, "a log range needs 'from' and 'to' > 0");
    const bool integral = from.integral && to.integral;
    const int c = static_cast<int>(count.value);
    for (int i = 0; i < c; ++i) {
      // Ends exactly as written; the interior geometric.
      const double v = i == 0       ? from.value
                       : i == c - 1 ? to.value
                                    : from.value * std::pow(to.value / from.value, double(i) / (c - 1));
      const std::string s = format_number(v, integral, from.unit);
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    return out;
  }
  if (scale != "linear") fail(file, n["scale"], key + ".scale", "must be 'linear' or 'log'");
  if (n["count"] && n["step"]) fail(file, n["count"], key + ".count", "give 'step' or 'count', not both");
  if (n["count"]) {
    const Quantity count = parse_quantity(file, n["count"], key + ".count");
    if (!count.integral || count.value < 2 || count.value > 1e6)
      fail(file, n["count"], key + ".count", "must be an integer in [2, 1000000]");
    const int c = static_cast<int>(count.value);
    for (int i = 0; i < c; ++i)
      out.push_back(format_number(from.value + (to.value - from.value) * i / (c - 1), false, from.unit));
    return out;
  }
  const Quantity step = n["step"] ? parse_quantity(file, n["step"], key + ".step") : Quantity{1, "", true};
  if (step.value == 0 || (to.value - from.value) / step.value < 0)
    fail(file, n["step"] ? n["step"] : n, key + ".step", "does not lead from 'from' to 'to'");
  const double steps = std::floor((to.value - from.value) / step.value + 1e-9);
  if (steps > 1e6) fail(file, n, key, "more than a million values");
  const bool integral = from.integral && to.integral && step.integral;
  for (int i = 0; i <= static_cast<int>(steps); ++i)
    out.push_back(format_number(from.value + i * step.value, integral, from.unit));
  return out;
}

std::string stem_of(const std::string& path) {
  return fs::path(path).stem().string();
}

}  // namespace

std::string unit_from_path(const std::string& path) {
  std::string last = path.substr(path.rfind('.') + 1);
  std::transform(last.begin(), last.end(), last.begin(), ::tolower);
  auto ends = [&](const std::string& s) {
    return last.size() >= s.size() && last.compare(last.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("tops_per_w")) return "TOPS/W";
  if (ends("samples_per_s")) return "samples/s";
  static const std::vector<std::pair<std::string, std::string>> kSuffix = {
      {"_ns", "ns"},   {"_us", "us"}, {"_ms", "ms"},   {"_s", "s"},           {"_j", "J"},
      {"_nj", "nJ"},   {"_pj", "pJ"}, {"_w", "W"},     {"_mw", "mW"},         {"_mm2", "mm²"},
      {"_um2", "µm²"}, {"_hz", "Hz"}, {"_mhz", "MHz"}, {"_cycles", "cycles"}, {"_bits", "bit"}};
  for (const auto& [suffix, unit] : kSuffix)
    if (ends(suffix)) return unit;
  if (last == "accuracy" || ends("_accuracy") || ends("agreement_with_float") || ends("utilisation"))
    return "fraction";
  return "";
}

nlohmann::json json_at_path(const nlohmann::json& j, const std::string& path) {
  const nlohmann::json* cur = &j;
  size_t pos = 0;
  while (pos <= path.size()) {
    const size_t dot = path.find('.', pos);
    const std::string seg = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (cur->is_object()) {
      // A key may itself hold dots (the report's config section uses flat keys such as "workload.batch"):
      // try the longest remaining key first.
      const std::string rest = path.substr(pos);
      if (cur->contains(rest)) return (*cur)[rest];
      if (!cur->contains(seg)) return nullptr;
      cur = &(*cur)[seg];
    } else if (cur->is_array()) {
      char* end = nullptr;
      const long idx = std::strtol(seg.c_str(), &end, 10);
      if (seg.empty() || *end != '\0' || idx < 0 || static_cast<size_t>(idx) >= cur->size()) return nullptr;
      cur = &(*cur)[static_cast<size_t>(idx)];
    } else {
      return nullptr;
    }
    if (dot == std::string::npos) return *cur;
    pos = dot + 1;
  }
  return *cur;
}

namespace {

// axes: key path -> [values] or a range; under combine: zip, all of one length.
void parse_axes(const std::string& f, const YAML::Node& root, SweepSpec& s) {
  const YAML::Node axes = root["axes"];
  if (!axes) throw UserError(f, 1, "axes", "missing: at least one axis (key: [values])");
  if (!axes.IsMap() || axes.size() == 0) fail(f, axes, "axes", "expected a mapping of key path -> values");
  for (const auto& kv : axes) {
    SweepAxis a;
    a.key = kv.first.as<std::string>();
    a.line = line_of(kv.first);
    const std::string key = "axes." + a.key;
    if (a.key.find('=') != std::string::npos || a.key.empty()) fail(f, kv.first, key, "not a key path");
    for (const auto& [fk, fv] : s.fixed)
      if (fk == a.key) fail(f, kv.first, key, "also fixed under 'set:'");
    if (kv.second.IsSequence()) {
      // `~` leaves the key unset at that point (a zip whose points choose kinds that ignore the key).
      for (const auto& item : kv.second) a.values.push_back(item.IsNull() ? "" : scalar(f, item, key));
    } else if (kv.second.IsMap()) {
      a.values = expand_range(f, kv.second, key);
    } else {
      fail(f, kv.second, key, "expected a list [a, b, ...] or a range {from, to, step|count, scale}");
    }
    if (a.values.empty()) fail(f, kv.second, key, "no values");
    s.axes.push_back(std::move(a));
  }
  if (s.combine == SweepSpec::Combine::kZip)
    for (const auto& a : s.axes)
      if (a.values.size() != s.axes.front().values.size())
        throw UserError(f, a.line, "axes." + a.key,
                        fmt::format("combine: zip needs axes of equal length ({} values here, {} in '{}')",
                                    a.values.size(), s.axes.front().values.size(), s.axes.front().key));
}

// metrics: name -> dotted report path (or {path, unit}), or a list of paths; names unique.
void parse_metrics(const std::string& f, const YAML::Node& root, SweepSpec& s) {
  const YAML::Node metrics = root["metrics"];
  if (!metrics) throw UserError(f, 1, "metrics", "missing: the report values to keep (name: dotted.path)");
  if (metrics.IsSequence()) {
    for (const auto& item : metrics) {
      const std::string p = scalar(f, item, "metrics");
      s.metrics.push_back({p, p, unit_from_path(p)});
    }
  } else if (metrics.IsMap()) {
    for (const auto& kv : metrics) {
      SweepMetric m;
      m.name = kv.first.as<std::string>();
      const std::string key = "metrics." + m.name;
      if (kv.second.IsMap()) {
        for (const auto& field : kv.second) {
          const std::string fk = field.first.as<std::string>();
          if (fk != "path" && fk != "unit")
            fail(f, field.first, fmt::format("{}.{}", key, fk), "unknown field (path, unit)");
        }
        if (!kv.second["path"]) fail(f, kv.second, key, "needs 'path'");
        m.path = scalar(f, kv.second["path"], key + ".path");
        m.unit = kv.second["unit"] ? scalar(f, kv.second["unit"], key + ".unit") : unit_from_path(m.path);
      } else {
        m.path = scalar(f, kv.second, key);
        m.unit = unit_from_path(m.path);
      }
      s.metrics.push_back(std::move(m));
    }
  } else {
    fail(f, metrics, "metrics", "expected a mapping name: path (or a list of paths)");
  }
  if (s.metrics.empty()) fail(f, metrics, "metrics", "no metrics");
  std::set<std::string> names;
  for (const auto& m : s.metrics)
    if (!names.insert(m.name).second) fail(f, metrics, "metrics." + m.name, "named twice");
}

bool names_axis_or_metric(const SweepSpec& s, const std::string& name) {
  for (const auto& a : s.axes)
    if (a.key == name) return true;
  for (const auto& m : s.metrics)
    if (m.name == name) return true;
  return false;
}

// One `plot:` mapping; its x, y, y2 and group must name axes or metrics of this sweep.
SweepPlot parse_plot(const std::string& f, const YAML::Node& n, const SweepSpec& s) {
  if (!n.IsMap())
    fail(f, n, "plot", "expected a mapping (x, y, y2, group, x_label, y_label, y2_label, title, log_x)");
  SweepPlot p;
  const std::pair<const char*, std::string*> fields[] = {{"x", &p.x},
                                                         {"y", &p.y},
                                                         {"y2", &p.y2},
                                                         {"group", &p.group},
                                                         {"x_label", &p.x_label},
                                                         {"y_label", &p.y_label},
                                                         {"y2_label", &p.y2_label},
                                                         {"title", &p.title}};
  for (const auto& kv : n) {
    const std::string k = kv.first.as<std::string>();
    bool known = k == "log_x";
    for (const auto& [name, field] : fields)
      if (k == name) {
        *field = scalar(f, kv.second, "plot." + k);
        known = true;
      }
    if (!known)
      fail(f, kv.first, "plot." + k,
           "unknown field (x, y, y2, group, x_label, y_label, y2_label, title, log_x)");
  }
  if (const YAML::Node log_x = n["log_x"]) {
    const std::string v = scalar(f, log_x, "plot.log_x");
    if (v != "true" && v != "false") fail(f, log_x, "plot.log_x", "must be true or false, not '" + v + "'");
    p.log_x = v == "true";
  }
  if (p.x.empty() || p.y.empty()) fail(f, n, "plot", "needs x (an axis) and y (a metric)");
  std::vector<std::pair<std::string, std::string>> named = {
      {"plot.y", p.y}, {"plot.y2", p.y2}, {"plot.group", p.group}};
  for (size_t at = 0, plus; at <= p.x.size(); at = plus + 1) {
    plus = std::min(p.x.find('+', at), p.x.size());
    named.emplace_back("plot.x", p.x.substr(at, plus - at));
  }
  for (const auto& [key, name] : named)
    if ((key == "plot.x" || !name.empty()) && !names_axis_or_metric(s, name))
      fail(f, n, key, "'" + name + "' is neither an axis key nor a metric name of this sweep");
  return p;
}

void parse_plots(const std::string& f, const YAML::Node& root, SweepSpec& s) {
  const YAML::Node plot = root["plot"];
  if (!plot) return;
  if (plot.IsSequence()) {
    for (const auto& item : plot) s.plots.push_back(parse_plot(f, item, s));
  } else {
    s.plots.push_back(parse_plot(f, plot, s));
  }
}

}  // namespace

std::vector<std::string> SweepPlot::script_args() const {
  std::vector<std::string> a = {"--x", x, "--y", y};
  const std::pair<const char*, const std::string*> optional[] = {
      {"--y2", &y2},           {"--group", &group},       {"--x-label", &x_label},
      {"--y-label", &y_label}, {"--y2-label", &y2_label}, {"--title", &title}};
  for (const auto& [flag, value] : optional)
    if (!value->empty()) a.insert(a.end(), {flag, *value});
  if (log_x) a.emplace_back("--log-x");
  return a;
}

SweepSpec SweepSpec::load(const std::string& path) {
  SweepSpec s;
  std::error_code ec;
  s.file = fs::absolute(path, ec).lexically_normal().string();
  // The config layer's strict reader first (YamlTree.h): a duplicate key, a complex key, an alias inside its
  // own node (which yaml-cpp's node tree would recurse into for ever), a second document or a file beyond the
  // size and depth limits is an error naming the line before yaml-cpp builds its tree.
  const std::string text = read_config_text(path);
  parse_yaml_tree(text, path);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw UserError(path, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", "malformed YAML: " + e.msg);
  }
  const std::string& f = s.file;
  if (!root.IsMap()) throw UserError(f, 1, "", "a sweep file is a mapping (base, axes, metrics, ...)");
  static const std::set<std::string> kKnown = {"name", "command", "base", "set",     "combine", "samples",
                                               "seed", "timeout", "axes", "metrics", "plot"};
  for (const auto& kv : root) {
    const std::string k = kv.first.as<std::string>();
    if (!kKnown.count(k))
      fail(f, kv.first, k,
           "unknown key (name, command, base, set, combine, samples, seed, timeout, axes, metrics, plot)");
  }
  const fs::path dir = fs::path(f).parent_path();
  s.name = root["name"] ? scalar(f, root["name"], "name") : stem_of(f);
  // The name becomes a file name under out/sweeps (the default --db) and in the Slurm job's name.
  if (s.name.empty() || s.name == "." || s.name == ".." ||
      s.name.find_first_of(std::string("/\\\0", 3)) != std::string::npos)
    fail(f, root["name"], "name",
         "'" + s.name +
             "' is not a file name (no '/', '\\', '.' or '..'): the results go to out/sweeps/<name>.db");
  s.command = root["command"] ? scalar(f, root["command"], "command") : "run";
  if (s.command != "run" && s.command != "area")
    fail(f, root["command"], "command", "must be 'run' or 'area', not '" + s.command + "'");
  if (!root["base"])
    throw UserError(f, 1, "base", "missing: the run config (or arch file for command: area)");
  const std::string base = scalar(f, root["base"], "base");
  s.base = (fs::path(base).is_absolute() ? fs::path(base) : dir / base).lexically_normal().string();
  if (!fs::is_regular_file(s.base)) fail(f, root["base"], "base", "file not found: " + s.base);

  if (const YAML::Node set = root["set"]) {
    if (!set.IsMap()) fail(f, set, "set", "expected a mapping of key: value");
    for (const auto& kv : set) {
      const std::string k = kv.first.as<std::string>();
      std::string v;
      if (kv.second.IsSequence()) {
        for (const auto& item : kv.second) v += (v.empty() ? "" : ",") + scalar(f, item, "set." + k);
      } else {
        v = scalar(f, kv.second, "set." + k);
      }
      s.fixed.emplace_back(k, v);
    }
  }

  const std::string combine = root["combine"] ? scalar(f, root["combine"], "combine") : "grid";
  if (combine == "grid")
    s.combine = Combine::kGrid;
  else if (combine == "zip")
    s.combine = Combine::kZip;
  else if (combine == "random")
    s.combine = Combine::kRandom;
  else
    fail(f, root["combine"], "combine", "must be grid, zip or random, not '" + combine + "'");
  if (s.combine == Combine::kRandom) {
    if (!root["samples"])
      throw UserError(f, line_of(root["combine"]), "samples", "combine: random needs 'samples'");
    const Quantity n = parse_quantity(f, root["samples"], "samples");
    if (!n.integral || n.value < 1 || n.value > 1e7)
      fail(f, root["samples"], "samples", "must be an integer >= 1");
    s.samples = static_cast<int64_t>(n.value);
    if (root["seed"]) {
      const Quantity sd = parse_quantity(f, root["seed"], "seed");
      if (!sd.integral || sd.value < 0) fail(f, root["seed"], "seed", "must be an integer >= 0");
      s.sample_seed = static_cast<uint64_t>(sd.value);
    }
  } else {
    if (root["samples"]) fail(f, root["samples"], "samples", "only meaningful with combine: random");
    if (root["seed"])
      fail(
          f, root["seed"], "seed",
          "the sampling seed is only meaningful with combine: random (sweep the simulation seed as an axis)");
  }
  if (root["timeout"]) {
    const Quantity t = parse_quantity(f, root["timeout"], "timeout");
    double scale = 1;
    if (t.unit == "ms")
      scale = 1e-3;
    else if (t.unit == "min")
      scale = 60;
    else if (t.unit == "h")
      scale = 3600;
    else if (!t.unit.empty() && t.unit != "s")
      fail(f, root["timeout"], "timeout", "unit must be ms, s, min or h");
    if (t.value <= 0) fail(f, root["timeout"], "timeout", "must be > 0");
    s.timeout_s = t.value * scale;
  }

  parse_axes(f, root, s);
  parse_metrics(f, root, s);
  parse_plots(f, root, s);
  return s;
}

std::vector<SweepPoint> SweepSpec::expand() const {
  std::vector<std::vector<size_t>> choices;  // per point, the value index of each axis
  if (combine == Combine::kZip) {
    for (size_t i = 0; i < axes.front().values.size(); ++i) choices.emplace_back(axes.size(), i);
  } else {
    // Grid size, saturated (a random sample of a huge grid never enumerates it).
    uint64_t total = 1;
    for (const auto& a : axes)
      total = total > UINT64_MAX / a.values.size() ? UINT64_MAX : total * a.values.size();
    auto decode = [&](uint64_t idx) {  // first axis slowest
      std::vector<size_t> c(axes.size());
      for (size_t k = axes.size(); k-- > 0;) {
        c[k] = static_cast<size_t>(idx % axes[k].values.size());
        idx /= axes[k].values.size();
      }
      return c;
    };
    if (combine == Combine::kGrid || static_cast<uint64_t>(samples) >= total) {
      if (total > 10000000) throw UserError(file, 0, "axes", "the grid has more than 10^7 points");
      for (uint64_t i = 0; i < total; ++i) choices.push_back(decode(i));
    } else {
      // Distinct grid points drawn uniformly with the sweep's own seed (kSweep purpose), in draw order.
      const CounterRng rng(sample_seed, 0, RngPurpose::kSweep);
      std::set<uint64_t> taken;
      for (uint64_t draw = 0; static_cast<int64_t>(taken.size()) < samples; ++draw) {
        const auto w = rng.block(draw);
        const uint64_t r = (static_cast<uint64_t>(w[0]) << 32) | w[1];
        const uint64_t idx = r % total;
        if (taken.insert(idx).second) choices.push_back(decode(idx));
      }
    }
  }
  std::vector<SweepPoint> points;
  for (size_t p = 0; p < choices.size(); ++p) {
    SweepPoint pt;
    pt.index = static_cast<int>(p);
    for (const auto& [k, v] : fixed) pt.sets.push_back(fmt::format("{}={}", k, v));
    for (size_t k = 0; k < axes.size(); ++k) {
      const std::string& v = axes[k].values[choices[p][k]];
      pt.axis_values.emplace_back(axes[k].key, v);
      if (!v.empty()) pt.sets.push_back(fmt::format("{}={}", axes[k].key, v));
    }
    points.push_back(std::move(pt));
  }
  return points;
}

}  // namespace aimc
