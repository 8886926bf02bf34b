#include "aimc/compiler/ActivationPatterns.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

// A matched form: the nodes it replaces, its input x and output y, and the fused operator.
struct PatternMatch {
  std::string why;  // empty when matched
  std::string x;
  int last = -1;  // the node producing y
  std::vector<int> nodes;
  std::string op;           // Gelu, Silu, HardSwish
  std::string approximate;  // Gelu: "none" or "tanh"
  bool ok() const { return why.empty(); }
};

std::optional<double> scalar_value(const onnx::TensorProto& t) {
  int64_t count = 1;
  for (int64_t d : t.dims())
    if (d < 0 || __builtin_mul_overflow(count, d, &count)) return std::nullopt;  // untrusted dims
  if (count != 1) return std::nullopt;
  const std::string& raw = t.raw_data();
  switch (t.data_type()) {
    case onnx::TensorProto_DataType_FLOAT: {
      if (!raw.empty() && raw.size() != 4) return std::nullopt;
      float v = 0;
      if (!raw.empty())
        std::memcpy(&v, raw.data(), 4);
      else if (t.float_data_size() == 1)
        v = t.float_data(0);
      else
        return std::nullopt;
      return v;
    }
    case onnx::TensorProto_DataType_DOUBLE: {
      if (!raw.empty() && raw.size() != 8) return std::nullopt;
      double v = 0;
      if (!raw.empty())
        std::memcpy(&v, raw.data(), 8);
      else if (t.double_data_size() == 1)
        v = t.double_data(0);
      else
        return std::nullopt;
      return v;
    }
    case onnx::TensorProto_DataType_INT64: {
      if (!raw.empty() && raw.size() != 8) return std::nullopt;
      int64_t v = 0;
      if (!raw.empty())
        std::memcpy(&v, raw.data(), 8);
      else if (t.int64_data_size() == 1)
        v = t.int64_data(0);
      else
        return std::nullopt;
      return static_cast<double>(v);
    }
    default:
      return std::nullopt;
  }
}

std::string node_label(const onnx::NodeProto& node, int index) {
  return node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
}

// Who produces and who reads each tensor of an ONNX graph, and its scalar constants.
class PatternGraph {
 public:
  explicit PatternGraph(const onnx::GraphProto& graph) : graph_(graph) {
    for (const onnx::TensorProto& t : graph.initializer())
      if (auto v = scalar_value(t)) scalars_[t.name()] = *v;
    for (int i = 0; i < graph.node_size(); ++i) {
      const onnx::NodeProto& n = graph.node(i);
      for (const std::string& out : n.output()) producer_[out] = i;
      for (const std::string& in : n.input()) readers_[in].push_back(i);
      if (n.op_type() == "Constant" && n.attribute_size() == 1 && n.attribute(0).name() == "value")
        if (auto v = scalar_value(n.attribute(0).t())) scalars_[n.output(0)] = *v;
    }
    for (const onnx::ValueInfoProto& out : graph.output()) readers_[out.name()].push_back(-1);
  }

  const onnx::NodeProto& node(int i) const { return graph_.node(i); }
  std::optional<double> scalar(const std::string& tensor) const {
    auto it = scalars_.find(tensor);
    return it == scalars_.end() ? std::nullopt : std::optional<double>(it->second);
  }
  bool is_near(const std::string& tensor, double want) const {
    auto v = scalar(tensor);
    return v && std::fabs(*v - want) <= kPatternTolerance * std::fabs(want);
  }
  // The node producing `tensor` if it is `op` with two inputs, else -1.
  int binary_producer(const std::string& tensor, const char* op) const {
    auto it = producer_.find(tensor);
    if (it == producer_.end()) return -1;
    const onnx::NodeProto& n = graph_.node(it->second);
    return n.op_type() == op && n.input_size() == 2 ? it->second : -1;
  }
  // The only reader of `tensor` (not a graph output), or -1.
  int only_reader(const std::string& tensor) const {
    auto it = readers_.find(tensor);
    if (it == readers_.end() || it->second.size() != 1) return -1;
    return it->second[0];
  }
  bool single_use(const std::string& tensor) const { return only_reader(tensor) >= 0; }
  std::string label(int i) const { return node_label(graph_.node(i), i); }

 private:
  const onnx::GraphProto& graph_;
  std::map<std::string, int> producer_;
  std::map<std::string, std::vector<int>> readers_;
  std::map<std::string, double> scalars_;
};

