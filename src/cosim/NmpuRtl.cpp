#include "cosim/NmpuRtl.h"

#include <verilated.h>
#include <verilated_vcd_c.h>

#include "Vnmpu_top.h"
#include "aimc/base/Error.h"
#include "aimc/numerics/NmpuRegisterMap.h"

// The Verilated model's parameters; rtl/CMakeLists.txt defines these from the same CMake variables it passes
// to Verilator as -G overrides. Without them the RTL's defaults apply, which equal NmpuParams' defaults.
#ifndef AIMC_NMPU_RTL_LANES
#define AIMC_NMPU_RTL_LANES 8
#endif
#ifndef AIMC_NMPU_RTL_PIPE_DEPTH
#define AIMC_NMPU_RTL_PIPE_DEPTH 4
#endif
#ifndef AIMC_NMPU_RTL_ROUND_MODE
#define AIMC_NMPU_RTL_ROUND_MODE 0
#endif
#ifndef AIMC_NMPU_RTL_CHANNELS
#define AIMC_NMPU_RTL_CHANNELS 256
#endif

namespace aimc {

namespace {

// Half of the 400 MHz digital-unit clock period (REFERENCE.md A), for VCD time stamps only.
constexpr uint64_t kHalfPeriodPs = 1250;

// Bit-field access to Verilator port types: integers up to 64 bits, and VlWide<N> for wider ports.
template <typename T>
void set_bits(T& port, int offset, int width, uint64_t value) {
  const uint64_t mask = (width >= 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1)) << offset;
  port = static_cast<T>((static_cast<uint64_t>(port) & ~mask) | ((value << offset) & mask));
}
template <std::size_t N>
void set_bits(VlWide<N>& port, int offset, int width, uint64_t value) {
  for (int b = 0; b < width; ++b) {
    const int bit = offset + b;
    const uint32_t m = uint32_t{1} << (bit % 32);
    if ((value >> b) & 1u) {
      port[bit / 32] |= m;
    } else {
      port[bit / 32] &= ~m;
    }
  }
}
template <typename T>
uint64_t get_bits(const T& port, int offset, int width) {
  return (static_cast<uint64_t>(port) >> offset) &
         (width >= 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1));
}
template <std::size_t N>
uint64_t get_bits(const VlWide<N>& port, int offset, int width) {
  uint64_t v = 0;
  for (int b = 0; b < width; ++b) {
    const int bit = offset + b;
    v |= static_cast<uint64_t>((port[bit / 32] >> (bit % 32)) & 1u) << b;
  }
  return v;
}

}  // namespace

struct NmpuRtl::Verilated {
  VerilatedContext context;
  std::unique_ptr<Vnmpu_top> top;
  std::unique_ptr<VerilatedVcdC> wave;
};

NmpuParams NmpuRtl::params() {
  NmpuParams p;
  p.lanes = AIMC_NMPU_RTL_LANES;
  p.pipeline_depth = AIMC_NMPU_RTL_PIPE_DEPTH;
  p.rounding = static_cast<NmpuRounding>(AIMC_NMPU_RTL_ROUND_MODE);
  p.channels = AIMC_NMPU_RTL_CHANNELS;
  return p;
}

NmpuRtl::NmpuRtl(const std::string& wave_path) : v_(std::make_unique<Verilated>()) {
  if (!wave_path.empty()) v_->context.traceEverOn(true);
  v_->top = std::make_unique<Vnmpu_top>(&v_->context, "nmpu");
  if (!wave_path.empty()) {
    v_->wave = std::make_unique<VerilatedVcdC>();
    v_->top->trace(v_->wave.get(), 99);
    v_->wave->open(wave_path.c_str());
    if (!v_->wave->isOpen()) throw UserError(wave_path, 0, "wave", "cannot open the VCD file for writing");
  }
  v_->top->clk_i = 0;
  v_->top->rst_ni = 1;
  v_->top->eval();
}

NmpuRtl::~NmpuRtl() {
  v_->top->final();
  if (v_->wave) v_->wave->close();
}

void NmpuRtl::reset(int cycles) {
  evaluate(NmpuPortInputs{});
  v_->top->rst_ni = 0;
  for (int i = 0; i < cycles; ++i) clock_edge();
  v_->top->rst_ni = 1;
  v_->top->eval();
}

