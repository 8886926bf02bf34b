#include "aimc/numerics/WireResistance.h"

#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>
#include <vector>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

// The nodal network of WireResistance.h: unknowns are the nodes of the lines with a resistance > 0 (an
// ideal line's nodes are its driver's voltage or the ADC's virtual ground). Y is factored once; rhs()
// builds the right-hand side of any input vector.
class WireNetwork {
 public:
  WireNetwork(const Eigen::MatrixXd& g, double r_row, double r_col)
      : g_(g), rows_(static_cast<int>(g.rows())), cols_(static_cast<int>(g.cols())) {
    AIMC_ASSERT(r_row >= 0.0 && r_col >= 0.0);
    gr_ = r_row > 0.0 ? 1.0 / r_row : 0.0;
    gc_ = r_col > 0.0 ? 1.0 / r_col : 0.0;
    const int cells = rows_ * cols_;
    unknowns_ = (gc_ > 0.0 ? cells : 0) + (gr_ > 0.0 ? cells : 0);
    if (unknowns_ == 0) return;
    std::vector<Eigen::Triplet<double>> t;
    t.reserve(static_cast<size_t>(unknowns_) * 5);
    auto stamp = [&](int a, int b, double gab) {  // -1 = a known node
      if (a >= 0) t.emplace_back(a, a, gab);
      if (b >= 0) t.emplace_back(b, b, gab);
      if (a >= 0 && b >= 0) {
        t.emplace_back(a, b, -gab);
        t.emplace_back(b, a, -gab);
      }
    };
    for (int j = 0; j < rows_; ++j)
      for (int i = 0; i < cols_; ++i) {
        stamp(in_node(j, i), out_node(j, i), g_(j, i));
        if (gc_ > 0.0) stamp(in_node(j, i), j > 0 ? in_node(j - 1, i) : -1, gc_);    // segment j of input i
        if (gr_ > 0.0) stamp(out_node(j, i), i > 0 ? out_node(j, i - 1) : -1, gr_);  // segment i of output j
      }
    Eigen::SparseMatrix<double> y(unknowns_, unknowns_);
    y.setFromTriplets(t.begin(), t.end());
    solver_.compute(y);
    AIMC_ASSERT_MSG(solver_.info() == Eigen::Success, "wire network not positive definite");
  }

  // The solution for input voltages v_in.
  WireSolution solve(const Eigen::VectorXd& v_in) const {
    AIMC_ASSERT(v_in.size() == cols_);
    Eigen::VectorXd x;
    if (unknowns_ > 0) x = solver_.solve(rhs(v_in));
    WireSolution s;
    s.v_input_line_v.resize(rows_, cols_);
    s.v_output_line_v.resize(rows_, cols_);
    s.adc_current_a = Eigen::VectorXd::Zero(rows_);
    for (int j = 0; j < rows_; ++j)
      for (int i = 0; i < cols_; ++i) {
        const double vi = in_node(j, i) >= 0 ? x[in_node(j, i)] : v_in[i];
        const double vo = out_node(j, i) >= 0 ? x[out_node(j, i)] : 0.0;
        s.v_input_line_v(j, i) = vi;
        s.v_output_line_v(j, i) = vo;
        s.adc_current_a[j] += g_(j, i) * (vi - vo);
        s.cell_power_w += g_(j, i) * (vi - vo) * (vi - vo);
        if (gc_ > 0.0) {
          const double d = (j > 0 ? s.v_input_line_v(j - 1, i) : v_in[i]) - vi;
          s.wire_power_w += d * d * gc_;
        }
        if (gr_ > 0.0) {
          const double d = (i > 0 ? s.v_output_line_v(j, i - 1) : 0.0) - vo;
          s.wire_power_w += d * d * gr_;
        }
      }
    return s;
  }

 private:
  int in_node(int j, int i) const { return gc_ > 0.0 ? j * cols_ + i : -1; }
  int out_node(int j, int i) const {
    return gr_ > 0.0 ? (gc_ > 0.0 ? rows_ * cols_ : 0) + j * cols_ + i : -1;
  }
  // Currents injected by the known nodes: the drivers (through segment 0 of each input line, or through
  // the cells of an ideal input line).
  Eigen::VectorXd rhs(const Eigen::VectorXd& v_in) const {
    Eigen::VectorXd b = Eigen::VectorXd::Zero(unknowns_);
    for (int j = 0; j < rows_; ++j)
      for (int i = 0; i < cols_; ++i) {
        if (gc_ > 0.0 && j == 0) b[in_node(0, i)] += gc_ * v_in[i];
        if (gc_ == 0.0 && out_node(j, i) >= 0) b[out_node(j, i)] += g_(j, i) * v_in[i];
      }
    return b;
  }

  const Eigen::MatrixXd& g_;
  int rows_, cols_;
  double gr_ = 0.0, gc_ = 0.0;
  int unknowns_ = 0;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> solver_;
};

