#include "aimc/config/ConfigSource.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "aimc/base/Error.h"
#include "aimc/base/InputFile.h"

namespace aimc {

namespace fs = std::filesystem;

namespace {

int line_of(const YAML::Node& n) {
  return n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
}

void flatten(const YAML::Node& node, const std::string& prefix, const std::string& file,
             std::map<std::string, ConfigValue>& out) {
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) throw UserError(file, line_of(kv.first), prefix, "keys must be plain names");
    const std::string name = kv.first.as<std::string>();
    const std::string key = prefix.empty() ? name : fmt::format("{}.{}", prefix, name);
    const YAML::Node& v = kv.second;
    ConfigValue cv;
    cv.file = file;
    cv.line = line_of(kv.first);
    if (v.IsMap()) {
      flatten(v, key, file, out);
      continue;
    }
    if (v.IsSequence()) {
      cv.is_list = true;
      for (const auto& item : v) {
        if (!item.IsScalar())
          throw UserError(file, line_of(item), key, "list items must be plain values, not maps or lists");
        cv.items.push_back(item.as<std::string>());
      }
    } else if (v.IsNull()) {
      throw UserError(file, cv.line, key, "has no value");
    } else {
      cv.items.push_back(v.as<std::string>());
    }
    out[key] = std::move(cv);
  }
}

}  // namespace

ConfigSource ConfigSource::load_file(const std::string& path, const std::string& preset_dir) {
  ConfigSource src;
  src.main_file_ = path;
  std::vector<std::string> stack;
  src.load_into(path, preset_dir, stack);
  return src;
}

void ConfigSource::load_into(const std::string& path, const std::string& preset_dir,
                             std::vector<std::string>& stack) {
  std::error_code ec;
  const std::string canonical = fs::weakly_canonical(path, ec).string();
  if (std::find(stack.begin(), stack.end(), canonical) != stack.end())
    throw UserError(stack.back(), 0, "include", "includes itself through '" + path + "' (an include cycle)");
  YAML::Node root;
  try {
    root = YAML::Load(read_regular_file(path, ""));
  } catch (const YAML::Exception& e) {
    throw UserError(path, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", "malformed YAML: " + e.msg);
  }
  if (root.IsNull()) return;  // an empty file sets nothing
  if (!root.IsMap()) throw UserError(path, line_of(root), "", "the top level must be a map of keys");
  stack.push_back(canonical);
  const fs::path dir = fs::path(path).parent_path();
  auto load_included = [&](const YAML::Node& n, const std::string& what) {
    std::vector<YAML::Node> items;
    if (n.IsSequence())
      for (const auto& i : n) items.push_back(i);
    else
      items.push_back(n);
    for (const auto& i : items) {
      if (!i.IsScalar()) throw UserError(path, line_of(i), what, "expected a file name");
      std::string target = i.as<std::string>();
      if (what == "preset") {
        target = (fs::path(preset_dir) / target).concat(".yaml").string();
        if (!fs::is_regular_file(target))
          throw UserError(path, line_of(i), what,
                          "no preset named '" + i.as<std::string>() + "' in " + preset_dir);
      } else {
        target = (dir / target).string();
        if (!fs::is_regular_file(target))
          throw UserError(path, line_of(i), what,
                          "included file '" + i.as<std::string>() + "' does not exist");
      }
      load_into(target, preset_dir, stack);
    }
  };
  if (root["preset"]) load_included(root["preset"], "preset");
  if (root["include"]) load_included(root["include"], "include");
  std::map<std::string, ConfigValue> mine;
  for (const auto& kv : root) {
    const std::string k = kv.first.as<std::string>();
    if (k == "preset" || k == "include") continue;
    YAML::Node one(YAML::NodeType::Map);
    one[kv.first] = kv.second;
    flatten(one, "", path, mine);
  }
  for (auto& [k, v] : mine) values_[k] = std::move(v);
  stack.pop_back();
}

void ConfigSource::apply_override(const std::string& assignment, const std::string& origin) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UserError(origin, 0, assignment, "an override must look like key.path=value");
  ConfigValue cv;
  cv.file = origin;
  const std::string value = assignment.substr(eq + 1);
  size_t start = 0;
  while (true) {
    const size_t comma = value.find(',', start);
    cv.items.push_back(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  cv.is_list = cv.items.size() > 1;
  values_[assignment.substr(0, eq)] = std::move(cv);
}

ConfigSource ConfigSource::extract(const std::string& prefix) {
  ConfigSource out;
  out.main_file_ = main_file_;
  const std::string p = prefix + ".";
  for (auto it = values_.begin(); it != values_.end();) {
    if (it->first.compare(0, p.size(), p) == 0) {
      out.values_[it->first.substr(p.size())] = std::move(it->second);
      it = values_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

void ConfigSource::merge(const ConfigSource& other) {
  for (const auto& [k, v] : other.values_) values_[k] = v;
}

}  // namespace aimc