NmpuPortOutputs NmpuRtl::evaluate(const NmpuPortInputs& in) {
  const NmpuParams p = params();
  Vnmpu_top& t = *v_->top;
  t.cfg_we_i = in.cfg_we;
  t.cfg_chan_i = in.cfg_chan;
  t.cfg_field_i = in.cfg_field;
  t.cfg_wdata_i = in.cfg_wdata;
  t.in_valid_i = in.in_valid;
  t.in_chan_i = in.in_chan;
  t.out_ready_i = in.out_ready;
  const int count_bits = p.adc_count_bits;
  for (int l = 0; l < p.lanes; ++l) {
    const size_t i = static_cast<size_t>(l);
    const bool have = i < in.pos.size();
    set_bits(t.in_pos_i, l * count_bits, count_bits, have ? in.pos[i] : 0u);
    set_bits(t.in_neg_i, l * count_bits, count_bits, have ? in.neg[i] : 0u);
    set_bits(t.in_side_i, l * 8, 8, have ? static_cast<uint8_t>(in.side[i]) : 0u);
    set_bits(t.in_side_valid_i, l, 1, have ? in.side_valid[i] : 0u);
  }
  t.eval();
  NmpuPortOutputs out;
  out.in_ready = t.in_ready_o != 0;
  out.out_valid = t.out_valid_o != 0;
  out.out_data.resize(static_cast<size_t>(p.lanes));
  for (int l = 0; l < p.lanes; ++l) {
    out.out_data[static_cast<size_t>(l)] =
        static_cast<int8_t>(static_cast<uint8_t>(get_bits(t.out_data_o, l * p.output_bits, p.output_bits)));
  }
  if (v_->wave) v_->wave->dump(time_ps_);
  return out;
}

void NmpuRtl::clock_edge() {
  Vnmpu_top& t = *v_->top;
  time_ps_ += kHalfPeriodPs;
  t.clk_i = 1;
  t.eval();
  if (v_->wave) v_->wave->dump(time_ps_);
  time_ps_ += kHalfPeriodPs;
  t.clk_i = 0;
  t.eval();
  if (v_->wave) v_->wave->dump(time_ps_);
  ++cycle_;
}

void NmpuRtl::write_channel(uint32_t channel, const NmpuChannel& coefficients) {
  for (const NmpuRegisterMap::Write& w : NmpuRegisterMap::encode(coefficients))
    write_field(channel, w.field, w.wdata);
}

void NmpuRtl::write_field(uint32_t channel, uint32_t field, uint32_t wdata) {
  NmpuPortInputs in;
  in.cfg_we = true;
  in.cfg_chan = channel;
  in.cfg_field = field;
  in.cfg_wdata = wdata;
  evaluate(in);
  clock_edge();
  evaluate(NmpuPortInputs{});
}

uint64_t NmpuRtl::process_range(const uint32_t* pos, const uint32_t* neg, size_t first_channel, size_t n,
                                const int8_t* side, const bool* side_valid, int8_t* out) {
  const NmpuParams p = params();
  const size_t lanes = static_cast<size_t>(p.lanes);
  const size_t beats = (n + lanes - 1) / lanes;
  size_t sent = 0;
  size_t received = 0;
  uint64_t first_in = 0;
  uint64_t last_out = 0;
  while (received < beats) {
    NmpuPortInputs in;
    in.out_ready = true;
    if (sent < beats) {
      in.in_valid = true;
      in.in_chan = static_cast<uint32_t>((first_channel + sent * lanes) % static_cast<size_t>(p.channels));
      in.pos.assign(lanes, 0);
      in.neg.assign(lanes, 0);
      in.side.assign(lanes, 0);
      in.side_valid.assign(lanes, 0);
      for (size_t l = 0; l < lanes && sent * lanes + l < n; ++l) {
        const size_t i = sent * lanes + l;
        in.pos[l] = pos[i];
        in.neg[l] = neg[i];
        const bool valid = side != nullptr && (side_valid == nullptr || side_valid[i]);
        in.side[l] = valid ? side[i] : int8_t{0};
        in.side_valid[l] = valid ? 1 : 0;
      }
    }
    const NmpuPortOutputs o = evaluate(in);
    if (in.in_valid && o.in_ready) {
      if (sent == 0) first_in = cycle_;
      ++sent;
    }
    if (o.out_valid) {
      for (size_t l = 0; l < lanes && received * lanes + l < n; ++l)
        out[received * lanes + l] = o.out_data[l];
      last_out = cycle_;
      ++received;
    }
    clock_edge();
  }
  return n == 0 ? 0 : last_out - first_in;
}

}  // namespace aimc
