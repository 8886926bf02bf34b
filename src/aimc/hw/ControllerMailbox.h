#pragma once
// The chip-level mailbox/barrier block between controllers (RegisterMap.h kMailboxBase, the same page in
// every controller's memory map). Controller i reaches it through initiator binding i of `socket`.
//  - Mailboxes: one word FIFO per controller (core.controller.mailbox.depth words). A send to controller k
//    stalls the sender while k's FIFO is full; the word becomes visible to k mailbox.latency cycles later;
//    a receive stalls until a visible word is there; STATUS reads how many are.
//  - Barriers, by id: an ARRIVE write completes when PARTICIPANTS controllers have arrived at that id, plus
//    mailbox.latency cycles (all are released on the same edge).
// The block runs on the controllers' clock; it is passive (no thread), so it costs no host time while idle.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include <tlm_utils/multi_passthrough_target_socket.h>

#include "aimc/config/ArchConfig.h"
#include "aimc/hw/HwModule.h"

namespace aimc {

class ControllerMailbox : public HwModule {
 public:
  tlm_utils::multi_passthrough_target_socket<ControllerMailbox> socket;

  ControllerMailbox(const sc_core::sc_module_name& name, const ArchConfig& arch);

 private:
  struct Word {
    uint32_t value;
    sc_core::sc_time visible;
  };
  struct Mailbox {
    std::deque<Word> words;  // in flight or arrived, in send order
    sc_core::sc_event changed;
    uint32_t dest = 0;          // the owner's DEST register
    uint32_t participants = 0;  // the owner's PARTICIPANTS register
  };
  struct Barrier {
    uint32_t arrived = 0;
    uint32_t participants = 0;
    sc_core::sc_event released;
  };
  void end_of_elaboration() override;
  void b_transport(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void send(Mailbox& from, uint32_t value);
  uint32_t receive(Mailbox& own);
  uint32_t visible_words(const Mailbox& own) const;
  void arrive(Mailbox& own, uint32_t barrier_id);

  uint64_t latency_cycles_;
  size_t depth_;
  std::vector<std::unique_ptr<Mailbox>> mailboxes_;  // by controller (initiator binding index)
  std::map<uint32_t, Barrier> barriers_;
  Stat& words_sent_;
  Stat& barriers_passed_;
  Stat& stall_time_;
};

}  // namespace aimc
