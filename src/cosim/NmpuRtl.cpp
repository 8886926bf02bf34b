#include "cosim/NmpuRtl.h"

#include "Vnmpu_top.h"
#include "aimc/base/Error.h"
#include "aimc/numerics/NmpuRegisterMap.h"
#include "cosim/NmpuRtlBackend.h"

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
// 1 when the target also verilated nmpu_top with ActStage = 1 (prefix Vnmpu_top_act, NmpuRtlAct.cpp).
#ifndef AIMC_NMPU_RTL_HAS_ACT
#define AIMC_NMPU_RTL_HAS_ACT 0
#endif

namespace aimc {

namespace {

// Half of the 400 MHz digital-unit clock period (REFERENCE.md A), for VCD time stamps only.
constexpr uint64_t kHalfPeriodPs = 1250;

}  // namespace

std::unique_ptr<NmpuRtlBackend> make_nmpu_rtl_backend(const std::string& wave_path) {
  return std::make_unique<nmpu_rtl_detail::VerilatedNmpu<Vnmpu_top>>(wave_path);
}

NmpuParams NmpuRtl::params(bool activation_stage) {
  NmpuParams p;
  p.lanes = AIMC_NMPU_RTL_LANES;
  p.pipeline_depth = AIMC_NMPU_RTL_PIPE_DEPTH;
  p.rounding = static_cast<NmpuRounding>(AIMC_NMPU_RTL_ROUND_MODE);
  p.channels = AIMC_NMPU_RTL_CHANNELS;
  p.activation.enabled = activation_stage;
  return p;
}

bool NmpuRtl::built_with_activation_stage() {
  return AIMC_NMPU_RTL_HAS_ACT != 0;
}

NmpuRtl::NmpuRtl(bool activation_stage, const std::string& wave_path) : activation_stage_(activation_stage) {
  if (!activation_stage) {
    v_ = make_nmpu_rtl_backend(wave_path);
    return;
  }
#if AIMC_NMPU_RTL_HAS_ACT
  v_ = make_nmpu_rtl_backend_act(wave_path);
#else
  throw UserError("", 0, "core.digital_unit.activation.enabled",
                  "this build has no Verilated NMPU with the activation stage (rtl/CMakeLists.txt: ACT)");
#endif
}

NmpuRtl::~NmpuRtl() = default;

void NmpuRtl::close_wave() {
  v_->close_wave();
}

void NmpuRtl::reset(int cycles) {
  evaluate(NmpuPortInputs{});
  v_->set_reset_n(false);
  for (int i = 0; i < cycles; ++i) clock_edge();
  v_->set_reset_n(true);
}

NmpuPortOutputs NmpuRtl::evaluate(const NmpuPortInputs& in) {
  NmpuPortOutputs out = v_->evaluate(in, own_params());
  v_->dump(time_ps_);
  return out;
}

void NmpuRtl::clock_edge() {
  time_ps_ += kHalfPeriodPs;
  v_->set_clock(true);
  v_->dump(time_ps_);
  time_ps_ += kHalfPeriodPs;
  v_->set_clock(false);
  v_->dump(time_ps_);
  ++cycle_;
}

void NmpuRtl::write_channel(uint32_t channel, const NmpuChannel& coefficients) {
  for (const NmpuRegisterMap::Write& w : NmpuRegisterMap::encode(coefficients))
    write_field(channel, w.field, w.wdata);
}

void NmpuRtl::write(const NmpuPortInputs& in) {
  evaluate(in);
  clock_edge();
  evaluate(NmpuPortInputs{});
}

void NmpuRtl::write_field(uint32_t channel, uint32_t field, uint32_t wdata) {
  NmpuPortInputs in;
  in.cfg_we = true;
  in.cfg_chan = channel;
  in.cfg_field = field;
  in.cfg_wdata = wdata;
  write(in);
}

void NmpuRtl::write_activation(uint32_t index, uint32_t wdata) {
  AIMC_ASSERT_MSG(activation_stage_, "activation register write to an NMPU without the stage");
  NmpuPortInputs in;
  in.cfg_act_we = true;
  in.cfg_act_index = index;
  in.cfg_wdata = wdata;
  write(in);
}

uint64_t NmpuRtl::process_range(const uint32_t* pos, const uint32_t* neg, size_t first_channel, size_t n,
                                const int8_t* side, const bool* side_valid, int8_t* out) {
  const NmpuParams p = own_params();
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
