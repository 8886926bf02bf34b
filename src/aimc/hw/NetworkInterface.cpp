#include "aimc/hw/NetworkInterface.h"

#include <algorithm>

#include "aimc/base/Error.h"
#include "aimc/hw/Gdpu.h"
#include "aimc/isa/FunctionalSteps.h"

namespace aimc {

NetworkInterface::NetworkInterface(const sc_core::sc_module_name& name, const ArchConfig& arch, int core_id,
                                   CoreMemory& memory, Noc& noc, Deliver deliver, WaitForSpace wait_for_space)
    : CommandTarget(name, arch.noc_period_ns()),
      arch_(arch),
      core_id_(core_id),
      memory_(memory),
      noc_(noc),
      deliver_(std::move(deliver)),
      wait_for_space_(std::move(wait_for_space)),
      sent_bytes_(stats().add("sent_bytes", "B", "Payload bytes sent")),
      wait_ns_(stats().add("input_wait_time", "ns", "Time the core waited for input vectors")),
      send_ns_(stats().add("send_time", "ns", "Time spent injecting packets (incl. waiting for credits)")) {}

void NetworkInterface::execute_multicast(const Command& cmd, uint64_t sample) {
  const isa::Multicast mc = isa::Multicast::decode(cmd);
  AIMC_ASSERT(groups_ != nullptr && mc.group < groups_->size());
  const auto& group = (*groups_)[mc.group];
  for (const auto& d : group) wait_for_space_(static_cast<uint32_t>(d.core), d.tag, sample);
  Packet pk = gather(mc.src_tag, mc.rows, sample);
  const uint32_t bytes = pk.bytes();
  memory_.count_access(bytes);  // read once, copied by the routers of the tree
  std::vector<int> routers;
  for (const auto& d : group) routers.push_back(d.core);
  const Noc::MulticastTransfer t = noc_.reserve_multicast(core_id_, routers, bytes);
  for (size_t i = 0; i < group.size(); ++i) {
    pk.dst = static_cast<uint32_t>(group[i].core);
    pk.tag = group[i].tag;
    deliver_(pk, t.delivered[i]);
  }
  sent_bytes_ += bytes;
  if (multicast_bytes_ == nullptr)
    multicast_bytes_ = &stats().add("multicast_bytes", "B", "Payload bytes sent as multicast packets");
  *multicast_bytes_ += bytes;
  if (t.injected > sc_core::sc_time_stamp()) wait(t.injected - sc_core::sc_time_stamp());
}

// The gate vector goes from the slot into the slice this core feeds, one value per GDPU cycle; the slice
// sends h on (hw/Gdpu). Credits first, as for a send: the slice's packet will need a buffer at its
// destination.
void NetworkInterface::execute_gdpu_step(const Command& cmd, uint64_t sample) {
  const isa::GdpuStep g = isa::GdpuStep::decode(cmd);
  AIMC_ASSERT_MSG(gdpu_ != nullptr, "a gdpu_step on a core that feeds no GDPU slice");
  wait_for_space_(g.dst_core, g.dst_tag, sample);
  const uint64_t at = step::gdpu_input_offset(g, pixel());
  const auto& src = memory_.buffer(g.input_tag, sample, at + g.gate_bytes());
  memory_.count_access(g.gate_bytes());
  gdpu_->step(gdpu_slice_, g, pixel(), sample, src.data() + at);
  if (step::gdpu_releases_input(g, pixel())) memory_.release(g.input_tag, sample);
}

NetworkInterface::Packet NetworkInterface::gather(uint32_t src_tag, const isa::RowTransfer& rows,
                                                  uint64_t sample) {
  Packet pk;
  pk.sample = sample;
  pk.dst_offset = rows.dst_offset;
  pk.rows = rows.rows;
  pk.row_bytes = rows.row_bytes;
  pk.dst_stride = rows.dst_stride;
  const auto& src = memory_.buffer(src_tag, sample, rows.src_end());
  packet_.resize(pk.bytes());
  step::gather_rows(src.data(), rows, packet_.data());
  pk.data = packet_.data();
  return pk;
}

void NetworkInterface::execute(const Command& cmd, uint64_t sample) {
  const sc_core::sc_time start = sc_core::sc_time_stamp();
  if (cmd.op == CommandOp::kWaitInput) {
    const isa::WaitInput w = isa::WaitInput::decode(cmd);
    memory_.wait_for(w.tag, sample, step::wait_input_bytes(w, pixel()));
    wait_ns_ += (sc_core::sc_time_stamp() - start).to_seconds() * 1e9;
    return;
  }
  if (cmd.op == CommandOp::kGdpuStep) {
    execute_gdpu_step(cmd, sample);
    send_ns_ += (sc_core::sc_time_stamp() - start).to_seconds() * 1e9;
    return;
  }
  if (cmd.op == CommandOp::kMulticast) {
    execute_multicast(cmd, sample);
    send_ns_ += (sc_core::sc_time_stamp() - start).to_seconds() * 1e9;
    return;
  }
  if (cmd.op != CommandOp::kSend && cmd.op != CommandOp::kSendRows) return;
  uint32_t dst = 0, tag = 0, src_tag = 0;
  isa::RowTransfer rows;
  if (cmd.op == CommandOp::kSend) {
    const isa::Send s = isa::Send::decode(cmd);
    dst = s.dst_core;
    tag = s.dst_tag;
    rows = step::send_transfer(s, pixel());  // inside a loop the PIXEL-th block moves
    src_tag = s.src_tag;
  } else {
    const isa::SendRows s = isa::SendRows::decode(cmd);
    dst = s.dst_core;
    tag = s.dst_tag;
    rows = s.rows;
    src_tag = s.src_tag;
  }
  wait_for_space_(dst, tag, sample);
  Packet pk = gather(src_tag, rows, sample);
  pk.dst = dst;
  pk.tag = tag;
  const uint32_t bytes = pk.bytes();
  memory_.count_access(bytes);
  // The chip's output port sits at router 0 (where the host I/O attaches).
  const int dst_router = pk.dst == kOutputPort ? 0 : static_cast<int>(pk.dst);
  const Noc::Transfer t = noc_.reserve(core_id_, dst_router, bytes);
  deliver_(pk, t.delivered);
  sent_bytes_ += bytes;
  if (t.injected > sc_core::sc_time_stamp()) wait(t.injected - sc_core::sc_time_stamp());
  send_ns_ += (sc_core::sc_time_stamp() - start).to_seconds() * 1e9;
}

}  // namespace aimc
