#include "aimc/config/YamlTree.h"

#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "aimc/base/Error.h"
#include "aimc/base/InputFile.h"

namespace aimc {

namespace {

using Node = YamlTreeNode;

int line_of(const YAML::Mark& m) {
  return m.line >= 0 ? m.line + 1 : 0;
}

// Builds the tree from the parser's events; throws UserError at the first thing a config must not hold.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(std::string file) : file_(std::move(file)) {}

  std::shared_ptr<const Node> root() const { return root_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      fail(line_of(mark), "", "a second YAML document starts here ('---'): a config file holds one document");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto n = make(Node::Kind::kNull, mark);
    remember(anchor, n, false);
    add(n, mark);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                const std::string& value) override {
    auto n = make(Node::Kind::kScalar, mark);
    n->scalar = value;
    remember(anchor, n, false);
    add(n, mark);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(line_of(mark), here(), "an alias names an anchor that is not defined");
    if (open_.count(anchor) != 0)
      fail(line_of(mark), here(), "an alias refers to the node that contains it (a cycle without end)");
    add(it->second, mark, true);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(Node::Kind::kSequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(Node::Kind::kMap, mark, anchor);
  }
  void OnMapEnd() override {
    if (!stack_.back().expect_key) fail(stack_.back().node->line, stack_.back().path, "a key has no value");
    close();
  }

 private:
  struct Frame {
    std::shared_ptr<Node> node;
    YAML::anchor_t anchor = 0;
    std::string path;                           // dotted key path of this node, for errors
    std::string last_key;                       // maps: the key whose value comes next
    bool expect_key = true;                     // maps: the next event is a key
    std::unordered_map<std::string, int> seen;  // maps: key -> line of its first occurrence
  };

  [[noreturn]] void fail(int line, const std::string& key, const std::string& reason) const {
    throw UserError(file_, line, key, reason);
  }

  // The key path of the node that comes next.
  std::string here() const {
    if (stack_.empty()) return "";
    const Frame& top = stack_.back();
    if (top.node->kind != Node::Kind::kMap || top.expect_key) return top.path;
    return top.path.empty() ? top.last_key : top.path + "." + top.last_key;
  }

  std::shared_ptr<Node> make(Node::Kind kind, const YAML::Mark& mark) {
    if (++nodes_ > YamlLimits::kMaxNodes)
      fail(line_of(mark), "",
           fmt::format("more than {} YAML nodes: not a config file", YamlLimits::kMaxNodes));
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->line = line_of(mark);
    return n;
  }

  void remember(YAML::anchor_t anchor, const std::shared_ptr<Node>& n, bool still_open) {
    if (anchor == 0) return;
    anchors_[anchor] = n;
    if (still_open) open_.insert(anchor);
  }

  void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(stack_.size()) >= YamlLimits::kMaxDepth)
      fail(line_of(mark), here(), fmt::format("nested more than {} levels deep", YamlLimits::kMaxDepth));
    auto n = make(kind, mark);
    std::string path = here();
    add(n, mark);  // a map or a list in a key's place is refused here, before its contents
    remember(anchor, n, true);
    stack_.push_back(Frame{n, anchor, std::move(path), "", true, {}});
  }

  void close() {
    if (stack_.back().anchor != 0) open_.erase(stack_.back().anchor);
    stack_.pop_back();
  }

  // Places a node that has just started (containers) or is complete (scalars, nulls, aliases).
  void add(const std::shared_ptr<const Node>& n, const YAML::Mark& mark, bool alias = false) {
    if (stack_.empty()) {
      root_ = n;
      return;
    }
    Frame& top = stack_.back();
    if (top.node->kind == Node::Kind::kSequence) {
      top.node->items.push_back(n);
      return;
    }
    if (!top.expect_key) {
      top.node->items.push_back(n);
      top.expect_key = true;
      return;
    }
    if (alias || n->kind != Node::Kind::kScalar)
      fail(line_of(mark), top.path,
           "a key must be a plain name, not a map, a list, an alias or empty ('? ...' complex "
           "keys are not accepted)");
    const auto [it, fresh] = top.seen.emplace(n->scalar, n->line);
    if (!fresh)
      fail(n->line, top.path.empty() ? n->scalar : top.path + "." + n->scalar,
           fmt::format("duplicate key (first at line {}): each key may appear once in a map", it->second));
    top.node->keys.push_back(n->scalar);
    top.node->key_lines.push_back(n->line);
    top.last_key = n->scalar;
    top.expect_key = false;
  }

  std::string file_;
  std::shared_ptr<const Node> root_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, std::shared_ptr<const Node>> anchors_;
  std::unordered_set<YAML::anchor_t> open_;
  int documents_ = 0;
  long long nodes_ = 0;
};

}  // namespace

std::shared_ptr<const YamlTreeNode> parse_yaml_tree(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  TreeBuilder builder(file);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder)) return nullptr;
    parser.HandleNextDocument(builder);  // a second document is refused in OnDocumentStart
  } catch (const YAML::Exception& e) {
    throw UserError(file, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", "malformed YAML: " + e.msg);
  }
  return builder.root();
}

std::string read_config_text(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (path.empty() || !fs::exists(st)) throw UserError(path, 0, "", "no such file");
  if (fs::is_regular_file(st)) {
    const auto size = fs::file_size(path, ec);
    if (ec) throw UserError(path, 0, "", "cannot read the file: " + ec.message());
    if (size > static_cast<uintmax_t>(YamlLimits::kMaxFileBytes))
      throw UserError(path, 0, "",
                      fmt::format("is {} bytes; a config file may have at most {} MiB", size,
                                  YamlLimits::kMaxFileBytes >> 20));
  }
  // Devices, directories and FIFOs are refused there (InputFile.h), and the read is bounded by the size.
  return read_regular_file(path, "", static_cast<uint64_t>(YamlLimits::kMaxFileBytes));
}

}  // namespace aimc
