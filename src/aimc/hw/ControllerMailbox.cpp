#include "aimc/hw/ControllerMailbox.h"

#include <cstring>

#include "aimc/base/Error.h"
#include "aimc/isa/RegisterMap.h"

namespace aimc {

ControllerMailbox::ControllerMailbox(const sc_core::sc_module_name& name, const ArchConfig& arch)
    : HwModule(name, arch.controller_period_ns()),
      socket("socket"),
      latency_cycles_(static_cast<uint64_t>(arch.core.controller.mailbox_latency)),
      depth_(static_cast<size_t>(arch.core.controller.mailbox_depth)),
      words_sent_(stats().add("words_sent", "1", "Words sent between controllers")),
      barriers_passed_(stats().add("barriers", "1", "Barriers all participants passed")),
      stall_time_(stats().add("stall_time", "ns",
                              "Time controllers spent stalled on a full or empty mailbox or at a barrier")) {
  socket.register_b_transport(this, &ControllerMailbox::b_transport);
}

void ControllerMailbox::end_of_elaboration() {
  // One mailbox per bound controller, known once the chip is wired.
  while (mailboxes_.size() < socket.size()) mailboxes_.push_back(std::make_unique<Mailbox>());
}

uint32_t ControllerMailbox::visible_words(const Mailbox& own) const {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  uint32_t n = 0;
  for (const Word& w : own.words) n += w.visible <= now ? 1 : 0;
  return n;
}

void ControllerMailbox::send(Mailbox& from, uint32_t value) {
  Mailbox& to = *mailboxes_[from.dest];
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  while (to.words.size() >= depth_) wait(to.changed);  // back-pressure: the receiver must pop first
  stall_time_ += (sc_core::sc_time_stamp() - begin).to_seconds() * 1e9;
  to.words.push_back({value, sc_core::sc_time_stamp() + cycles(latency_cycles_)});
  to.changed.notify(cycles(latency_cycles_));
  words_sent_ += 1;
}

uint32_t ControllerMailbox::receive(Mailbox& own) {
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  while (own.words.empty() || own.words.front().visible > sc_core::sc_time_stamp()) {
    if (own.words.empty())
      wait(own.changed);
    else
      wait(own.words.front().visible - sc_core::sc_time_stamp());
  }
  stall_time_ += (sc_core::sc_time_stamp() - begin).to_seconds() * 1e9;
  const uint32_t value = own.words.front().value;
  own.words.pop_front();
  own.changed.notify(sc_core::SC_ZERO_TIME);  // a stalled sender may go on
  return value;
}

void ControllerMailbox::arrive(Mailbox& own, uint32_t barrier_id) {
  Barrier& b = barriers_[barrier_id];
  b.participants = own.participants;
  const sc_core::sc_time begin = sc_core::sc_time_stamp();
  if (++b.arrived == b.participants) {
    b.arrived = 0;
    barriers_passed_ += 1;
    b.released.notify(cycles(latency_cycles_));
  }
  wait(b.released);
  stall_time_ += (sc_core::sc_time_stamp() - begin).to_seconds() * 1e9;
}

void ControllerMailbox::b_transport(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t offset = trans.get_address() - regmap::kMailboxBase;
  const bool reading = trans.is_read();
  const bool readable = offset == regmap::kMbxRecv || offset == regmap::kMbxStatus;
  if (trans.get_data_length() != 4 || offset > regmap::kBarrierArrive || offset % 4 != 0 ||
      reading != readable) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  Mailbox& own = *mailboxes_[static_cast<size_t>(id)];
  uint32_t value = 0;
  if (!reading) std::memcpy(&value, trans.get_data_ptr(), 4);
  if (offset == regmap::kMbxDest) {
    if (value >= socket.size()) {
      trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);  // no such controller: the firmware traps
      return;
    }
    own.dest = value;
  } else if (offset == regmap::kBarrierParticipants) {
    own.participants = value;
  } else if (offset == regmap::kBarrierArrive &&
             (own.participants == 0 || own.participants > socket.size() ||
              (barriers_[value].arrived > 0 && barriers_[value].participants != own.participants))) {
    // Participants must be real controllers and agree on the count: else the firmware gets a bus error.
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  } else {
    // The registers that move words or meet at a barrier act at the initiator's local time.
    wait(delay);
    delay = sc_core::SC_ZERO_TIME;
    if (offset == regmap::kMbxSend)
      send(own, value);
    else if (offset == regmap::kMbxRecv)
      value = receive(own);
    else if (offset == regmap::kMbxStatus)
      value = visible_words(own);
    else
      arrive(own, value);
  }
  if (reading) std::memcpy(trans.get_data_ptr(), &value, 4);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace aimc
