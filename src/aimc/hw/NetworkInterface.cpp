#include "aimc/hw/NetworkInterface.h"

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

void NetworkInterface::execute(const Command& cmd, uint64_t sample) {
  const sc_core::sc_time start = sc_core::sc_time_stamp();
  if (cmd.op == CommandOp::kWaitInput) {
    memory_.wait_for(cmd.a, sample, cmd.b);
    wait_ns_ += (sc_core::sc_time_stamp() - start).to_seconds() * 1e9;
    return;
  }
  if (cmd.op != CommandOp::kSend) return;
  const uint32_t dst = cmd.b, bytes = cmd.f;
  wait_for_space_(dst, cmd.c, sample);
  const auto& src = memory_.buffer(cmd.a, sample, cmd.e + bytes);
  memory_.count_access(bytes);
  // The chip's output port sits at router 0 (where the host I/O attaches).
  const int dst_router = dst == kOutputPort ? 0 : static_cast<int>(dst);
  const Noc::Transfer t = noc_.reserve(core_id_, dst_router, bytes);
  deliver_(dst, cmd.c, sample, cmd.d, src.data() + cmd.e, bytes, t.delivered);
  sent_bytes_ += bytes;
  if (t.injected > sc_core::sc_time_stamp()) wait(t.injected - sc_core::sc_time_stamp());
  send_ns_ += (sc_core::sc_time_stamp() - start).to_seconds() * 1e9;
}

}  // namespace aimc
