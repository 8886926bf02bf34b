#pragma once
// The Verilated nmpu_top behind a plain interface, one implementation per Verilated build (Top = Vnmpu_top
// without the activation stage, Vnmpu_top_act with it). Included only by NmpuRtl.cpp and NmpuRtlAct.cpp, the
// two files that see Verilator headers.
#include <verilated.h>
#include <verilated_vcd_c.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/numerics/NmpuParams.h"
#include "cosim/NmpuPorts.h"
#include "cosim/VcdOutputFile.h"

namespace aimc {

class NmpuRtlBackend {
 public:
  virtual ~NmpuRtlBackend() = default;
  // Drives the inputs (clock unchanged), evaluates and returns the outputs.
  virtual NmpuPortOutputs evaluate(const NmpuPortInputs& in, const NmpuParams& p) = 0;
  virtual void set_clock(bool high) = 0;
  virtual void set_reset_n(bool high) = 0;
  virtual void dump(uint64_t time_ps) = 0;  // UserError if writing the waves failed
  virtual void close_wave() = 0;            // the VCD complete under its name, or a UserError
};

// The two builds (NmpuRtlAct.cpp exists only in targets verilated with the stage, AIMC_NMPU_RTL_HAS_ACT).
std::unique_ptr<NmpuRtlBackend> make_nmpu_rtl_backend(const std::string& wave_path);
std::unique_ptr<NmpuRtlBackend> make_nmpu_rtl_backend_act(const std::string& wave_path);

namespace nmpu_rtl_detail {

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

template <class Top>
class VerilatedNmpu : public NmpuRtlBackend {
 public:
  explicit VerilatedNmpu(const std::string& wave_path) {
    if (!wave_path.empty()) context_.traceEverOn(true);
    top_ = std::make_unique<Top>(&context_, "nmpu");
    if (!wave_path.empty()) {
      wave_ = std::make_unique<VerilatedVcdC>(&wave_file_);
      top_->trace(wave_.get(), 99);
      wave_->open(wave_path.c_str());
      wave_file_.check();
      if (!wave_->isOpen()) throw UserError(wave_path, 0, "wave", "cannot open the VCD file for writing");
    }
    top_->clk_i = 0;
    top_->rst_ni = 1;
    top_->eval();
  }
  ~VerilatedNmpu() override {
    top_->final();
    if (wave_) wave_->close();
  }

  NmpuPortOutputs evaluate(const NmpuPortInputs& in, const NmpuParams& p) override {
    Top& t = *top_;
    t.cfg_we_i = in.cfg_we;
    t.cfg_chan_i = in.cfg_chan;
    t.cfg_field_i = in.cfg_field;
    t.cfg_wdata_i = in.cfg_wdata;
    t.cfg_act_we_i = in.cfg_act_we;
    t.cfg_act_index_i = in.cfg_act_index;
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
    return out;
  }
  void set_clock(bool high) override {
    top_->clk_i = high ? 1 : 0;
    top_->eval();
  }
  void set_reset_n(bool high) override {
    top_->rst_ni = high ? 1 : 0;
    top_->eval();
  }
  void dump(uint64_t time_ps) override {
    if (!wave_) return;
    wave_->dump(time_ps);
    wave_file_.check();
  }
  void close_wave() override {
    if (!wave_) return;
    wave_->close();
    wave_file_.check();
  }

 private:
  VerilatedContext context_;
  std::unique_ptr<Top> top_;
  VcdOutputFile wave_file_;  // outlives wave_, which writes through it
  std::unique_ptr<VerilatedVcdC> wave_;
};

}  // namespace nmpu_rtl_detail
}  // namespace aimc
