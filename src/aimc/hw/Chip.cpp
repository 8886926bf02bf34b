#include "aimc/hw/Chip.h"

#include <algorithm>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/isa/FunctionalSteps.h"

namespace aimc {

Chip::Chip(const sc_core::sc_module_name& name, const ArchConfig& arch, const Mapping& mapping, uint64_t seed)
    : HwModule(name, arch.noc_period_ns()),
      arch_(arch),
      mapping_(mapping),
      noc_("noc", arch),
      mailbox_("mailbox", arch),
      samples_stat_(stats().add("samples", "1", "Input vectors processed")),
      input_bytes_(stats().add("input_bytes", "B", "Bytes streamed in through the host port")),
      output_bytes_stat_(stats().add("output_bytes", "B", "Bytes streamed out through the host port")) {
  const int64_t per_controller = arch.core.controller.cores_per_controller;
  AIMC_ASSERT(mapping.controller_commands.size() == static_cast<size_t>(arch.chip.cores / per_controller));
  for (int c = 0; c < arch.chip.cores; ++c) {
    const bool leads = c % per_controller == 0;
    cores_.push_back(std::make_unique<Core>(
        ("core" + std::to_string(c)).c_str(), arch, c,
        leads ? mapping.controller_commands[static_cast<size_t>(c / per_controller)] : std::vector<Command>{},
        noc_, [this](const NetworkInterface::Packet& pk, sc_core::sc_time at) { deliver(pk, at); },
        [this](uint32_t dst, uint32_t tag, uint64_t s) { wait_for_space(dst, tag, s); }, seed));
    if (leads) {
      controllers_.push_back(&cores_.back()->controller());
      controllers_.back()->mailbox_socket.bind(mailbox_.socket);  // binding i = controller i
    } else {
      cores_.back()->driven_by(*controllers_.back(), static_cast<uint32_t>(c % per_controller));
    }
  }
  for (auto& core : cores_) core->network_interface().set_multicast_groups(&mapping.multicast_groups);
  if (arch.gdpu.enabled) {
    gdpu_ = std::make_unique<Gdpu>(
        "gdpu", arch, mapping, noc_,
        [this](const NetworkInterface::Packet& pk, sc_core::sc_time at) { deliver(pk, at); });
    for (int s = 0; s < arch.gdpu.slices; ++s)
      cores_[static_cast<size_t>(gdpu_feeding_core(arch, s))]->network_interface().set_gdpu(gdpu_.get(), s);
  }
  SC_THREAD(inject);
  SC_METHOD(on_output);
  sensitive << output_event_;
  dont_initialize();
}

std::vector<ProgramResult> Chip::program() {
  // The crossbar pieces of each core (several when packed, isa/Mapping.h), programmed together.
  std::vector<std::vector<std::pair<int, const CrossbarPiece*>>> on_core(cores_.size());
  for (size_t pi = 0; pi < mapping_.pieces.size(); ++pi) {
    const CrossbarPiece& p = mapping_.pieces[pi];
    if (p.depthwise.enabled)  // weights in the digital unit's registers; the crossbar stays unprogrammed
      cores_[static_cast<size_t>(p.core)]->digital_unit().set_depthwise(p.depthwise);
    if (!p.uses_crossbar()) continue;  // (an affine's coefficients come with the configuration tables)
    on_core[static_cast<size_t>(p.core)].emplace_back(static_cast<int>(pi), &p);
    DigitalUnit& du = cores_[static_cast<size_t>(p.core)]->digital_unit();
    du.set_channel_block(static_cast<int>(pi), p.out_offset, p.out_count);
    if (p.pool.enabled) du.set_pool(p.pool, static_cast<int>(pi));
  }
  // Per piece; a packed core's programming result goes with its first piece. The crossbars are independent
  // (their draws keyed by tile): programmed on the pool.
  std::vector<ProgramResult> results(mapping_.pieces.size());
  host_pool().for_each(cores_.size(), [&](size_t c) {
    if (!on_core[c].empty())
      results[static_cast<size_t>(on_core[c].front().first)] = cores_[c]->tile().program(on_core[c]);
  });
  return results;
}

void Chip::set_threads(int threads) {
  for (auto& core : cores_) core->tile().set_worker_pool(nullptr);
  pool_ = threads > 1 ? std::make_unique<WorkerPool>(threads) : nullptr;
  for (auto& core : cores_) core->tile().set_worker_pool(pool_.get());
}

WorkerPool& Chip::host_pool() {
  return pool_ ? *pool_ : calling_thread_;
}

void Chip::set_inference_time(double t_s) {
  std::vector<bool> drifts(cores_.size(), false);  // digital weights do not drift
  for (const CrossbarPiece& p : mapping_.pieces)
    if (p.uses_crossbar()) drifts[static_cast<size_t>(p.core)] = true;
  host_pool().for_each(cores_.size(), [&](size_t c) {
    if (drifts[c]) cores_[c]->tile().set_inference_time(t_s);
  });
  for (size_t pi = 0; pi < mapping_.pieces.size(); ++pi) {
    const CrossbarPiece& p = mapping_.pieces[pi];
    Core& core = *cores_[static_cast<size_t>(p.core)];
    // The loader's part: the encoded register words go into the core's SRAM as the piece's configuration
    // table (and the residual pass's bank, same format, as a table of its own); the controller's set-up
    // commands have the DMA load them at the start of each run.
    const std::vector<DigitalChannelCoefficients> channels =
        piece_channel_coefficients(mapping_, pi, core.tile().array());
    check_piece_coefficients(arch_, mapping_, pi, channels, "main");
    core.memory().place_table(config_tag(static_cast<int>(pi)), core.digital_unit().impl().encode(channels));
    if (p.residual_pass) {
      const std::vector<DigitalChannelCoefficients> residual = piece_residual_coefficients(mapping_, pi);
      check_piece_coefficients(arch_, mapping_, pi, residual, "residual");
      core.memory().place_table(residual_config_tag(static_cast<int>(pi)),
                                core.digital_unit().impl().encode(residual));
    }
  }
}

void Chip::deliver(const NetworkInterface::Packet& pk, sc_core::sc_time at) {
  if (pk.dst != kOutputPort) {
    cores_[pk.dst]->deliver(pk, at);
    return;
  }
  const uint64_t index = pk.sample - first_sample_;
  for (uint32_t r = 0; r < pk.rows; ++r)
    std::copy_n(
        pk.data + static_cast<size_t>(r) * pk.row_bytes, pk.row_bytes,
        outputs_.begin() + static_cast<std::ptrdiff_t>(index * mapping_.output_features + pk.dst_offset +
                                                       static_cast<uint64_t>(r) * pk.dst_stride));
  pending_outputs_.push({at, pk.sample, pk.bytes()});
  output_event_.notify(pending_outputs_.top().at - sc_core::sc_time_stamp());
}

void Chip::on_output() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  while (!pending_outputs_.empty() && pending_outputs_.top().at <= now) {
    const Pending p = pending_outputs_.top();
    pending_outputs_.pop();
    const uint64_t index = p.sample - first_sample_;
    output_bytes_[index] += p.bytes;
    output_bytes_stat_ += p.bytes;
    if (output_bytes_[index] == mapping_.output_features) done_ns_[index] = now.to_seconds() * 1e9;
  }
  if (!pending_outputs_.empty()) output_event_.notify(pending_outputs_.top().at - now);
}

