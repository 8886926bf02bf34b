#pragma once
// The importer's rules for the ONNX operators that are one element-wise activation each (after
// fuse_activation_patterns, ActivationPatterns.h): their ActivationSpec from the node's attributes.
// PRelu (a slope tensor) and Clip (bounds as inputs) need the importer's constants and stay in OnnxImporter.
#include <string>
#include <vector>

#include "aimc/numerics/ActivationFunction.h"

namespace onnx {
class NodeProto;
}  // namespace onnx

namespace aimc {

// Sigmoid, Tanh, LeakyRelu, Elu, HardSigmoid, HardSwish, Cos, Sin, and the fused Gelu and Silu.
bool is_activation_operator(const std::string& op_type);

// The function `node` computes; UserError(path, 0, node_name, "<op>: reason") for an attribute it does not
// know or a value it cannot take.
ActivationSpec activation_spec_of(const onnx::NodeProto& node, const std::string& path,
                                  const std::string& node_name);

// The ONNX nodes a fused node replaces (its "folded" attribute; empty for a plain node).
std::vector<std::string> folded_node_names(const onnx::NodeProto& node);

}  // namespace aimc
