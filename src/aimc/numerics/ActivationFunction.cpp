#include "aimc/numerics/ActivationFunction.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace aimc {

namespace {

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

double hard_sigmoid(double x, double alpha, double beta) {
  return std::clamp(alpha * x + beta, 0.0, 1.0);
}

}  // namespace

std::string ActivationSpec::describe() const {
  switch (kind) {
    case ActivationKind::kLeakyRelu:
    case ActivationKind::kElu:
      return fmt::format("{}({:g})", enum_name(kind), alpha);
    case ActivationKind::kHardtanh:
    case ActivationKind::kHardSigmoid:
      return fmt::format("{}({:g}, {:g})", enum_name(kind), alpha, beta);
    default:
      return enum_name(kind);
  }
}

bool is_piecewise_linear(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::kRelu:
    case ActivationKind::kLeakyRelu:
    case ActivationKind::kPRelu:
    case ActivationKind::kHardtanh:
    case ActivationKind::kHardSigmoid:
      return true;
    default:
      return false;
  }
}

double activation_value(const ActivationSpec& spec, double x) {
  const double a = spec.alpha;
  switch (spec.kind) {
    case ActivationKind::kRelu:
      return std::max(x, 0.0);
    case ActivationKind::kLeakyRelu:
    case ActivationKind::kPRelu:
      return x >= 0 ? x : a * x;
    case ActivationKind::kHardtanh:
      return std::clamp(x, a, spec.beta);
    case ActivationKind::kHardSigmoid:
      return hard_sigmoid(x, a, spec.beta);
    case ActivationKind::kHardSwish:
      return x * hard_sigmoid(x, 1.0 / 6.0, 0.5);
    case ActivationKind::kSigmoid:
      return sigmoid(x);
    case ActivationKind::kTanh:
      return std::tanh(x);
    case ActivationKind::kGelu:
      return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case ActivationKind::kGeluTanh: {
      const double k = std::sqrt(2.0 / M_PI);
      return 0.5 * x * (1.0 + std::tanh(k * (x + 0.044715 * x * x * x)));
    }
    case ActivationKind::kSilu:
      return x * sigmoid(x);
    case ActivationKind::kElu:
      return x >= 0 ? x : a * std::expm1(x);
    case ActivationKind::kCos:
      return std::cos(x);
    case ActivationKind::kSin:
      return std::sin(x);
  }
  return x;
}

}  // namespace aimc