void Chip::wait_for_space(uint32_t dst, uint32_t tag, uint64_t sample) {
  if (dst != kOutputPort) cores_[dst]->memory().wait_for_space(tag, sample);
}

void Chip::inject() {
  while (true) {
    if (!inject_pending_) wait(start_inject_);
    inject_pending_ = false;
    for (uint64_t s = first_sample_; s < first_sample_ + samples_; ++s) {
      const int8_t* x = inputs_->data() + (s - first_sample_) * mapping_.input_features;
      for (size_t k = 0; k < mapping_.input_transfers.size(); ++k) {
        const Mapping::InputTransfer& tr = mapping_.input_transfers[k];
        Core& core = *cores_[static_cast<size_t>(tr.core)];
        core.memory().wait_for_space(tr.tag, s);
        if (k == 0) injected_ns_[s - first_sample_] = sc_core::sc_time_stamp().to_seconds() * 1e9;
        // The host port serialises its packets onto router 0, then the network carries them.
        const auto bytes = static_cast<uint32_t>(tr.rows * tr.row_bytes);
        const uint64_t now_cycle = static_cast<uint64_t>(
            std::ceil(sc_core::sc_time_stamp().to_seconds() * 1e9 / period_ns() - 1e-9));
        const uint64_t start = std::max(now_cycle, port_free_cycle_);
        port_free_cycle_ = start + noc_.flits(bytes);
        wait(cycles(port_free_cycle_) - sc_core::sc_time_stamp());
        const Noc::Transfer t = noc_.reserve(0, tr.core, bytes);
        packet_.resize(bytes);
        step::gather_rows(x, tr.transfer(), packet_.data());
        NetworkInterface::Packet pk;
        pk.dst = static_cast<uint32_t>(tr.core);
        pk.tag = tr.tag;
        pk.sample = s;
        pk.dst_offset = static_cast<uint32_t>(tr.dst_offset);
        pk.data = packet_.data();
        pk.row_bytes = static_cast<uint32_t>(tr.row_bytes);
        pk.rows = static_cast<uint32_t>(tr.rows);
        pk.dst_stride = static_cast<uint32_t>(tr.dst_stride);
        core.deliver(pk, t.delivered);
        input_bytes_ += bytes;
      }
      samples_stat_ += 1;
    }
  }
}

