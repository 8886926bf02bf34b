#pragma once
// The explicit "nothing is mapped here" TLM target for a hart that has no chip behind it (aimcsim exec, ISS
// tests): every access answers TLM_ADDRESS_ERROR_RESPONSE, which the hart takes as an access fault.
#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

namespace aimc::riscv {

class RvUnmappedTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<RvUnmappedTarget> socket;
  explicit RvUnmappedTarget(const sc_core::sc_module_name& name)
      : sc_core::sc_module(name), socket("socket") {
    socket.register_b_transport(this, &RvUnmappedTarget::b_transport);
  }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time&) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }
};

}  // namespace aimc::riscv
