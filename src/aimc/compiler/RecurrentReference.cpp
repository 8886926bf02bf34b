#include "aimc/compiler/RecurrentReference.h"

#include <cmath>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

double sigmoid(double v) {
  return 1.0 / (1.0 + std::exp(-v));
}

// One batch item's running state.
struct State {
  Eigen::VectorXf h;
  Eigen::VectorXf c;
};

// g = W [x; h] + b_ih + b_hh over all G*H gate rows (LSTM: every gate reads x and h the same way).
Eigen::VectorXd lstmGates(const GraphNode& node, const Eigen::MatrixXd& w, const Eigen::VectorXd& xh) {
  const RecurrentAttributes& r = node.recurrent;
  return w * xh + r.bias_ih.cast<double>() + r.bias_hh.cast<double>();
}

// ONNX gate order i, o, f, c.
void lstmStep(const GraphNode& node, const Eigen::MatrixXd& w, const Eigen::VectorXd& xh, State& s) {
  const int64_t hidden = node.recurrent.hidden;
  const Eigen::VectorXd g = lstmGates(node, w, xh);
  for (int64_t u = 0; u < hidden; ++u) {
    const double i = sigmoid(g(u)), o = sigmoid(g(hidden + u)), f = sigmoid(g(2 * hidden + u));
    const double candidate = std::tanh(g(3 * hidden + u));
    s.c(u) = static_cast<float>(f * s.c(u) + i * candidate);
    s.h(u) = static_cast<float>(o * std::tanh(static_cast<double>(s.c(u))));
  }
}

// ONNX gate order z, r, h; the input part W_ih x and the recurrent part W_hh h kept apart for the candidate.
void gruStep(const GraphNode& node, const Eigen::MatrixXd& w, const Eigen::VectorXd& xh, State& s) {
  const RecurrentAttributes& r = node.recurrent;
  const int64_t hidden = r.hidden, in = w.cols() - hidden;
  const Eigen::VectorXd from_x = w.leftCols(in) * xh.head(in) + r.bias_ih.cast<double>();
  const Eigen::VectorXd h = xh.tail(hidden);
  Eigen::VectorXd z(hidden), reset(hidden);
  for (int64_t u = 0; u < hidden; ++u) {
    z(u) = sigmoid(from_x(u) + w.row(u).tail(hidden).dot(h) + r.bias_hh(u));
    reset(u) = sigmoid(from_x(hidden + u) + w.row(hidden + u).tail(hidden).dot(h) + r.bias_hh(hidden + u));
  }
  const auto w_hn = w.block(2 * hidden, in, hidden, hidden);
  const Eigen::VectorXd b_hn = r.bias_hh.tail(hidden).cast<double>();
  const Eigen::VectorXd recurrent = r.linear_before_reset
                                        ? Eigen::VectorXd(reset.cwiseProduct(w_hn * h + b_hn))
                                        : Eigen::VectorXd(w_hn * reset.cwiseProduct(h) + b_hn);
  for (int64_t u = 0; u < hidden; ++u) {
    const double n = std::tanh(from_x(2 * hidden + u) + recurrent(u));
    s.h(u) = static_cast<float>((1.0 - z(u)) * n + z(u) * h(u));
  }
}

State initialState(const RecurrentInputs& in, int64_t item, int64_t hidden) {
  State s{Eigen::VectorXf::Zero(hidden), Eigen::VectorXf::Zero(hidden)};
  if (in.h0) s.h = Eigen::Map<const Eigen::VectorXf>(in.h0 + item * hidden, hidden);
  if (in.c0) s.c = Eigen::Map<const Eigen::VectorXf>(in.c0 + item * hidden, hidden);
  return s;
}

}  // namespace

std::vector<float> recurrent_forward(const GraphNode& node, const Eigen::MatrixXd& weight,
                                     const RecurrentInputs& in) {
  AIMC_ASSERT(node.op == OpKind::kLstm || node.op == OpKind::kGru);
  const int64_t hidden = node.recurrent.hidden, features = weight.cols() - hidden;
  const bool sequence = node.recurrent.output == RecurrentOutput::kSequence;
  std::vector<float> y(static_cast<size_t>(in.batch * (sequence ? in.steps : 1) * hidden));
  Eigen::VectorXd xh(features + hidden);
  for (int64_t n = 0; n < in.batch; ++n) {
    State s = initialState(in, n, hidden);
    for (int64_t t = 0; t < in.steps; ++t) {
      const float* x = in.x + (n * in.steps + t) * features;
      for (int64_t i = 0; i < features; ++i) xh(i) = x[i];
      xh.tail(hidden) = s.h.cast<double>();
      if (node.op == OpKind::kLstm)
        lstmStep(node, weight, xh, s);
      else
        gruStep(node, weight, xh, s);
      if (sequence) Eigen::Map<Eigen::VectorXf>(y.data() + (n * in.steps + t) * hidden, hidden) = s.h;
    }
    if (!sequence) Eigen::Map<Eigen::VectorXf>(y.data() + n * hidden, hidden) = s.c;
  }
  return y;
}

}  // namespace aimc
