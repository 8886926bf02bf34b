#include "aimc/hw/Core.h"

#include <algorithm>
#include <string>

#include "aimc/isa/FunctionalSteps.h"

namespace aimc {

namespace {
// Vectors of one kind a core buffers: double buffering, so a producer may run one sample ahead.
constexpr uint32_t kBufferDepth = 2;
}  // namespace

Core::Core(const sc_core::sc_module_name& name, const ArchConfig& arch, int id,
           const std::vector<Command>& table, Noc& noc, NetworkInterface::Deliver deliver,
           NetworkInterface::WaitForSpace wait_for_space, uint64_t seed)
    : HwModule(name, arch.core_period_ns()),
      id_(id),
      memory_(stats(), kBufferDepth),
      adc_("adc_bank", arch),
      tile_("tile", arch, memory_, adc_, seed, static_cast<uint32_t>(id)),
      digital_unit_("digital_unit", arch, id, memory_, adc_),
      dma_("dma", arch, memory_, digital_unit_),
      network_("network_interface", arch, id, memory_, noc, std::move(deliver), std::move(wait_for_space)) {
  dma_.config_port.bind(digital_unit_.config_socket);
  if (id % arch.core.controller.cores_per_controller == 0) {
    controller_ = std::make_unique<Controller>("controller", arch, table);
    driven_by(*controller_, 0);
  }
  SC_METHOD(on_arrival);
  sensitive << arrival_event_;
  dont_initialize();
}

void Core::driven_by(Controller& controller, uint32_t slot) {
  driver_ = &controller;
  controller.tile_socket(slot).bind(tile_.socket);
  controller.digital_socket(slot).bind(digital_unit_.socket);
  controller.network_socket(slot).bind(network_.socket);
  controller.dma_socket(slot).bind(dma_.socket);
  // The slots the digital unit writes are released once the sample is done.
  for (const Command& c : controller.table()) {
    if (c.slot != slot) continue;
    if (c.op == CommandOp::kDigital) output_tags_.push_back(isa::Digital::decode(c).output_tag);
    if (c.op == CommandOp::kPool) output_tags_.push_back(isa::Pool::decode(c).dst_tag);
    if (c.op == CommandOp::kDepthwise) output_tags_.push_back(isa::Depthwise::decode(c).output_tag);
    if (c.op == CommandOp::kAffine) output_tags_.push_back(isa::Affine::decode(c).output_tag);
  }
  controller.on_sample_done([this](uint64_t s) {
    for (uint32_t tag : output_tags_) memory_.release(tag, s);
    // The core's own track: one span per sample, from the end of the previous one (for the first sample
    // of a run, from its controller's first non-wait command) to the end of its command table.
    if (TraceRecorder::active()) {
      const sc_core::sc_time now = sc_core::sc_time_stamp();
      const double first = driver_->first_sample_begin_ns();
      const sc_core::sc_time begin =
          sample_end_ > sc_core::SC_ZERO_TIME && sample_end_.to_seconds() * 1e9 >= first
              ? sample_end_
              : sc_core::sc_time(std::max(first, 0.0), sc_core::SC_NS);
      trace_span("sample " + std::to_string(s), begin, now);
      sample_end_ = now;
    }
  });
}

void Core::deliver(const NetworkInterface::Packet& pk, sc_core::sc_time at) {
  const isa::RowTransfer rows{pk.dst_offset, 0, pk.rows, pk.row_bytes, pk.row_bytes, pk.dst_stride};
  auto& buf = memory_.buffer(pk.tag, pk.sample, rows.dst_end());
  step::scatter_rows(pk.data, rows, buf.data());
  memory_.count_access(pk.bytes());
  arrivals_.push({at, pk.tag, pk.sample, pk.bytes()});
  arrival_event_.notify(arrivals_.top().at - sc_core::sc_time_stamp());
}

void Core::on_arrival() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  while (!arrivals_.empty() && arrivals_.top().at <= now) {
    const Arrival a = arrivals_.top();
    arrivals_.pop();
    memory_.arrived(a.tag, a.sample, a.bytes);
  }
  if (!arrivals_.empty()) arrival_event_.notify(arrivals_.top().at - now);
}

}  // namespace aimc
