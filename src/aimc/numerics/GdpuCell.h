#pragma once
// Bit-exact model of one GDPU slice's cell step (REFERENCE.md H: FP16 compute, INT8 in and out, 64 cell-state
// registers per slice). Every operation is an IEEE binary16 FMA (Fp16: round to nearest even, one rounding;
// mul(a, b) = fma(a, b, -0), add(a, b) = fma(a, 1, b)); tanh and sigmoid are GdpuTanhTable's. The order
// below is the bit-exact contract the chip (hw/Gdpu) and the numerics-only executor share.
//
// Input: the slice's serial input, 4 INT8 codes per unit, unit after unit (gates interleaved per unit, as
// the chip's "I/A/F/O" order); the bank's FP16 registers: one dequantisation scale per gate position and the
// output scale (1 / the real value of one step of h). dq(q, s) = mul(fp16(q), s) (fp16(q) is exact for INT8);
// rq(v) = saturate_int8(round_half_even(mul(v, out_scale))). `first` starts a sequence: the state reads as
// +0.
//
// LSTM, inputs per unit [i, a, f, o] (a = the cell candidate g, PyTorch's gate order i, f, g, o reordered
// to the chip's I/A/F/O), state = c (FP16):
//   i = sigmoid(dq(q_i, s_0)); a = tanh(dq(q_a, s_1)); f = sigmoid(dq(q_f, s_2)); o = sigmoid(dq(q_o, s_3))
//   c' = fma(f, c, mul(i, a));  h = mul(o, tanh(c'));  out = rq(h);  state <- c'
// GRU (PyTorch's form, linear_before_reset: n = tanh(W_in x + b_in + r * (W_hn h + b_hn))), inputs per unit
// [r, z, n_x, n_h] with n_x = W_in x + b_in and n_h = W_hn h + b_hn as two separate pre-activations (the
// reset gate multiplies only the hidden part, so the crossbars deliver it apart), state = h (FP16: the slice
// keeps the unrounded-to-INT8 hidden state for the update; the cores receive rq(h)):
//   r = sigmoid(dq(q_r, s_0)); z = sigmoid(dq(q_z, s_1)); xn = dq(q_nx, s_2); hn = dq(q_nh, s_3)
//   n = tanh(fma(r, hn, xn));  h' = fma(z, add(h, -n), n)   [= (1 - z) n + z h];  out = rq(h');  state <- h'
#include <array>
#include <cstddef>
#include <cstdint>

#include "aimc/numerics/Fp16.h"
#include "aimc/numerics/GdpuTanhTable.h"

namespace aimc {

enum class GdpuCellKind : uint32_t { kLstm = 0, kGru = 1 };
constexpr uint32_t kGdpuCellKinds = 2;
constexpr int kGdpuGatesPerUnit = 4;
const char* gdpu_cell_name(GdpuCellKind kind);

// One register bank of a slice: the FP16 scales of one layer's gates and of its output.
struct GdpuBank {
  std::array<Fp16, kGdpuGatesPerUnit> gate_scale{};
  Fp16 out_scale;
  // Rounds real scales to FP16 (ties to even); aimc::UserError naming `what` and the scale if one is not a
  // finite positive value FP16 can hold as a normal number.
  static GdpuBank from_real(const std::array<double, kGdpuGatesPerUnit>& gate_scale, double out_scale,
                            const char* what);
};

// What one step did (the slice's activity counts, for stats and energy).
struct GdpuActivity {
  uint64_t inputs = 0, outputs = 0, lut_lookups = 0, fmas = 0, state_reads = 0, state_writes = 0;
  GdpuActivity& operator+=(const GdpuActivity& o);
};

// Per unit of each kind: table lookups and FP16 FMAs the order above issues (a lookup's interpolating FMA
// and a sigmoid's halving and final FMA included), one state read and one write.
GdpuActivity gdpu_unit_activity(GdpuCellKind kind);

// One unit; `state` is its register.
int8_t gdpu_lstm_unit(const int8_t* q, const GdpuBank& bank, Fp16& state, bool first,
                      const GdpuTanhTable& table);
int8_t gdpu_gru_unit(const int8_t* q, const GdpuBank& bank, Fp16& state, bool first,
                     const GdpuTanhTable& table);

// `units` units: in[4 * units] -> out[units], state[units] updated, with the standard table.
GdpuActivity gdpu_cell_step(GdpuCellKind kind, const GdpuBank& bank, const int8_t* in, size_t units,
                            Fp16* state, bool first, int8_t* out);

}  // namespace aimc
