#pragma once
// The multi-node forms in which torch.onnx.export (torch 1.13, opsets 13-14) writes some activations, matched
// on the ONNX graph before import and replaced by one node each, so that the importer meets one operator per
// activation:
//  - GELU, erf form (nn.GELU()):      Div(x, sqrt 2) -> Erf -> Add 1 -> Mul x -> Mul 0.5   => Gelu
//  - GELU, tanh form (nn.GELU("tanh")): x^3 (Pow or Mul) -> Mul 0.044715 -> Add x -> Mul sqrt(2/pi) -> Tanh
//                                      -> Add 1 -> Mul x -> Mul 0.5                          => Gelu(tanh)
//  - SiLU (nn.SiLU):                  Mul(x, Sigmoid(x))                                     => Silu
//  - HardSwish before opset 14:       Mul(x, HardSigmoid(x; 1/6, 1/2))                       => HardSwish
// Commutative operands may come in any order and the product x * 0.5 * (...) in any grouping. Every constant
// is checked (relative tolerance kPatternTolerance); every inner tensor must have no reader outside the
// pattern. A form that does not match stays as it is: SiLU and HardSwish then run as their two nodes (the
// same function); an Erf or Pow that is left (they have no other meaning here) is refused with the reason.
//
// The fused node has the ONNX operator name (Gelu with attribute approximate = "none" | "tanh", as in opset
// 20; Silu; HardSwish), the name of the pattern's last node, and a string-list attribute "folded" naming
// the ONNX nodes it replaces.
#include <string>

namespace onnx {
class GraphProto;
}  // namespace onnx

namespace aimc {

// Relative tolerance on a pattern's constants: float32 roundings of sqrt(2), sqrt(2/pi), ... pass; a
// different constant does not. A choice: 1e-5 is 80 float32 ulps, far below any intended change.
constexpr double kPatternTolerance = 1e-5;

// Replaces every matched form in `graph` by its fused node; UserError(path, 0, node, reason) for an Erf or
// Pow outside a matched form, saying which part of the form differs.
void fuse_activation_patterns(onnx::GraphProto& graph, const std::string& path);

}  // namespace aimc
