#include "cosim/NmpuLockstepChecker.h"

#include "aimc/base/Error.h"
#include "aimc/numerics/NmpuRegisterMap.h"

namespace aimc {

NmpuLockstepChecker::NmpuLockstepChecker(const NmpuParams& params, std::ostream& log, uint64_t max_reports)
    : model_(params),
      channels_(static_cast<size_t>(params.channels)),
      pipe_(static_cast<size_t>(params.pipeline_depth +
                                (params.activation.enabled ? params.activation.pipeline_depth : 0))),
      log_(log),
      max_reports_(max_reports) {}

void NmpuLockstepChecker::reset() {
  for (Slot& s : pipe_) s.valid = false;
  // The header register resets (stage off); the table keeps its values.
  act_.enabled = false;
  act_.table = false;
}

void NmpuLockstepChecker::report(const char* what, const NmpuPortInputs& in, const NmpuPortOutputs& observed,
                                 const Slot& out) {
  ++errors_;
  if (errors_ > max_reports_) return;
  const NmpuParams& p = model_.params();
  log_ << "NMPU MISMATCH at cycle " << cycle_ << ": " << what << "\n"
       << "  this cycle: in_valid=" << in.in_valid << " out_ready=" << in.out_ready
       << " | expected in_ready=" << (!pipe_.back().valid || in.out_ready) << " out_valid=" << out.valid
       << " | observed in_ready=" << observed.in_ready << " out_valid=" << observed.out_valid << "\n";
  if (!out.valid) return;
  log_ << "  output beat accepted at cycle " << out.accept_cycle << ", in_chan=" << out.beat.in_chan << "\n";
  for (size_t l = 0; l < out.expected.size(); ++l) {
    const NmpuChannel& c = out.coefficients[l];
    const int observed_value = l < observed.out_data.size() ? observed.out_data[l] : 0;
    const bool side_valid = out.beat.side_valid[l] != 0;
    const NmpuModel::Trace t =
        model_.trace(out.beat.pos[l], out.beat.neg[l], c, act_, out.beat.side[l], side_valid);
    log_ << "  lane " << l << (observed_value != out.expected[l] ? " *" : "  ") << " pos=" << out.beat.pos[l]
         << " neg=" << out.beat.neg[l] << " side=" << int{out.beat.side[l]} << " side_valid=" << side_valid
         << " | gain=" << c.gain << " offset=" << c.offset << " scale=" << c.scale << " bias=" << c.bias
         << " side_scale=" << c.side_scale << " relu1=" << c.relu1 << " relu2=" << c.relu2
         << " act_slope_neg=" << c.act_slope_neg << " act(enabled=" << act_.enabled << " table=" << act_.table
         << ")"
         << " | model: y=" << t.corrected << " t1=" << t.scaled << " t2=" << t.side_added
         << " (accumulator frac bits " << p.accumulator.frac_bits << ")"
         << " | expected=" << int{out.expected[l]} << " observed=" << observed_value << "\n";
  }
}

bool NmpuLockstepChecker::step(const NmpuPortInputs& in, const NmpuPortOutputs& observed) {
  const size_t lanes = static_cast<size_t>(model_.params().lanes);
  const Slot& out = pipe_.back();
  const bool advance = !out.valid || in.out_ready;
  const uint64_t errors_before = errors_;

  if (observed.in_ready != advance) {
    report("in_ready differs", in, observed, out);
  } else if (observed.out_valid != out.valid) {
    report("out_valid differs", in, observed, out);
  } else if (out.valid) {
    bool same = observed.out_data.size() == lanes;
    for (size_t l = 0; same && l < lanes; ++l) same = observed.out_data[l] == out.expected[l];
    if (!same) report("out_data differs", in, observed, out);
    if (in.out_ready) values_checked_ += lanes;
  }

  // The rising edge: the pipeline advances, reading the coefficients as they were before this edge's write.
  if (advance) {
    for (size_t k = pipe_.size() - 1; k > 0; --k) pipe_[k] = std::move(pipe_[k - 1]);
    Slot& first = pipe_[0];
    first = Slot{};
    if (in.in_valid) {
      AIMC_ASSERT(in.pos.size() == lanes && in.neg.size() == lanes && in.side.size() == lanes &&
                  in.side_valid.size() == lanes);
      first.valid = true;
      first.accept_cycle = cycle_;
      first.beat = in;
      first.coefficients.resize(lanes);
      first.expected.resize(lanes);
      for (size_t l = 0; l < lanes; ++l) {
        const NmpuChannel& c = channels_[(in.in_chan + l) % channels_.size()];
        first.coefficients[l] = c;
        first.expected[l] = model_.process(in.pos[l], in.neg[l], c, act_, in.side[l], in.side_valid[l] != 0);
      }
    }
  }
  if (in.cfg_we && in.cfg_chan < channels_.size()) {
    NmpuRegisterMap::apply(model_.params(), in.cfg_field, in.cfg_wdata, channels_[in.cfg_chan]);
  }
  const NmpuParams& p = model_.params();
  if (in.cfg_act_we && p.activation.enabled && in.cfg_act_index < NmpuRegisterMap::activation_words(p)) {
    NmpuRegisterMap::apply_activation(p, in.cfg_act_index, in.cfg_wdata, act_);
  }
  ++cycle_;
  return errors_ == errors_before;
}

}  // namespace aimc
