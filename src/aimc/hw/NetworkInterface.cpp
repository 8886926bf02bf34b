#include "aimc/hw/NetworkInterface.h"

#include <algorithm>

#include "aimc/base/Error.h"

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
  AIMC_ASSERT(groups_ != nullptr && cmd.b < groups_->size());
  const auto& group = (*groups_)[cmd.b];
  for (const auto& d : group) wait_for_space_(static_cast<uint32_t>(d.core), d.tag, sample);
  Packet pk;
  pk.sample = sample;
  pk.dst_offset = cmd.c;
  pk.rows = cmd.e >> 16;
  pk.row_bytes = cmd.e & 0xFFFFu;
  pk.dst_stride = cmd.f & 0xFFFFu;
  const uint32_t src_stride = cmd.f >> 16;
  const auto& src = memory_.buffer(cmd.a, sample, cmd.d + (pk.rows - 1) * src_stride + pk.row_bytes);
  packet_.resize(pk.bytes());
  for (uint32_t r = 0; r < pk.rows; ++r)
    std::copy_n(src.begin() + cmd.d + r * src_stride, pk.row_bytes, packet_.begin() + r * pk.row_bytes);
  pk.data = packet_.data();
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

void NetworkInterface::execute(const Command& cmd, uint64_t sample) {
  const sc_core::sc_time start = sc_core::sc_time_stamp();
  if (cmd.op == CommandOp::kWaitInput) {
    memory_.wait_for(cmd.a, sample, cmd.b + pixel() * cmd.c);
    wait_ns_ += (sc_core::sc_time_stamp() - start).to_seconds() * 1e9;
    return;
  }
  if (cmd.op == CommandOp::kMulticast) {
    execute_multicast(cmd, sample);
    send_ns_ += (sc_core::sc_time_stamp() - start).to_seconds() * 1e9;
    return;
  }
  if (cmd.op != CommandOp::kSend && cmd.op != CommandOp::kSendRows) return;
  Packet pk;
  pk.sample = sample;
  const bool rows = cmd.op == CommandOp::kSendRows;
  const uint32_t core = cmd.b >> 16;
  pk.dst = !rows ? cmd.b : core == 0xFFFFu ? kOutputPort : core;
  pk.tag = rows ? cmd.b & 0xFFFFu : cmd.c;
  wait_for_space_(pk.dst, pk.tag, sample);
  if (!rows) {
    // Inside a loop the PIXEL-th block of f bytes moves (partial sums, pixel by pixel).
    const uint32_t advance = pixel() * cmd.f;
    pk.dst_offset = cmd.d + advance;
    pk.row_bytes = cmd.f;
    pk.data = memory_.buffer(cmd.a, sample, cmd.e + advance + cmd.f).data() + cmd.e + advance;
  } else {
    const uint32_t src_stride = cmd.f >> 16;
    pk.dst_offset = cmd.c;
    pk.rows = cmd.e >> 16;
    pk.row_bytes = cmd.e & 0xFFFFu;
    pk.dst_stride = cmd.f & 0xFFFFu;
    const auto& src = memory_.buffer(cmd.a, sample, cmd.d + (pk.rows - 1) * src_stride + pk.row_bytes);
    packet_.resize(pk.bytes());
    for (uint32_t r = 0; r < pk.rows; ++r)
      std::copy_n(src.begin() + cmd.d + r * src_stride, pk.row_bytes, packet_.begin() + r * pk.row_bytes);
    pk.data = packet_.data();
  }
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
