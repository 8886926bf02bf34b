#pragma once
// The file layer of the configuration: YAML files read into a flat map of dotted key paths, each value with
// the file and line it came from. Includes and presets are resolved here, in one place; later layers never
// see YAML. Command-line and sweep overrides use the same key paths.
#include <map>
#include <string>
#include <vector>

namespace aimc {

// Which layer set a value; a later layer overrides an earlier one. Parameters that apply only to some kinds
// (ParamInfo::applies_when) use it: a key the chosen kind ignores is an error when it was set at the layer of
// the kind's choice or later, and a left-over of an earlier layer (a preset's CCO keys when the file chooses
// a SAR) when it was set before.
enum class ConfigLayer : int {
  kInherited = 0,    // a preset or an included file
  kFile = 1,         // the file itself
  kOverride = 2,     // merged over the file (a run config's arch_overrides)
  kCommandLine = 3,  // --set, command-line options, sweep axes
};

struct ConfigValue {
  std::vector<std::string> items;  // one item for a scalar; a YAML sequence gives several
  bool is_list = false;
  std::string file;     // where it was set ("command line" for --set)
  int line = 0;         // 1-based, 0 if not from a file
  bool is_map = false;  // an empty map `{}` (a section given no keys, or a map where a value belongs)
  ConfigLayer layer = ConfigLayer::kFile;
  // Position of the file (or override) that set it in the load order: within a layer, a later one overrides
  // an earlier one (arch/rram_binary.yaml over its preset arch/rram.yaml over arch/hermes.yaml).
  int order = 0;
};

class ConfigSource {
 public:
  // Reads a YAML file; `include: [files]` (relative to the including file) and `preset: NAME`
  // (= <preset_dir>/NAME.yaml) are loaded first and overridden by the file's own keys.
  // Every file is read strictly (YamlTree.h): one document, no duplicate keys, no key given twice by a dotted
  // and a nested spelling, no complex keys or self-referring aliases, bounded size and depth; an empty file
  // is an error.
  static ConfigSource load_file(const std::string& path, const std::string& preset_dir);
  // The same from text already in memory (`name` stands for the file in errors; includes are relative to
  // its directory): the entry point of the YAML fuzz target.
  static ConfigSource load_text(const std::string& text, const std::string& name,
                                const std::string& preset_dir);
  // Parses "key.path=value". The value is one item as written: a comma splits it into a list only for a key
  // that takes a list (ParamKind::kFloatList), so paths and core sets such as "0-3,7" keep their commas.
  void apply_override(const std::string& assignment, const std::string& origin);
  void set(const std::string& key, ConfigValue v) { values_[key] = std::move(v); }
  // Moves every key under `prefix.` out of this source into a new one (prefix stripped).
  ConfigSource extract(const std::string& prefix);
  void merge(const ConfigSource& other);  // other's keys win, at ConfigLayer::kOverride or later

  const std::map<std::string, ConfigValue>& values() const { return values_; }
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  const std::string& main_file() const { return main_file_; }

 private:
  int files_loaded_ = 0;  // ConfigValue::order of the next file or override
  void load_into(const std::string& path, const std::string* text, const std::string& preset_dir,
                 std::vector<std::string>& stack, ConfigLayer layer);
  std::map<std::string, ConfigValue> values_;
  std::string main_file_;
};

}  // namespace aimc
