#include "aimc/numerics/GdpuCell.h"

#include <cmath>
#include <string>

#include "aimc/base/Error.h"

namespace aimc {

namespace {

Fp16 dequantise(int8_t q, Fp16 scale) {
  return Fp16::mul(Fp16::from_int(q), scale);
}

int8_t requantise(Fp16 v, Fp16 out_scale) {
  return static_cast<int8_t>(Fp16::mul(v, out_scale).to_int_saturated(-128, 127));
}

Fp16 round_scale(double value, const char* what, const std::string& name) {
  const Fp16 r = Fp16::from_double(value);
  // The smallest normal FP16 is 2^-14.
  if (!std::isfinite(value) || value <= 0 || r.is_inf() || r.to_double() < std::ldexp(1.0, -14))
    throw UserError("", 0, what,
                    "GDPU " + name + " scale " + std::to_string(value) +
                        " is not a positive normal FP16 value (2^-14 .. 65504)");
  return r;
}

}  // namespace

const char* gdpu_cell_name(GdpuCellKind kind) {
  return kind == GdpuCellKind::kLstm ? "lstm" : "gru";
}

GdpuBank GdpuBank::from_real(const std::array<double, kGdpuGatesPerUnit>& gate_scale, double out_scale,
                             const char* what) {
  GdpuBank bank;
  for (int g = 0; g < kGdpuGatesPerUnit; ++g)
    bank.gate_scale[g] = round_scale(gate_scale[g], what, "gate " + std::to_string(g));
  bank.out_scale = round_scale(out_scale, what, "output");
  return bank;
}

GdpuActivity& GdpuActivity::operator+=(const GdpuActivity& o) {
  inputs += o.inputs;
  outputs += o.outputs;
  lut_lookups += o.lut_lookups;
  fmas += o.fmas;
  state_reads += o.state_reads;
  state_writes += o.state_writes;
  return *this;
}

GdpuActivity gdpu_unit_activity(GdpuCellKind kind) {
  GdpuActivity a;
  a.inputs = kGdpuGatesPerUnit;
  a.outputs = 1;
  a.state_reads = 1;
  a.state_writes = 1;
  if (kind == GdpuCellKind::kLstm) {
    // 4 dq, 3 sigmoids (2 FMAs + 1 lookup each), 2 tanh (1 each), mul(i, a), fma(f, c, .), mul(o, .), rq.
    a.lut_lookups = 5;
    a.fmas = 4 + 3 * 2 + 5 + 3 + 1;
  } else {
    // 4 dq, 2 sigmoids, 3 lookups, fma(r, hn, xn), add(h, -n), fma(z, ., n), rq.
    a.lut_lookups = 3;
    a.fmas = 4 + 2 * 2 + 3 + 3 + 1;
  }
  return a;
}

int8_t gdpu_lstm_unit(const int8_t* q, const GdpuBank& bank, Fp16& state, bool first,
                      const GdpuTanhTable& table) {
  const Fp16 i = table.sigmoid(dequantise(q[0], bank.gate_scale[0]));
  const Fp16 a = table.tanh(dequantise(q[1], bank.gate_scale[1]));
  const Fp16 f = table.sigmoid(dequantise(q[2], bank.gate_scale[2]));
  const Fp16 o = table.sigmoid(dequantise(q[3], bank.gate_scale[3]));
  const Fp16 c = first ? Fp16() : state;
  const Fp16 c_new = Fp16::fma(f, c, Fp16::mul(i, a));
  state = c_new;
  return requantise(Fp16::mul(o, table.tanh(c_new)), bank.out_scale);
}

int8_t gdpu_gru_unit(const int8_t* q, const GdpuBank& bank, Fp16& state, bool first,
                     const GdpuTanhTable& table) {
  const Fp16 r = table.sigmoid(dequantise(q[0], bank.gate_scale[0]));
  const Fp16 z = table.sigmoid(dequantise(q[1], bank.gate_scale[1]));
  const Fp16 xn = dequantise(q[2], bank.gate_scale[2]);
  const Fp16 hn = dequantise(q[3], bank.gate_scale[3]);
  const Fp16 n = table.tanh(Fp16::fma(r, hn, xn));
  const Fp16 h = first ? Fp16() : state;
  const Fp16 h_new = Fp16::fma(z, Fp16::add(h, -n), n);
  state = h_new;
  return requantise(h_new, bank.out_scale);
}

GdpuActivity gdpu_cell_step(GdpuCellKind kind, const GdpuBank& bank, const int8_t* in, size_t units,
                            Fp16* state, bool first, int8_t* out) {
  const GdpuTanhTable& table = GdpuTanhTable::standard();
  const auto unit = kind == GdpuCellKind::kLstm ? gdpu_lstm_unit : gdpu_gru_unit;
  for (size_t u = 0; u < units; ++u) out[u] = unit(in + kGdpuGatesPerUnit * u, bank, state[u], first, table);
  GdpuActivity total;
  const GdpuActivity per_unit = gdpu_unit_activity(kind);
  for (size_t u = 0; u < units; ++u) total += per_unit;
  return total;
}

}  // namespace aimc
