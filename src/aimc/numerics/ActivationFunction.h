#pragma once
// The element-wise activation functions a network may apply after a layer, with their float meaning (as
// PyTorch defines them): the one definition the importer, the float reference (compiler/ReferenceExecutor)
// and the digital units' activation stage (their tables are built from activation_value) share.
#include <string>

#include "aimc/base/EnumNames.h"

namespace aimc {

enum class ActivationKind : int {
  kRelu = 0,     // max(x, 0)
  kLeakyRelu,    // x >= 0 ? x : alpha * x           (nn.LeakyReLU, alpha = negative_slope, default 0.01)
  kPRelu,        // x >= 0 ? x : slope[c] * x         (nn.PReLU; the slope per channel lives with the node)
  kHardtanh,     // clamp(x, alpha, beta)             (nn.Hardtanh, ReLU6 = Hardtanh(0, 6); ONNX Clip)
  kHardSigmoid,  // clamp(alpha * x + beta, 0, 1)     (ONNX HardSigmoid; nn.Hardsigmoid: alpha 1/6, beta 1/2)
  kHardSwish,    // x * clamp(x / 6 + 1 / 2, 0, 1)    (nn.Hardswish)
  kSigmoid,      // 1 / (1 + exp(-x))
  kTanh,         // tanh(x)
  kGelu,         // x * Phi(x), Phi the normal CDF    (nn.GELU(), the erf form)
  kGeluTanh,     // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))   (nn.GELU(approximate="tanh"))
  kSilu,         // x * sigmoid(x)                    (nn.SiLU)
  kElu,          // x >= 0 ? x : alpha * (exp(x) - 1) (nn.ELU, alpha default 1)
  kCos,          // cos(x)
  kSin,          // sin(x)
};

inline constexpr EnumName<ActivationKind> kActivationKindNames[] = {
    {ActivationKind::kRelu, "relu"},
    {ActivationKind::kLeakyRelu, "leaky_relu"},
    {ActivationKind::kPRelu, "prelu"},
    {ActivationKind::kHardtanh, "hardtanh"},
    {ActivationKind::kHardSigmoid, "hard_sigmoid"},
    {ActivationKind::kHardSwish, "hard_swish"},
    {ActivationKind::kSigmoid, "sigmoid"},
    {ActivationKind::kTanh, "tanh"},
    {ActivationKind::kGelu, "gelu"},
    {ActivationKind::kGeluTanh, "gelu_tanh"},
    {ActivationKind::kSilu, "silu"},
    {ActivationKind::kElu, "elu"},
    {ActivationKind::kCos, "cos"},
    {ActivationKind::kSin, "sin"},
};
constexpr const auto& enum_names(ActivationKind) {
  return kActivationKindNames;
}

// One activation with its scalar parameters (alpha, beta as in the comments above; unused ones stay 0). For
// kPRelu, `alpha` is the slope of the channel at hand.
struct ActivationSpec {
  ActivationKind kind = ActivationKind::kRelu;
  double alpha = 0.0;
  double beta = 0.0;

  bool operator==(const ActivationSpec& o) const {
    return kind == o.kind && alpha == o.alpha && beta == o.beta;
  }
  // e.g. "leaky_relu(0.01)", "hardtanh(-1, 1)", "sigmoid".
  std::string describe() const;
};

// Whether the function is piecewise linear (a slope-and-clamp stage computes it exactly) rather than smooth
// (a digital unit interpolates it from a table).
bool is_piecewise_linear(ActivationKind kind);

// The function's value at x, in double precision.
double activation_value(const ActivationSpec& spec, double x);

}  // namespace aimc
