#include "aimc/compiler/ImportActivations.h"

#include <onnx/onnx_pb.h>

#include <map>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

struct ActivationRule {
  ActivationKind kind;
  double alpha;  // ONNX attribute defaults (alpha, beta) where the operator has them
  double beta;
  std::vector<std::string> attributes;  // the attributes the operator may carry
};

const std::map<std::string, ActivationRule>& rules() {
  static const std::map<std::string, ActivationRule> table = {
      {"Sigmoid", {ActivationKind::kSigmoid, 0, 0, {}}},
      {"Tanh", {ActivationKind::kTanh, 0, 0, {}}},
      {"LeakyRelu", {ActivationKind::kLeakyRelu, 0.01, 0, {"alpha"}}},  // ONNX default alpha 0.01
      {"Elu", {ActivationKind::kElu, 1.0, 0, {"alpha"}}},               // ONNX default alpha 1
      {"HardSigmoid", {ActivationKind::kHardSigmoid, 0.2, 0.5, {"alpha", "beta"}}},  // ONNX defaults
      {"HardSwish", {ActivationKind::kHardSwish, 0, 0, {"folded"}}},
      {"Cos", {ActivationKind::kCos, 0, 0, {}}},
      {"Sin", {ActivationKind::kSin, 0, 0, {}}},
      {"Gelu", {ActivationKind::kGelu, 0, 0, {"approximate", "folded"}}},
      {"Silu", {ActivationKind::kSilu, 0, 0, {"folded"}}},
  };
  return table;
}

}  // namespace

bool is_activation_operator(const std::string& op_type) {
  return rules().count(op_type) > 0;
}

ActivationSpec activation_spec_of(const onnx::NodeProto& node, const std::string& path,
                                  const std::string& node_name) {
  auto refuse = [&](const std::string& reason) {
    throw UserError(path, 0, node_name, node.op_type() + ": " + reason);
  };
  const ActivationRule& rule = rules().at(node.op_type());
  ActivationSpec spec{rule.kind, rule.alpha, rule.beta};
  for (const onnx::AttributeProto& a : node.attribute()) {
    bool known = false;
    for (const std::string& k : rule.attributes) known = known || a.name() == k;
    if (!known) refuse("unsupported attribute '" + a.name() + "'");
    if (a.name() == "alpha" || a.name() == "beta") {
      if (a.type() != onnx::AttributeProto_AttributeType_FLOAT)
        refuse("attribute " + a.name() + " is not a float");
      (a.name() == "alpha" ? spec.alpha : spec.beta) = a.f();
    } else if (a.name() == "approximate") {
      if (a.s() == "tanh")
        spec.kind = ActivationKind::kGeluTanh;
      else if (a.s() != "none")
        refuse("approximate = '" + a.s() + "' is neither 'none' nor 'tanh'");
    }
  }
  return spec;
}

std::vector<std::string> folded_node_names(const onnx::NodeProto& node) {
  for (const onnx::AttributeProto& a : node.attribute())
    if (a.name() == "folded") return {a.strings().begin(), a.strings().end()};
  return {};
}

}  // namespace aimc