// The operand of binary node `n` that is not `known`; empty if neither or both are.
std::string other_operand(const onnx::NodeProto& n, const std::string& known) {
  if (n.input(0) == known && n.input(1) != known) return n.input(1);
  if (n.input(1) == known && n.input(0) != known) return n.input(0);
  return "";
}

// From `start` (the (1 + ...) factor), a chain of Muls that multiplies it by x and by `c` in any order and
// grouping (x * c may be its own Mul feeding the chain). Fills m.nodes and m.last.
bool product_with(const PatternGraph& g, const std::string& start, const std::string& x, double c,
                  PatternMatch& m) {
  std::string current = start;
  bool have_x = false, have_c = false;
  while (!(have_x && have_c)) {
    int reader = g.only_reader(current);
    if (reader < 0 || g.node(reader).op_type() != "Mul" || g.node(reader).input_size() != 2 ||
        g.node(reader).output_size() != 1) {
      m.why = fmt::format("'{}' is not multiplied by x and by {:g} alone (a single Mul reader is expected)",
                          current, c);
      return false;
    }
    std::string other = other_operand(g.node(reader), current);
    int inner = g.binary_producer(other, "Mul");
    if (other == x && !have_x) {
      have_x = true;
    } else if (g.is_near(other, c) && !have_c) {
      have_c = true;
    } else if (inner >= 0 && !have_x && !have_c && g.single_use(other) &&
               !other_operand(g.node(inner), x).empty() && g.is_near(other_operand(g.node(inner), x), c)) {
      have_x = have_c = true;
      m.nodes.push_back(inner);
    } else {
      m.why = fmt::format("node {} multiplies by '{}', not by x or by the constant {:g}", g.label(reader),
                          other, c);
      return false;
    }
    m.nodes.push_back(reader);
    m.last = reader;
    current = g.node(reader).output(0);
  }
  return true;
}

// Reads `n`'s output through one Add with the constant 1; returns the Add's output or "" (m.why set).
std::string plus_one(const PatternGraph& g, const onnx::NodeProto& n, PatternMatch& m) {
  int add = g.only_reader(n.output(0));
  if (add < 0 || g.node(add).op_type() != "Add" || g.node(add).input_size() != 2 ||
      g.node(add).output_size() != 1 || !g.is_near(other_operand(g.node(add), n.output(0)), 1.0)) {
    m.why = fmt::format("the output of {} must be read only by an Add of the constant 1", n.op_type());
    return "";
  }
  m.nodes.push_back(add);
  return g.node(add).output(0);
}

// nn.GELU(): 0.5 * x * (1 + erf(x / sqrt 2)); the division may be a Mul by 1 / sqrt 2.
PatternMatch match_gelu_erf(const PatternGraph& g, int erf) {
  PatternMatch m;
  m.op = "Gelu";
  m.approximate = "none";
  const std::string& scaled = g.node(erf).input(0);
  int div = g.binary_producer(scaled, "Div"), mul = g.binary_producer(scaled, "Mul");
  if (div >= 0 && g.is_near(g.node(div).input(1), std::sqrt(2.0))) {
    m.x = g.node(div).input(0);
  } else if (mul >= 0 && g.is_near(g.node(mul).input(1), std::sqrt(0.5))) {
    m.x = g.node(mul).input(0);
  } else if (mul >= 0 && g.is_near(g.node(mul).input(0), std::sqrt(0.5))) {
    m.x = g.node(mul).input(1);
  } else {
    m.why = "the input of Erf is not x / sqrt(2) (a Div by 1.41421 or a Mul by 0.707107)";
    return m;
  }
  if (!g.single_use(scaled) || g.scalar(m.x)) {
    m.why = "x / sqrt(2) has other readers, or x is a constant";
    return m;
  }
  m.nodes = {div >= 0 ? div : mul, erf};
  std::string one_plus = plus_one(g, g.node(erf), m);
  if (!one_plus.empty()) product_with(g, one_plus, m.x, 0.5, m);
  return m;
}

