#pragma once
// One YAML config document read strictly into a small tree, from yaml-cpp's event parser (not YAML::Load):
// the reader sees every key as it arrives, so it refuses what yaml-cpp would accept silently or crash on -
// duplicate keys (yaml-cpp keeps the last), complex keys (`? [a, b]`), an alias inside the node it names (a
// cycle that recursion over the node never leaves), a second document - and it bounds the work before doing
// it (file size, nesting depth, number of values). Every node keeps its line for the errors.
#include <memory>
#include <string>
#include <vector>

namespace aimc {

struct YamlTreeNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  int line = 0;        // 1-based
  std::string scalar;  // kScalar
  // kSequence: items; kMap: values, in file order, with their keys (plain scalars, unique).
  std::vector<std::shared_ptr<const YamlTreeNode>> items;
  std::vector<std::string> keys;
  std::vector<int> key_lines;
};

// Limits checked before (or while) the work is done. Hand-written configs are a few KiB with key paths 3-5
// levels deep; the largest shipped YAML (configs/sweeps/adc_tradeoff.yaml) is ~40 KiB. The bounds are orders
// of magnitude above that, so no real file meets them, and low enough that a hostile file (an alias bomb, a
// 10^6-deep nesting, /dev/zero) fails at once with a reason instead of exhausting the stack or the memory.
struct YamlLimits {
  static constexpr long long kMaxFileBytes = 16LL << 20;  // 16 MiB
  static constexpr int kMaxDepth = 64;                    // nested maps and lists
  static constexpr long long kMaxNodes = 1'000'000;       // nodes as parsed (a 16 MiB file holds ~4 M)
  static constexpr long long kMaxValues = 100'000;        // key values after flattening, aliases expanded
};

// Parses `text` (named `file` in errors) as one YAML document. Returns nullptr for a file without a
// document (empty or only comments). Throws UserError naming the file, line and reason.
std::shared_ptr<const YamlTreeNode> parse_yaml_tree(const std::string& text, const std::string& file);

// Reads a regular file of at most YamlLimits::kMaxFileBytes (UserError otherwise: "no such file", "not a
// regular file", too large).
std::string read_config_text(const std::string& path);

}  // namespace aimc
