#pragma once
// Wire resistance of a crossbar (IR drop): the nodal network of one polarity of a tile, its exact solve for
// small arrays (tests, studies) and the fast approximation the chip folds into its effective conductances.
//
// Geometry (CrossbarArray.h orientation): output line j (a physical row, one ADC) crosses input line i (a
// physical column, one PWM driver) at cell (j, i) of conductance G_ji. Every line is a ladder of one wire
// segment per cell pitch: input line i runs from its driver past rows 0, 1, ..., R-1 (segment m, of
// r_col, joins row m-1 to row m; segment 0 joins the driver to row 0); output line j runs from its ADC, a
// virtual ground, past inputs 0, 1, ..., C-1 (segments of r_row, segment 0 from the ADC to input 0). The
// ADC's current is the sum of the currents of the cells of its line (its only way out). A driver outside its
// PWM pulse holds its line at 0 V, so the network is linear in the input voltages and a PWM read (a sum of
// time slots with different active inputs) integrates to T x (V_read x codes) with ONE transfer matrix T:
// T_ji = ADC current of output line j per volt on input i alone. T depends on the conductances only, not on
// the data, so it is computed once per conductance update and the read path stays one exact matrix product.
//
// Exact: T by a sparse nodal analysis of the 2 R C nodes (SimplicialLDLT on the symmetric positive definite
// conductance matrix), one factorisation and C solves. O(R C) nodes: fine for tests and a 256 x 256 study,
// too slow for every tile of a chip at every drift step.
//
// Fast (the chip's): T_ji ~= G_ji u_i(j) h_j(i), the product of two exact one-dimensional ladder solutions:
//   u_i(j): the voltage at row j of input line i driven at 1 V with the output lines held at 0 V;
//   h_j(i): by reciprocity, the ADC current of output line j per volt behind cell i with every input line
//           held at 0 V, divided by G_ji (= the voltage at node i when 1 V is applied at the ADC end of the
//           line loaded by its cells to ground).
// Each is one tridiagonal solve per line, O(R C) in all. It is exact when either resistance is 0 and its
// first order in r G equals the exact one; what it leaves out is the coupling of the two ladders (the output
// line's voltage seen by the input line and vice versa), second order in r_row r_col G^2. The tests state and
// assert its error against the exact solve (WireResistanceTest).
//
// Dissipation (energy report): with every input at V, the wires dissipate sum_cells G_ji V^2 (1 - a_ji) to
// first order, a_ji = T_ji / G_ji; per input line i that is a loss conductance sum_j G_ji (1 - a_ji) in
// series with its pulse, which the energy model charges like the array's own conductance (ArrayReadEnergy).
#include <Eigen/Core>
#include <vector>

#include "aimc/numerics/AnalogParams.h"

namespace aimc {

struct WireSolution {
  Eigen::VectorXd adc_current_a;    // [R] current into each output line's ADC
  Eigen::MatrixXd v_input_line_v;   // [R, C] node voltage of input line i at row j
  Eigen::MatrixXd v_output_line_v;  // [R, C] node voltage of output line j at input i
  double wire_power_w = 0.0;        // I^2 r of every segment
  double cell_power_w = 0.0;        // G (V_in - V_out)^2 of every cell
};

// Exact DC solve of the network for input voltages v_in [C]. g_s [R, C] in siemens, resistances >= 0
// (0 = an ideal line: its nodes are the driver's voltage / the virtual ground).
WireSolution wire_solve_exact(const Eigen::MatrixXd& g_s, double r_row_ohm, double r_col_ohm,
                              const Eigen::VectorXd& v_in);

// Exact transfer matrix T [R, C] (siemens): ADC current of line j per volt on input i alone.
Eigen::MatrixXd wire_transfer_exact(const Eigen::MatrixXd& g_s, double r_row_ohm, double r_col_ohm);

// The fast approximation's attenuation a [R, C], T ~= a .* g (1 where G = 0 or both resistances are 0).
Eigen::MatrixXd wire_attenuation_ladder(const Eigen::MatrixXd& g_s, double r_row_ohm, double r_col_ohm);

// What a tile needs from its wires after a conductance update. g_us: device conductances in CrossbarArray's
// layout (plane-major, planes 0..n-1 positive, n..2n-1 negative; then output line, then input line).
struct TileWireState {
  Eigen::MatrixXd attenuation[2];  // [out, in] per polarity (+, -); empty (= all ones) when the wires are off
  std::vector<double> line_s;      // per input line: every device on it (siemens), for the read energy
  std::vector<double> wire_loss_s;  // per input line: sum_j G_ji (1 - a_ji) of both polarities; empty if off
};
TileWireState tile_wire_state(const std::vector<float>& g_us, int devices_per_polarity, int outputs,
                              int inputs, const WireParams& wire);

}  // namespace aimc