// x^3 as Pow(x, 3), Mul(x, Mul(x, x)) or Mul(Mul(x, x), x); returns x or "" and adds the nodes.
std::string cube_of(const PatternGraph& g, const std::string& cube, std::vector<int>& nodes) {
  if (!g.single_use(cube)) return "";
  int pow = g.binary_producer(cube, "Pow");
  if (pow >= 0 && g.is_near(g.node(pow).input(1), 3.0)) {
    nodes.push_back(pow);
    return g.node(pow).input(0);
  }
  int outer = g.binary_producer(cube, "Mul");
  if (outer < 0) return "";
  for (int side = 0; side < 2; ++side) {
    const std::string& square = g.node(outer).input(side);
    const std::string& x = g.node(outer).input(1 - side);
    int inner = g.binary_producer(square, "Mul");
    if (inner >= 0 && g.single_use(square) && g.node(inner).input(0) == x && g.node(inner).input(1) == x) {
      nodes.insert(nodes.end(), {inner, outer});
      return x;
    }
  }
  return "";
}

// nn.GELU(approximate="tanh"): 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
PatternMatch match_gelu_tanh(const PatternGraph& g, int tanh) {
  PatternMatch m;
  m.op = "Gelu";
  m.approximate = "tanh";
  const std::string& scaled = g.node(tanh).input(0);
  int outer = g.binary_producer(scaled, "Mul");
  const double k = std::sqrt(2.0 / M_PI);
  std::string inner_sum =
      outer >= 0 && g.single_use(scaled) && g.is_near(g.node(outer).input(0), k)   ? g.node(outer).input(1)
      : outer >= 0 && g.single_use(scaled) && g.is_near(g.node(outer).input(1), k) ? g.node(outer).input(0)
                                                                                   : "";
  int add = inner_sum.empty() ? -1 : g.binary_producer(inner_sum, "Add");
  if (add < 0 || !g.single_use(inner_sum)) {
    m.why = "the input of Tanh is not sqrt(2/pi) * (x + 0.044715 x^3)";
    return m;
  }
  for (int side = 0; side < 2 && m.x.empty(); ++side) {
    const std::string& term = g.node(add).input(side);
    int cubic = g.binary_producer(term, "Mul");
    if (cubic < 0 || !g.single_use(term)) continue;
    for (int c = 0; c < 2 && m.x.empty(); ++c) {
      if (!g.is_near(g.node(cubic).input(c), 0.044715)) continue;
      std::vector<int> nodes;
      std::string x = cube_of(g, g.node(cubic).input(1 - c), nodes);
      if (!x.empty() && x == g.node(add).input(1 - side)) {
        m.x = x;
        m.nodes = nodes;
        m.nodes.insert(m.nodes.end(), {cubic, add, outer, tanh});
      }
    }
  }
  if (m.x.empty()) {
    m.why = "the input of Tanh is not sqrt(2/pi) * (x + 0.044715 x^3)";
    return m;
  }
  std::string one_plus = plus_one(g, g.node(tanh), m);
  if (!one_plus.empty()) product_with(g, one_plus, m.x, 0.5, m);
  return m;
}

// Mul(x, f(x)) with f = Sigmoid (SiLU) or HardSigmoid(1/6, 1/2) (HardSwish).
PatternMatch match_gated(const PatternGraph& g, int gate, const char* op) {
  PatternMatch m;
  m.op = op;
  const onnx::NodeProto& n = g.node(gate);
  m.x = n.input(0);
  int mul = g.only_reader(n.output(0));
  if (mul < 0 || g.node(mul).op_type() != "Mul" || g.node(mul).input_size() != 2 ||
      g.node(mul).output_size() != 1 || other_operand(g.node(mul), n.output(0)) != m.x) {
    m.why = "not read by a Mul with its own input only";
    return m;
  }
  m.nodes = {gate, mul};
  m.last = mul;
  return m;
}

bool hard_sigmoid_is_hardswish_gate(const onnx::NodeProto& n) {
  double alpha = 0.2, beta = 0.5;  // ONNX HardSigmoid defaults
  for (const onnx::AttributeProto& a : n.attribute()) {
    if (a.type() != onnx::AttributeProto_AttributeType_FLOAT) return false;
    if (a.name() == "alpha")
      alpha = a.f();
    else if (a.name() == "beta")
      beta = a.f();
    else
      return false;
  }
  return std::fabs(alpha - 1.0 / 6.0) <= kPatternTolerance / 6.0 &&
         std::fabs(beta - 0.5) <= kPatternTolerance * 0.5;
}

PatternMatch no_match(const char* why) {
  PatternMatch m;
  m.why = why;
  return m;
}

