#include "cosim/NmpuCosim.h"

#include <array>
#include <chrono>
#include <cmath>
#include <memory>
#include <vector>

#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/ActivationTable.h"
#include "aimc/numerics/NmpuFixedPoint.h"
#include "aimc/numerics/NmpuModel.h"
#include "aimc/numerics/NmpuRegisterMap.h"
#include "cosim/NmpuLockstepChecker.h"
#include "cosim/NmpuRtl.h"

namespace aimc {

namespace {

// Sub-ids of RngPurpose::kStimulus, so that each kind of draw has its own stream.
enum StimulusStream : uint32_t {
  kCoefficientDraws = 1,
  kDirectedDraws = 2,
  kRandomDraws = 3,
  kHandshakeDraws = 4,
  kActivationDraws = 5
};

// Sequential 32-bit words from one CounterRng stream (four per Philox block).
class StimulusDraws {
 public:
  StimulusDraws(uint64_t seed, uint32_t stream) : rng_(seed, 0, RngPurpose::kStimulus, stream) {}
  uint32_t word() {
    if (used_ == 4) {
      block_ = rng_.block(index_++);
      used_ = 0;
    }
    return block_[static_cast<size_t>(used_++)];
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>((static_cast<uint64_t>(word()) * n) >> 32); }
  bool chance(double p) { return static_cast<double>(word()) < p * 4294967296.0; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * CounterRng::to_unit(word()); }

 private:
  CounterRng rng_;
  uint64_t index_ = 0;
  std::array<uint32_t, 4> block_{};
  int used_ = 4;
};

// The RTL and the checker, stepped together.
class LockstepBench {
 public:
  LockstepBench(const NmpuParams& params, const std::string& wave, std::ostream& log)
      : params_(params), rtl_(params.activation.enabled, wave), checker_(params, log) {
    rtl_.reset();
    checker_.reset();
  }

  NmpuPortOutputs cycle(const NmpuPortInputs& in) {
    NmpuPortOutputs out = rtl_.evaluate(in);
    checker_.step(in, out);
    rtl_.clock_edge();
    return out;
  }

  void program(uint32_t channel, const NmpuChannel& c) {
    for (const NmpuRegisterMap::Write& w : NmpuRegisterMap::encode(c)) write_field(channel, w.field, w.wdata);
    if (params_.activation.enabled)
      write_field(channel, NmpuRegisterMap::kActSlopeNeg, static_cast<uint32_t>(c.act_slope_neg));
  }

  // The activation stage's shared registers (after drain(): the stage reads them as values reach it).
  void program_activation(const NmpuActivation& act) {
    const std::vector<uint32_t> words = NmpuRegisterMap::encode_activation(params_, act);
    for (size_t i = 0; i < words.size(); ++i) {
      NmpuPortInputs in = idle();
      in.cfg_act_we = true;
      in.cfg_act_index = static_cast<uint32_t>(i);
      in.cfg_wdata = words[i];
      cycle(in);
    }
  }

  // Runs idle cycles with out_ready high until the pipeline is empty.
  void drain() {
    const int depth =
        params_.pipeline_depth + (params_.activation.enabled ? params_.activation.pipeline_depth : 0);
    for (int i = 0; i <= depth; ++i) cycle(idle());
  }

  // Streams beats; each cycle offers the next beat with probability p_valid and takes an output with
  // probability p_ready (back-pressure). Records handshake cycles for the timing measurement.
  struct Timing {
    uint64_t first_in = 0, last_out = 0, first_out = 0, out_beats = 0;
  };
  Timing stream(const std::vector<NmpuPortInputs>& beats, double p_valid, double p_ready, StimulusDraws& hs) {
    Timing t;
    size_t next = 0;
    bool any_in = false;
    const uint64_t target_out = beats.size();
    const uint64_t start = rtl_.cycle();
    while (next < beats.size() || t.out_beats < target_out) {
      NmpuPortInputs in = next < beats.size() ? beats[next] : idle();
      in.in_valid = next < beats.size() && (p_valid >= 1.0 || hs.chance(p_valid));
      in.out_ready = p_ready >= 1.0 || hs.chance(p_ready);
      const uint64_t now = rtl_.cycle();
      const NmpuPortOutputs out = cycle(in);
      if (in.in_valid && out.in_ready) {
        if (!any_in) t.first_in = now;
        any_in = true;
        ++next;
      }
      if (out.out_valid && in.out_ready) {
        if (t.out_beats == 0) t.first_out = now;
        t.last_out = now;
        ++t.out_beats;
      }
      if (now - start > (beats.size() + 64) * 1000)
        break;  // the RTL stopped answering; the checker has reported it
    }
    return t;
  }