// Node voltages of a ladder: a source v_source behind one segment of conductance g_seg to node 0, one
// segment between successive nodes, node k loaded by load[k] to ground (Thomas algorithm; the system is
// diagonally dominant).
void ladder_voltages(const std::vector<double>& load, double g_seg, std::vector<double>& v) {
  const size_t n = load.size();
  v.assign(n, 1.0);
  if (g_seg <= 0.0 || n == 0) return;
  std::vector<double> c(n), d(n);
  for (size_t k = 0; k < n; ++k) {
    const double diag = g_seg * (k + 1 < n ? 2.0 : 1.0) + load[k];
    const double rhs = k == 0 ? g_seg : 0.0;
    const double denom = k == 0 ? diag : diag + g_seg * c[k - 1];  // sub-diagonal -g_seg
    c[k] = -g_seg / denom;
    d[k] = k == 0 ? rhs / denom : (rhs + g_seg * d[k - 1]) / denom;
  }
  v[n - 1] = d[n - 1];
  for (size_t k = n - 1; k-- > 0;) v[k] = d[k] - c[k] * v[k + 1];
}

}  // namespace

WireSolution wire_solve_exact(const Eigen::MatrixXd& g_s, double r_row_ohm, double r_col_ohm,
                              const Eigen::VectorXd& v_in) {
  return WireNetwork(g_s, r_row_ohm, r_col_ohm).solve(v_in);
}

Eigen::MatrixXd wire_transfer_exact(const Eigen::MatrixXd& g_s, double r_row_ohm, double r_col_ohm) {
  const WireNetwork net(g_s, r_row_ohm, r_col_ohm);
  Eigen::MatrixXd t(g_s.rows(), g_s.cols());
  for (Eigen::Index i = 0; i < g_s.cols(); ++i)
    t.col(i) = net.solve(Eigen::VectorXd::Unit(g_s.cols(), i)).adc_current_a;
  return t;
}

Eigen::MatrixXd wire_attenuation_ladder(const Eigen::MatrixXd& g_s, double r_row_ohm, double r_col_ohm) {
  const auto rows = static_cast<size_t>(g_s.rows()), cols = static_cast<size_t>(g_s.cols());
  Eigen::MatrixXd a = Eigen::MatrixXd::Ones(g_s.rows(), g_s.cols());
  std::vector<double> load, v;
  if (r_col_ohm > 0.0)
    for (size_t i = 0; i < cols; ++i) {  // input line i driven at 1 V, output lines at 0 V
      load.resize(rows);
      for (size_t j = 0; j < rows; ++j) load[j] = g_s(j, i);
      ladder_voltages(load, 1.0 / r_col_ohm, v);
      for (size_t j = 0; j < rows; ++j) a(j, i) = v[j];
    }
  if (r_row_ohm > 0.0)
    for (size_t j = 0; j < rows; ++j) {  // 1 V at the ADC end of output line j, input lines at 0 V
      load.resize(cols);
      for (size_t i = 0; i < cols; ++i) load[i] = g_s(j, i);
      ladder_voltages(load, 1.0 / r_row_ohm, v);
      for (size_t i = 0; i < cols; ++i) a(j, i) *= v[i];
    }
  return a;
}

TileWireState tile_wire_state(const std::vector<float>& g_us, int devices_per_polarity, int outputs,
                              int inputs, const WireParams& wire) {
  const int n = devices_per_polarity;
  AIMC_ASSERT(g_us.size() == static_cast<size_t>(2 * n) * outputs * inputs);
  TileWireState s;
  s.line_s.assign(static_cast<size_t>(inputs), 0.0);
  if (!wire.enabled) {  // only the line sums, in the same order as below (start-up time, issue 20)
    for (int p = 0; p < 2 * n; ++p)
      for (int r = 0; r < outputs; ++r) {
        const float* row = &g_us[(static_cast<size_t>(p) * outputs + r) * inputs];
        for (int c = 0; c < inputs; ++c) s.line_s[static_cast<size_t>(c)] += row[c] * 1e-6;
      }
    return s;
  }
  Eigen::MatrixXd g[2] = {Eigen::MatrixXd::Zero(outputs, inputs), Eigen::MatrixXd::Zero(outputs, inputs)};
  for (int p = 0; p < 2 * n; ++p)
    for (int r = 0; r < outputs; ++r)
      for (int c = 0; c < inputs; ++c) {
        const double gs = g_us[(static_cast<size_t>(p) * outputs + r) * inputs + c] * 1e-6;
        g[p < n ? 0 : 1](r, c) += gs;
        s.line_s[static_cast<size_t>(c)] += gs;
      }
  for (int k = 0; k < 2; ++k) {
    s.attenuation[k] = wire_attenuation_ladder(g[k], wire.r_row_ohm_per_cell, wire.r_col_ohm_per_cell);
    const Eigen::VectorXd loss =
        (g[k].array() * (1.0 - s.attenuation[k].array())).colwise().sum().transpose();
    s.wire_loss_s.resize(static_cast<size_t>(inputs), 0.0);
    for (int c = 0; c < inputs; ++c) s.wire_loss_s[static_cast<size_t>(c)] += loss[c];
  }
  return s;
}

}  // namespace aimc