PatternMatch match_at(const PatternGraph& g, int i) {
  const onnx::NodeProto& n = g.node(i);
  if (!n.domain().empty() && n.domain() != "ai.onnx") return no_match("other domain");
  if (n.input_size() != 1 || n.output_size() < 1)
    return no_match("a one-input node with an output is expected");
  if (n.op_type() == "Erf" && n.input_size() == 1) return match_gelu_erf(g, i);
  if (n.op_type() == "Tanh" && n.input_size() == 1) return match_gelu_tanh(g, i);
  if (n.op_type() == "Sigmoid" && n.input_size() == 1) return match_gated(g, i, "Silu");
  if (n.op_type() == "HardSigmoid" && n.input_size() == 1 && hard_sigmoid_is_hardswish_gate(n))
    return match_gated(g, i, "HardSwish");
  return no_match("no pattern starts here");
}

onnx::NodeProto fused_node(const PatternGraph& g, const PatternMatch& m) {
  onnx::NodeProto fused;
  fused.set_op_type(m.op);
  fused.set_name(g.label(m.last));
  fused.add_input(m.x);
  fused.add_output(g.node(m.last).output(0));
  if (!m.approximate.empty()) {
    onnx::AttributeProto* a = fused.add_attribute();
    a->set_name("approximate");
    a->set_type(onnx::AttributeProto_AttributeType_STRING);
    a->set_s(m.approximate);
  }
  onnx::AttributeProto* folded = fused.add_attribute();
  folded->set_name("folded");
  folded->set_type(onnx::AttributeProto_AttributeType_STRINGS);
  for (int i : m.nodes)
    if (i != m.last) folded->add_strings(g.label(i));
  return fused;
}

// Why the Erf or Pow at `i` is not part of a match.
std::string explanation(const PatternGraph& g, int i) {
  const onnx::NodeProto& n = g.node(i);
  if (n.op_type() == "Erf")
    return "Erf is supported only inside GELU's erf form 0.5 * x * (1 + erf(x / sqrt(2))) (nn.GELU()); "
           "here " +
           (n.input_size() == 1 && n.output_size() >= 1
                ? match_gelu_erf(g, i).why
                : std::string("it does not have one input and an output"));
  return "Pow is supported only as x^3 inside GELU's tanh form 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + "
         "0.044715 "
         "x^3))) (nn.GELU(approximate=\"tanh\")), and this one is not part of a complete match";
}

}  // namespace

void fuse_activation_patterns(onnx::GraphProto& graph, const std::string& path) {
  std::vector<onnx::NodeProto> replaced(static_cast<size_t>(graph.node_size()));
  std::vector<int> role(static_cast<size_t>(graph.node_size()), 0);  // 1: in a pattern, 2: its last node
  {
    PatternGraph g(graph);
    for (int i = 0; i < graph.node_size(); ++i) {
      PatternMatch m = match_at(g, i);
      if (!m.ok()) continue;
      bool free = true;
      for (int k : m.nodes) free = free && role[static_cast<size_t>(k)] == 0;
      if (!free) continue;
      for (int k : m.nodes) role[static_cast<size_t>(k)] = 1;
      role[static_cast<size_t>(m.last)] = 2;
      replaced[static_cast<size_t>(m.last)] = fused_node(g, m);
    }
    for (int i = 0; i < graph.node_size(); ++i) {
      const onnx::NodeProto& n = graph.node(i);
      if ((n.op_type() == "Erf" || n.op_type() == "Pow") && role[static_cast<size_t>(i)] == 0 &&
          (n.domain().empty() || n.domain() == "ai.onnx"))
        throw UserError(path, 0, g.label(i), n.op_type() + ": " + explanation(g, i));
    }
  }
  if (std::find(role.begin(), role.end(), 2) == role.end()) return;
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  for (int i = 0; i < graph.node_size(); ++i) {
    if (role[static_cast<size_t>(i)] == 1) continue;
    onnx::NodeProto* n = nodes.Add();
    *n = role[static_cast<size_t>(i)] == 2 ? replaced[static_cast<size_t>(i)] : graph.node(i);
    // Unnamed nodes keep the name they had before the rewrite shifted their index.
    if (n->name().empty()) n->set_name(node_label(graph.node(i), i));
  }
  graph.mutable_node()->Swap(&nodes);
}

}  // namespace aimc