  NmpuPortInputs idle() const {
    NmpuPortInputs in;
    const size_t lanes = static_cast<size_t>(params_.lanes);
    in.pos.assign(lanes, 0);
    in.neg.assign(lanes, 0);
    in.side.assign(lanes, 0);
    in.side_valid.assign(lanes, 0);
    in.out_ready = true;
    return in;
  }

  void write_field(uint32_t channel, uint32_t field, uint32_t wdata) {
    NmpuPortInputs in = idle();
    in.cfg_we = true;
    in.cfg_chan = channel;
    in.cfg_field = field;
    in.cfg_wdata = wdata;
    cycle(in);
  }

  NmpuLockstepChecker& checker() { return checker_; }
  NmpuRtl& rtl() { return rtl_; }

 private:
  NmpuParams params_;
  NmpuRtl rtl_;
  NmpuLockstepChecker checker_;
};

// Coefficients at the limits of their formats and ones that put rounding ties at every stage.
std::vector<NmpuChannel> directed_channels(const NmpuModel& model) {
  const NmpuParams& p = model.params();
  auto max_of = [](const NmpuFixedFormat& f) {
    return static_cast<int32_t>(NmpuFixedPoint::max_signed(f.width()));
  };
  auto min_of = [](const NmpuFixedFormat& f) {
    return static_cast<int32_t>(NmpuFixedPoint::min_signed(f.width()));
  };
  std::vector<NmpuChannel> v;
  // Output ties for odd differences and odd side inputs (scale and side scale 1/2).
  v.push_back(model.quantize_channel(1.0, 0.0, 0.5, 0.0, 0.5, false, false));
  // Ties in the scale step: y = 8d, scale 2^-(accumulator.frac + 4) puts ties at d = 8 (mod 16).
  v.push_back(model.quantize_channel(1.0, 0.0, std::ldexp(1.0, -(p.accumulator.frac_bits + 4)), 0.0, 0.0,
                                     false, false));
  // Ties in the correction step: the smallest gain makes d * gain land on half a corrected LSB.
  {
    NmpuChannel c = model.quantize_channel(1.0, 0.0, 1.0, 0.0, 0.0, false, false);
    c.gain = 1;
    v.push_back(c);
  }
  // Output ties from the bias alone (scale 0): +-0.5, +-1.5, +-2.5 and at the saturation edges.
  for (double b : {0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 126.5, -128.5, 127.5, -127.5}) {
    v.push_back(model.quantize_channel(1.0, 0.0, 0.0, b, 0.0, false, false));
  }
  NmpuChannel c;
  // Extreme scales: largest positive and negative, smallest positive, with extreme gains and offsets.
  c = NmpuChannel{max_of(p.gain), max_of(p.offset), max_of(p.scale), 0, 0, false, false};
  v.push_back(c);
  c = NmpuChannel{
      min_of(p.gain), min_of(p.offset), min_of(p.scale), max_of(p.bias), min_of(p.side_scale), false, false};
  v.push_back(c);
  c = NmpuChannel{max_of(p.gain), 0, 1, 0, 0, false, false};
  v.push_back(c);
  c = NmpuChannel{
      max_of(p.gain), min_of(p.offset), max_of(p.scale), min_of(p.bias), max_of(p.side_scale), true, false};
  v.push_back(c);
  c = NmpuChannel{0, 0, 0, 0, max_of(p.side_scale), false, false};
  v.push_back(c);
  c = NmpuChannel{0, 0, 0, 0, min_of(p.side_scale), false, true};
  v.push_back(c);
  c = NmpuChannel{
      min_of(p.gain), max_of(p.offset), min_of(p.scale), min_of(p.bias), min_of(p.side_scale), true, true};
  v.push_back(c);
  v.push_back(NmpuChannel{});
  v.push_back(model.quantize_channel(-1.0, 3.25, 0.031, -0.75, 1.0, false, true));
  v.push_back(model.quantize_channel(1.0, 0.0, 0.031, 0.0, 1.0, true, true));
  return v;
}

NmpuChannel typical_channel(const NmpuModel& model, StimulusDraws& d) {
  // Calibration-like gains and offsets, scales that map a few hundred to a few thousand counts onto the INT8
  // range (so saturation happens now and then), and modest biases and side scales.
  const double sign = d.chance(0.5) ? 1.0 : -1.0;
  return model.quantize_channel(d.uniform(0.8, 1.2), d.uniform(-64, 64), sign * d.uniform(1.0 / 256, 1.0 / 8),
                                d.uniform(-40, 40), d.uniform(-2, 2), d.chance(0.5), d.chance(0.3));
}

NmpuChannel raw_random_channel(const NmpuParams& p, StimulusDraws& d) {
  NmpuChannel c;
  c.gain = NmpuRegisterMap::sign_extend(d.word(), p.gain.width());
  c.offset = NmpuRegisterMap::sign_extend(d.word(), p.offset.width());
  c.scale = NmpuRegisterMap::sign_extend(d.word(), p.scale.width());
  c.bias = NmpuRegisterMap::sign_extend(d.word(), p.bias.width());
  c.side_scale = NmpuRegisterMap::sign_extend(d.word(), p.side_scale.width());
  c.relu1 = d.chance(0.5);
  c.relu2 = d.chance(0.5);
  if (p.activation.enabled)
    c.act_slope_neg = NmpuRegisterMap::sign_extend(d.word(), p.activation.slope.width());
  return c;
}

uint32_t random_count(const NmpuParams& p, StimulusDraws& d) {
  return d.word() >> (32 - p.adc_count_bits);
}

// The activation stage of one real function (ActivationTable, as the chip builds it) with random scales,
// and every channel's slope below 0 (PReLU: each channel its own alpha). Scales that do not fit the stage's
// formats are drawn again (up to 20 times; false if none fit).
bool real_activation(const NmpuModel& model, ActivationKind kind, StimulusDraws& d, NmpuActivation* act,
                     std::vector<int32_t>* slope_neg) {
  const NmpuParams& p = model.params();
  for (int attempt = 0; attempt < 20; ++attempt) {
    ActivationSpec spec;
    spec.kind = kind;
    if (kind == ActivationKind::kLeakyRelu) spec.alpha = d.uniform(0.01, 0.3);
    if (kind == ActivationKind::kElu) spec.alpha = d.uniform(0.5, 1.5);
    if (kind == ActivationKind::kHardtanh) {
      spec.alpha = d.chance(0.5) ? -1.0 : 0.0;
      spec.beta = spec.alpha < 0 ? 1.0 : 6.0;
    }
    if (kind == ActivationKind::kHardSigmoid) spec.alpha = 1.0 / 6.0, spec.beta = 0.5;
    // Input step: the INT8 pre-activation range +-128 steps covers +-2 to +-8 real; output step: 1/16 to
    // 1/128.
    const double in_lsb = d.uniform(1.0 / 64, 1.0 / 16);
    const double out_step = d.uniform(1.0 / 128, 1.0 / 16);
    try {
      const ActivationTable table = ActivationTable::build(spec, in_lsb, out_step, p.activation.bins);
      *act = model.quantize_activation(table);
      act->breakpoints.resize(static_cast<size_t>(p.activation.bins - 1));
      act->values.resize(static_cast<size_t>(p.activation.bins));
      act->slopes.resize(static_cast<size_t>(p.activation.bins));
      slope_neg->assign(static_cast<size_t>(p.channels), 0);
      if (table.piecewise_linear) {
        for (int32_t& s : *slope_neg) {
          if (kind == ActivationKind::kPRelu) {
            spec.alpha = d.uniform(-0.5, 0.5);
            s = model.quantize_activation_slope(ActivationTable::build(spec, in_lsb, out_step, 3).slope_neg);
          } else {
            s = model.quantize_activation_slope(table.slope_neg);
          }
        }
      }
      return true;
    } catch (const UserError&) {
      // a coefficient out of its format at these scales: draw others
    }
  }
  return false;
}

// Every shared register and slope at a raw random value (every bit of every word; breakpoints unsorted).
NmpuActivation raw_random_activation(const NmpuParams& p, StimulusDraws& d) {
  NmpuActivation act;
  const std::vector<uint32_t> sizes(NmpuRegisterMap::activation_words(p), 0u);
  for (uint32_t i = 0; i < sizes.size(); ++i) NmpuRegisterMap::apply_activation(p, i, d.word(), act);
  act.enabled = true;
  return act;
}

// Random beats on random channels (every lane: counts anywhere, random side input, valid half the time).
std::vector<NmpuPortInputs> random_beats(LockstepBench& bench, const NmpuParams& p, size_t n,
                                         StimulusDraws& d) {
  std::vector<NmpuPortInputs> beats;
  for (size_t b = 0; b < n; ++b) {
    NmpuPortInputs in = bench.idle();
    in.in_valid = true;
    in.in_chan = d.below(static_cast<uint32_t>(p.channels));
    for (size_t l = 0; l < in.pos.size(); ++l) {
      in.pos[l] = random_count(p, d);
      in.neg[l] = d.chance(0.5) ? random_count(p, d) : d.below(64);
      in.side[l] = static_cast<int8_t>(static_cast<uint8_t>(d.word()));
      in.side_valid[l] = d.chance(0.5) ? 1 : 0;
    }
    beats.push_back(in);
  }
  return beats;
}

// Beats whose t2 is exactly each breakpoint and its two neighbours (the comparators' ties): channels
// [0, 3 * (bins - 1)) get scale 0 and bias = breakpoint + {-1, 0, 1} (accumulator and bias share their
// fraction bits by default; otherwise the bias is rounded and the beats are merely near the breakpoints).
std::vector<NmpuPortInputs> breakpoint_beats(LockstepBench& bench, const NmpuParams& p,
                                             const NmpuActivation& act, StimulusDraws& d) {
  const int64_t bias_max = NmpuFixedPoint::max_signed(p.bias.width());
  const int shift = p.bias.frac_bits - p.activation.breakpoint.frac_bits;
  std::vector<NmpuPortInputs> beats;
  for (size_t k = 0; k < act.breakpoints.size(); ++k) {
    for (int delta = -1; delta <= 1; ++delta) {
      const auto ch = static_cast<uint32_t>(3 * k + static_cast<size_t>(delta + 1));
      if (ch >= static_cast<uint32_t>(p.channels)) return beats;
      const int64_t scaled = shift >= 0 ? int64_t{act.breakpoints[k]} * (int64_t{1} << shift)
                                        : int64_t{act.breakpoints[k]} / (int64_t{1} << -shift);
      NmpuChannel c;
      c.bias = static_cast<int32_t>(std::max(-bias_max - 1, std::min(bias_max, scaled + delta)));
      c.act_slope_neg = bench.checker().channels()[ch].act_slope_neg;
      bench.program(ch, c);
      NmpuPortInputs in = bench.idle();
      in.in_valid = true;
      in.in_chan = ch;  // lane 0 on this channel, the others on its successors
      for (size_t l = 0; l < in.pos.size(); ++l)
        in.pos[l] = random_count(p, d), in.neg[l] = random_count(p, d);
      beats.push_back(in);
    }
  }
  return beats;
}

// The activation stage (a unit built with it): every function of ActivationKind with its table as the chip
// builds it and each function's comparator ties; the stage switched off (plain requantisation and relu2 from
// the same build); a line at its clamps' extremes; raw random registers. Each case under back-pressure.
// Restores the channels' coefficients afterwards. Returns the functions whose table could not be set up.
int run_activation_cases(LockstepBench& bench, const NmpuModel& model, StimulusDraws& d, StimulusDraws& hs,
                         std::ostream& log) {
  const NmpuParams& p = model.params();
  const std::vector<NmpuChannel> saved = bench.checker().channels();
  const auto channels = static_cast<uint32_t>(p.channels);
  auto load = [&](const NmpuActivation& act, const std::vector<int32_t>& slope_neg) {
    bench.drain();
    bench.program_activation(act);
    for (uint32_t ch = 0; ch < channels; ++ch)
      bench.write_field(ch, NmpuRegisterMap::kActSlopeNeg, static_cast<uint32_t>(slope_neg[ch]));
  };
  auto stream = [&](const std::vector<NmpuPortInputs>& beats) {
    bench.stream(beats, 1.0, 1.0, hs);
    bench.stream(beats, 0.8, 0.4, hs);
  };
  int kinds = 0;
  int setup_failures = 0;
  for (const auto& entry : kActivationKindNames) {
    NmpuActivation act;
    std::vector<int32_t> slope_neg;
    if (!real_activation(model, entry.value, d, &act, &slope_neg)) {
      log << "activation " << entry.name << ": no scale fits the stage's formats  ACTIVATION SETUP FAILED\n";
      ++setup_failures;
      continue;
    }
    load(act, slope_neg);
    stream(random_beats(bench, p, 200, d));
    if (act.table) {
      stream(breakpoint_beats(bench, p, act, d));
      for (uint32_t ch = 0; ch < 3 * static_cast<uint32_t>(act.breakpoints.size()) && ch < channels; ++ch)
        bench.program(ch, saved[ch]);
    }
    ++kinds;
  }
  // The stage off in a unit that has it: out = requant(t2), relu2 applies again.
  {
    NmpuActivation off;
    std::vector<int32_t> slope_neg;
    real_activation(model, ActivationKind::kGelu, d, &off, &slope_neg);
    off.enabled = false;
    load(off, slope_neg);
    stream(random_beats(bench, p, 200, d));
  }
  // A line at the extremes of its formats: largest slopes, clamps at the format's ends and inside.
  {
    const auto vmax = static_cast<int32_t>(NmpuFixedPoint::max_signed(p.activation.value.width()));
    const auto smax = static_cast<int32_t>(NmpuFixedPoint::max_signed(p.activation.slope.width()));
    for (int variant = 0; variant < 3; ++variant) {
      NmpuActivation act;
      act.enabled = true;
      act.breakpoints.assign(static_cast<size_t>(p.activation.bins - 1), 0);
      act.values.assign(static_cast<size_t>(p.activation.bins), 0);
      act.slopes.assign(static_cast<size_t>(p.activation.bins), 0);
      act.slope_pos = variant == 0 ? smax : (variant == 1 ? -smax - 1 : 1);
      act.intercept = variant == 0 ? -vmax - 1 : (variant == 1 ? vmax : 0);
      act.lo = variant == 2 ? -3 * 256 / 2 : -vmax - 1;
      act.hi = variant == 2 ? 5 * 256 / 2 : vmax;
      std::vector<int32_t> slope_neg(channels);
      for (int32_t& s : slope_neg) s = d.chance(0.5) ? smax : -smax - 1;
      load(act, slope_neg);
      stream(random_beats(bench, p, 100, d));
    }
  }
  // Raw random registers: every bit of every table word and slope.
  for (int t = 0; t < 16; ++t) {
    std::vector<int32_t> slope_neg(channels);
    for (int32_t& s : slope_neg) s = NmpuRegisterMap::sign_extend(d.word(), p.activation.slope.width());
    load(raw_random_activation(p, d), slope_neg);
    stream(random_beats(bench, p, 100, d));
  }
  bench.drain();
  for (uint32_t ch = 0; ch < channels; ++ch) bench.program(ch, saved[ch]);
  log << "activation: " << kinds << " functions (tables and lines as the chip builds them), stage off, line "
      << "extremes, 16 raw random tables; errors so far " << bench.checker().errors() << "\n";
  return setup_failures;
}

}  // namespace

int run_nmpu_cosim(const NmpuCosimOptions& opts, std::ostream& log) {
  const auto start = std::chrono::steady_clock::now();
  const NmpuParams params = NmpuRtl::params(opts.activation);
  const NmpuModel model(params);
  const size_t lanes = static_cast<size_t>(params.lanes);
  const uint32_t channels = static_cast<uint32_t>(params.channels);
  const uint32_t count_max = (uint32_t{1} << params.adc_count_bits) - 1;
  LockstepBench bench(params, opts.wave_path, log);
  StimulusDraws coeff_draws(opts.seed, kCoefficientDraws);
  StimulusDraws directed_draws(opts.seed, kDirectedDraws);
  StimulusDraws random_draws(opts.seed, kRandomDraws);
  StimulusDraws handshake(opts.seed, kHandshakeDraws);
  int timing_failures = 0;

  log << "NMPU lockstep co-simulation: lanes=" << params.lanes << " pipeline_depth=" << params.pipeline_depth
      << " rounding=" << to_string(params.rounding) << " channels=" << params.channels
      << " activation_stage=" << (params.activation.enabled ? "on" : "off") << " seed=" << opts.seed << "\n";

  // Coefficients: directed channels first, calibration-like ones after.
  const std::vector<NmpuChannel> directed = directed_channels(model);
  for (uint32_t ch = 0; ch < channels; ++ch) {
    bench.program(ch, ch < directed.size() ? directed[ch] : typical_channel(model, coeff_draws));
  }

  // 1. Latency and throughput without back-pressure against NmpuModel's closed forms.
  auto beat_of = [&](uint32_t chan, auto&& lane_fill) {
    NmpuPortInputs in = bench.idle();
    in.in_valid = true;
    in.in_chan = chan % channels;
    for (size_t l = 0; l < lanes; ++l) lane_fill(l, in);
    return in;
  };
  auto random_lane = [&](StimulusDraws& d) {
    return [&d, &params](size_t l, NmpuPortInputs& in) {
      in.pos[l] = random_count(params, d);
      in.neg[l] = random_count(params, d);
      in.side[l] = static_cast<int8_t>(static_cast<uint8_t>(d.word()));
      in.side_valid[l] = d.chance(0.5) ? 1 : 0;
    };
  };
  for (size_t n_beats : {size_t{1}, size_t{2}, size_t{37}}) {
    std::vector<NmpuPortInputs> beats;
    for (size_t b = 0; b < n_beats; ++b)
      beats.push_back(beat_of(directed_draws.below(channels), random_lane(directed_draws)));
    bench.drain();
    const auto t = bench.stream(beats, 1.0, 1.0, handshake);
    const uint64_t n_values = n_beats * lanes;
    const uint64_t measured_latency = t.last_out - t.first_in;
    const double measured_rate =
        static_cast<double>(t.out_beats * lanes) / static_cast<double>(t.last_out - t.first_out + 1);
    const bool ok =
        measured_latency == model.latency_cycles(n_values) && measured_rate == model.values_per_cycle();
    log << "timing: " << n_values << " values: first-in to last-out " << measured_latency << " cycles (model "
        << model.latency_cycles(n_values) << "), " << measured_rate << " values/cycle (model "
        << model.values_per_cycle() << ")" << (ok ? "" : "  TIMING MISMATCH") << "\n";
    if (!ok) ++timing_failures;
  }
  bench.drain();

  // 2. Directed inputs on every directed channel: counter extremes, odd differences (ties with scale 1/2),
  //    differences that tie in the scale and correction steps, side-input extremes.
  {
    std::vector<std::array<int64_t, 2>> pairs = {
        {0, 0},    {count_max, 0}, {0, count_max}, {count_max, count_max},
        {1, 0},    {0, 1},         {3, 0},         {0, 3},
        {5, 0},    {0, 5},         {8, 0},         {0, 8},
        {24, 0},   {0, 24},        {1024, 0},      {0, 1024},
        {3072, 0}, {0, 3072},      {255, 0},       {0, 255},
        {257, 0},  {0, 257},       {2048, 1024},   {1024, 2048}};
    const std::array<int, 7> sides = {0, 1, -1, 127, -128, 3, -3};
    std::vector<NmpuPortInputs> beats;
    for (uint32_t ch = 0; ch < directed.size(); ++ch) {
      for (const auto& pr : pairs) {
        for (size_t s = 0; s < sides.size(); s += 3) {
          beats.push_back(beat_of(ch, [&](size_t l, NmpuPortInputs& in) {
            in.pos[l] = static_cast<uint32_t>(std::min<int64_t>(pr[0], count_max));
            in.neg[l] = static_cast<uint32_t>(std::min<int64_t>(pr[1], count_max));
            in.side[l] = static_cast<int8_t>(sides[(s + l) % sides.size()]);
            in.side_valid[l] = (l % 4) != 3 ? 1 : 0;
          }));
        }
      }
    }
    // All-negative input: the positive counter is zero on every lane.
    for (int b = 0; b < 200; ++b) {
      beats.push_back(beat_of(directed_draws.below(channels), [&](size_t l, NmpuPortInputs& in) {
        in.pos[l] = 0;
        in.neg[l] = 1 + directed_draws.below(count_max);
        in.side[l] = static_cast<int8_t>(-static_cast<int>(directed_draws.below(129)));
        in.side_valid[l] = 1;
      }));
    }
    bench.stream(beats, 1.0, 1.0, handshake);
    // Back-pressure: the same beats with out_ready low most of the time, then toggling.
    bench.stream(beats, 1.0, 0.1, handshake);
    bench.stream(beats, 0.7, 0.5, handshake);
    bench.drain();
    log << "directed: " << beats.size() * 3 << " beats (" << beats.size() * 3 * lanes << " values) on "
        << directed.size() << " directed channels, errors so far " << bench.checker().errors() << "\n";
  }

  StimulusDraws act_draws(opts.seed, kActivationDraws);
  if (params.activation.enabled)
    timing_failures += run_activation_cases(bench, model, act_draws, handshake, log);

  // 3. Random vectors: half on calibration-like coefficients, half on raw random register values (every bit
  // of
  //    every coefficient), each under changing valid/ready patterns.
  const uint64_t total_beats = (opts.vectors + lanes - 1) / lanes;
  const std::array<std::array<double, 2>, 4> handshake_policies = {
      {{1.0, 1.0}, {0.9, 0.8}, {1.0, 0.3}, {0.5, 1.0}}};
  uint64_t done_beats = 0;
  for (int epoch = 0; epoch < 2 && done_beats < total_beats; ++epoch) {
    if (epoch == 1) {
      for (uint32_t ch = 0; ch < channels; ++ch) bench.program(ch, raw_random_channel(params, coeff_draws));
    }
    if (params.activation.enabled) {
      bench.drain();
      // Epoch 0: GELU's table as the chip builds it; epoch 1: raw random registers.
      NmpuActivation act;
      std::vector<int32_t> slope_neg;
      if (epoch == 0) real_activation(model, ActivationKind::kGelu, act_draws, &act, &slope_neg);
      bench.program_activation(epoch == 0 ? act : raw_random_activation(params, act_draws));
    }
    const uint64_t epoch_end = epoch == 0 ? total_beats / 2 : total_beats;
    while (done_beats < epoch_end) {
      const uint64_t chunk = std::min<uint64_t>(1024, epoch_end - done_beats);
      std::vector<NmpuPortInputs> beats;
      beats.reserve(chunk);
      for (uint64_t b = 0; b < chunk; ++b) {
        beats.push_back(beat_of(random_draws.below(channels), [&](size_t l, NmpuPortInputs& in) {
          switch (random_draws.below(4)) {
            case 0:  // anywhere in the counter range
              in.pos[l] = random_count(params, random_draws);
              in.neg[l] = random_count(params, random_draws);
              break;
            case 1:  // small counts, near zero
              in.pos[l] = random_draws.below(64);
              in.neg[l] = random_draws.below(64);
              break;
            case 2:  // one polarity only
              in.pos[l] = random_draws.chance(0.5) ? random_count(params, random_draws) : 0;
              in.neg[l] = in.pos[l] == 0 ? random_count(params, random_draws) : 0;
              break;
            default: {  // nearly equal counters
              in.pos[l] = random_count(params, random_draws);
              const int64_t n =
                  static_cast<int64_t>(in.pos[l]) + static_cast<int64_t>(random_draws.below(33)) - 16;
              in.neg[l] = static_cast<uint32_t>(std::max<int64_t>(0, std::min<int64_t>(count_max, n)));
            }
          }
          in.side[l] = static_cast<int8_t>(static_cast<uint8_t>(random_draws.word()));
          in.side_valid[l] = random_draws.chance(0.5) ? 1 : 0;
        }));
      }
      const auto& policy = handshake_policies[handshake.below(4)];
      bench.stream(beats, policy[0], policy[1], handshake);
      done_beats += chunk;
    }
    bench.drain();
  }

  // 4. The whole-vector interface the chip's digital unit uses (NmpuRtl::process_range) against
  //    NmpuModel::process_range and latency_cycles, on the raw random coefficients still loaded. The checker
  //    is not stepped here, so this comes last.
  uint64_t vector_mismatches = 0;
  {
    const std::vector<NmpuChannel> loaded = bench.checker().channels();
    const size_t n =
        static_cast<size_t>(channels) + lanes / 2;  // wraps around the channel file, ragged last beat
    std::vector<uint32_t> pos(n), neg(n);
    std::vector<int8_t> side(n), rtl_out(n), model_out(n);
    const std::unique_ptr<bool[]> side_valid(new bool[n]);  // std::vector<bool> has no data()
    for (size_t i = 0; i < n; ++i) {
      pos[i] = random_count(params, random_draws);
      neg[i] = random_count(params, random_draws);
      side[i] = static_cast<int8_t>(static_cast<uint8_t>(random_draws.word()));
      side_valid[i] = random_draws.chance(0.5);
    }
    const size_t first = 5;
    const uint64_t cycles = bench.rtl().process_range(pos.data(), neg.data(), first, n, side.data(),
                                                      side_valid.get(), rtl_out.data());
    std::vector<NmpuChannel> wrapped;
    for (size_t i = 0; i < n; ++i) wrapped.push_back(loaded[(first + i) % loaded.size()]);
    model.process_range(pos.data(), neg.data(), wrapped, bench.checker().activation(), 0, n, side.data(),
                        side_valid.get(), model_out.data());
    for (size_t i = 0; i < n; ++i) vector_mismatches += rtl_out[i] != model_out[i] ? 1 : 0;
    const bool ok = vector_mismatches == 0 && cycles == model.latency_cycles(n);
    log << "vector interface: " << n << " values from channel " << first << ", " << vector_mismatches
        << " mismatches, " << cycles << " cycles (model " << model.latency_cycles(n) << ")"
        << (ok ? "" : "  VECTOR INTERFACE MISMATCH") << "\n";
    if (!ok) ++timing_failures;
  }

  bench.rtl().close_wave();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const NmpuLockstepChecker& checker = bench.checker();
  log << "random: " << total_beats * lanes << " values\n"
      << "summary: " << checker.values_checked() << " values checked over " << checker.cycle() << " cycles, "
      << checker.errors() << " mismatches, " << timing_failures << " timing mismatches, " << seconds
      << " s host time (" << static_cast<double>(checker.values_checked()) / seconds << " values/s)\n";
  const bool pass = checker.errors() == 0 && timing_failures == 0;
  log << (pass ? "PASS" : "FAIL") << "\n";
  return pass ? 0 : 1;
}

}  // namespace aimc
