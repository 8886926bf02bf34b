#include "aimc/config/ConfigSource.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include <fmt/format.h>

#include "aimc/base/Error.h"
#include "aimc/config/YamlTree.h"

namespace aimc {

namespace fs = std::filesystem;

namespace {

using Node = YamlTreeNode;

// Flattens one file's map into dotted keys. `lines` holds the line of every key this file has given, so
// that `core.adc.bits: 8` beside `core: {adc: {bits: 6}}` is refused instead of one silently winning.
struct Flattener {
  const std::string& file;
  ConfigLayer layer;
  int order;
  std::map<std::string, ConfigValue>& out;
  std::unordered_map<std::string, int> lines;

  void put(const std::string& key, ConfigValue cv) {
    const auto [it, fresh] = lines.emplace(key, cv.line);
    if (!fresh)
      throw UserError(file, cv.line, key,
                      fmt::format("is given twice in this file (first at line {}): a dotted and a nested "
                                  "spelling name the same key",
                                  it->second));
    if (lines.size() > static_cast<size_t>(YamlLimits::kMaxValues))
      throw UserError(
          file, cv.line, key,
          fmt::format("more than {} values (aliases expanded): not a config file", YamlLimits::kMaxValues));
    out[key] = std::move(cv);
  }

  void value(const std::string& key, const Node& v, int line, int depth) {
    ConfigValue cv;
    cv.file = file;
    cv.line = line;
    cv.layer = layer;
    cv.order = order;
    switch (v.kind) {
      case Node::Kind::kMap:
        if (v.keys.empty()) {
          cv.is_map = true;
          put(key, std::move(cv));
        } else {
          map(v, key, depth + 1);
        }
        return;
      case Node::Kind::kSequence:
        cv.is_list = true;
        for (const auto& item : v.items) {
          if (item->kind != Node::Kind::kScalar)
            throw UserError(file, item->line, key,
                            "list items must be plain values, not maps, lists or empty");
          cv.items.push_back(item->scalar);
        }
        put(key, std::move(cv));
        return;
      case Node::Kind::kNull:
        throw UserError(file, line, key, "has no value");
      case Node::Kind::kScalar:
        cv.items.push_back(v.scalar);
        put(key, std::move(cv));
        return;
    }
  }

  void map(const Node& m, const std::string& prefix, int depth) {
    // Aliases can nest a map deeper than the text does: the same bound holds for the expansion.
    if (depth > YamlLimits::kMaxDepth)
      throw UserError(file, m.line, prefix,
                      fmt::format("nested more than {} levels deep", YamlLimits::kMaxDepth));
    for (size_t i = 0; i < m.keys.size(); ++i) {
      if (m.keys[i].empty()) throw UserError(file, m.key_lines[i], prefix, "has an empty key");
      const std::string key = prefix.empty() ? m.keys[i] : prefix + "." + m.keys[i];
      value(key, *m.items[i], m.key_lines[i], depth);
    }
  }
};

}  // namespace

ConfigSource ConfigSource::load_file(const std::string& path, const std::string& preset_dir) {
  ConfigSource src;
  src.main_file_ = path;
  std::vector<std::string> stack;
  src.load_into(path, nullptr, preset_dir, stack, ConfigLayer::kFile);
  return src;
}

ConfigSource ConfigSource::load_text(const std::string& text, const std::string& name,
                                     const std::string& preset_dir) {
  ConfigSource src;
  src.main_file_ = name;
  std::vector<std::string> stack;
  src.load_into(name, &text, preset_dir, stack, ConfigLayer::kFile);
  return src;
}

namespace {

// The files named by `preset:` or `include:` (a name or a list of names), each with its line.
std::vector<std::pair<std::string, int>> included_files(const Node& n, const std::string& path,
                                                        const std::string& what,
                                                        const std::string& preset_dir) {
  std::vector<const Node*> items;
  if (n.kind == Node::Kind::kSequence)
    for (const auto& i : n.items) items.push_back(i.get());
  else
    items.push_back(&n);
  std::vector<std::pair<std::string, int>> out;
  const fs::path dir = fs::path(path).parent_path();
  for (const Node* i : items) {
    if (i->kind != Node::Kind::kScalar || i->scalar.empty())
      throw UserError(path, i->line, what, "expected a file name");
    const bool preset = what == "preset";
    const std::string target =
        preset ? (fs::path(preset_dir) / i->scalar).concat(".yaml").string() : (dir / i->scalar).string();
    std::error_code ec;
    const auto st = fs::status(target, ec);
    if (!fs::exists(st))
      throw UserError(path, i->line, what,
                      preset ? "no preset named '" + i->scalar + "' in " + preset_dir
                             : "included file '" + i->scalar + "' does not exist");
    if (!fs::is_regular_file(st))
      throw UserError(path, i->line, what, "'" + i->scalar + "' is not a regular file");
    out.emplace_back(target, i->line);
  }
  return out;
}

}  // namespace

void ConfigSource::load_into(const std::string& path, const std::string* text, const std::string& preset_dir,
                             std::vector<std::string>& stack, ConfigLayer layer) {
  const auto root = parse_yaml_tree(text ? *text : read_config_text(path), path);
  if (!root || root->kind == Node::Kind::kNull)
    throw UserError(path, 0, "",
                    "the file is empty: it sets no key (an arch file needs at least a preset or keys)");
  if (root->kind != Node::Kind::kMap)
    throw UserError(path, root->line, "", "the top level must be a map of keys");
  std::error_code ec;
  stack.push_back(fs::weakly_canonical(path, ec).string());
  for (const char* what : {"preset", "include"}) {
    const auto it = std::find(root->keys.begin(), root->keys.end(), what);
    if (it == root->keys.end()) continue;
    const size_t i = static_cast<size_t>(it - root->keys.begin());
    for (const auto& [target, line] : included_files(*root->items[i], path, what, preset_dir)) {
      if (std::find(stack.begin(), stack.end(), fs::weakly_canonical(target, ec).string()) != stack.end())
        throw UserError(path, line, what, "includes itself through '" + target + "' (an include cycle)");
      load_into(target, nullptr, preset_dir, stack, ConfigLayer::kInherited);
    }
  }
  std::map<std::string, ConfigValue> mine;
  Flattener flat{path, layer, ++files_loaded_, mine, {}};
  for (size_t i = 0; i < root->keys.size(); ++i) {
    if (root->keys[i] == "preset" || root->keys[i] == "include") continue;
    if (root->keys[i].empty()) throw UserError(path, root->key_lines[i], "", "has an empty key");
    flat.value(root->keys[i], *root->items[i], root->key_lines[i], 1);
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
  cv.layer = ConfigLayer::kCommandLine;
  cv.order = ++files_loaded_;
  cv.items.push_back(assignment.substr(eq + 1));
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
    } else if (it->first == prefix && it->second.is_map) {
      it = values_.erase(it);  // `prefix: {}` gives no keys
    } else {
      ++it;
    }
  }
  return out;
}

void ConfigSource::merge(const ConfigSource& other) {
  for (const auto& [k, v] : other.values_) {
    ConfigValue& mine = values_[k] = v;
    mine.layer = std::max(mine.layer, ConfigLayer::kOverride);
  }
}

}  // namespace aimc