void Chip::set_activation_capture(ActivationCapture* capture) {
  capture_ = capture;
  for (auto& core : cores_) core->digital_unit().set_capture(capture);
}

ChipRun Chip::run(const std::vector<int8_t>& inputs, uint64_t samples) {
  inputs_ = &inputs;
  if (capture_) capture_->begin_run(first_sample_, samples);
  samples_ = samples;
  outputs_.assign(samples * static_cast<uint64_t>(mapping_.output_features), 0);
  output_bytes_.assign(samples, 0);
  injected_ns_.assign(samples, 0.0);
  done_ns_.assign(samples, -1.0);
  // The configuration phase: every controller has its DMAs load the digital units' registers for this
  // inference time; the samples start once all are done, so it is no part of any sample's latency.
  const double configure_begin = sc_core::sc_time_stamp().to_seconds() * 1e9;
  bool setup = false;
  for (Controller* c : controllers_)
    if (c->has_setup()) {
      c->configure();
      setup = true;
    }
  if (setup) sc_core::sc_start();  // returns when every controller waits again
  const double configure_ns = sc_core::sc_time_stamp().to_seconds() * 1e9 - configure_begin;
  for (auto& core : cores_) core->tile().number_noise_from(first_sample_, first_noise_sample_);
  first_noise_sample_ += samples;  // a caller that does not number the samples gets consecutive numbers
  for (Controller* c : controllers_)
    if (!c->idle()) c->start(first_sample_, samples);
  inject_pending_ = true;
  start_inject_.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start();  // returns when no event is left: every controller waits for the next run
  ChipRun r;
  r.outputs = outputs_;
  r.sample_latency_ns.resize(samples);
  for (uint64_t i = 0; i < samples; ++i) r.sample_latency_ns[i] = done_ns_[i] - injected_ns_[i];
  r.start_ns = samples ? injected_ns_.front() : 0.0;
  r.configure_ns = configure_ns;
  r.end_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  first_sample_ += samples;  // sample numbers keep growing so buffer bookkeeping stays in order
  return r;
}

}  // namespace aimc
