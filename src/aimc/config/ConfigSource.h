#pragma once
// The file layer of the configuration: YAML files read into a flat map of dotted key paths, each value with
// the file and line it came from. Includes and presets are resolved here, in one place; later layers never
// see YAML. Command-line and sweep overrides use the same key paths.
#include <map>
#include <string>
#include <vector>

namespace aimc {

struct ConfigValue {
  std::vector<std::string> items;  // one item for a scalar; a YAML sequence (or "a,b,c") gives several
  bool is_list = false;
  std::string file;  // where it was set ("command line" for --set)
  int line = 0;      // 1-based, 0 if not from a file
};

class ConfigSource {
 public:
  // Reads a YAML file; `include: [files]` (relative to the including file) and `preset: NAME`
  // (= <preset_dir>/NAME.yaml) are loaded first and overridden by the file's own keys.
  static ConfigSource load_file(const std::string& path, const std::string& preset_dir);
  // Parses "key.path=value" (value may be "a,b,c" for a list).
  void apply_override(const std::string& assignment, const std::string& origin);
  void set(const std::string& key, ConfigValue v) { values_[key] = std::move(v); }
  // Moves every key under `prefix.` out of this source into a new one (prefix stripped).
  ConfigSource extract(const std::string& prefix);
  void merge(const ConfigSource& other);  // other's keys win

  const std::map<std::string, ConfigValue>& values() const { return values_; }
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  const std::string& main_file() const { return main_file_; }

 private:
  void load_into(const std::string& path, const std::string& preset_dir, std::vector<std::string>& stack);
  std::map<std::string, ConfigValue> values_;
  std::string main_file_;
};

}  // namespace aimc
