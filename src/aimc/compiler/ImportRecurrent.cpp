#include "aimc/compiler/ImportRecurrent.h"

#include <algorithm>
#include <cctype>

namespace aimc {

namespace {

void expectShape(const ConstTensor& t, const char* name, const std::vector<int64_t>& expected) {
  if (!t.is_float) throw Refusal(std::string("input ") + name + " is not a floating-point tensor");
  if (t.dims != expected)
    throw Refusal(
        std::string("input ") + name + " has shape " + shapeText(t.dims) + ", expected " +
        shapeText(expected) +
        (t.dims.size() == 3 && t.dims[0] == 2 ? " (two directions: bidirectional is not supported)" : ""));
}

}  // namespace

RecurrentWeights recurrentWeights(OpKind op, int64_t hidden, int64_t inputs, const ConstTensor& w,
                                  const ConstTensor& r, const ConstTensor* b) {
  const int64_t rows = RecurrentAttributes::gates(op) * hidden;
  expectShape(w, "W", {1, rows, inputs});
  expectShape(r, "R", {1, rows, hidden});
  if (b) expectShape(*b, "B", {1, 2 * rows});
  RecurrentWeights out;
  out.weight.resize(rows, inputs + hidden);
  for (int64_t g = 0; g < rows; ++g) {
    for (int64_t i = 0; i < inputs; ++i) out.weight(g, i) = w.floats[static_cast<size_t>(g * inputs + i)];
    for (int64_t h = 0; h < hidden; ++h)
      out.weight(g, inputs + h) = r.floats[static_cast<size_t>(g * hidden + h)];
  }
  out.bias_ih = Eigen::VectorXf::Zero(rows);
  out.bias_hh = Eigen::VectorXf::Zero(rows);
  if (b) {
    out.bias_ih = Eigen::Map<const Eigen::VectorXf>(b->floats.data(), rows);
    out.bias_hh = Eigen::Map<const Eigen::VectorXf>(b->floats.data() + rows, rows);
  }
  return out;
}

void checkDefaultActivations(OpKind op, const std::vector<std::string>& activations) {
  const std::vector<std::string> defaults = op == OpKind::kLstm
                                                ? std::vector<std::string>{"sigmoid", "tanh", "tanh"}
                                                : std::vector<std::string>{"sigmoid", "tanh"};
  std::vector<std::string> given = activations;
  for (std::string& a : given)
    std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!given.empty() && given != defaults) {
    std::string list;
    for (const std::string& a : activations) list += (list.empty() ? "" : ", ") + a;
    throw Refusal("activations [" + list + "] are not supported (only the defaults, sigmoid and tanh)");
  }
}

}  // namespace aimc
