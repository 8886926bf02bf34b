// The mailbox/barrier block between controllers (hw/ControllerMailbox), driven through its registers by
// plain TLM initiators standing in for controllers. Timing on the controllers' clock (hermes: 400 MHz,
// 2.5 ns; core.controller.mailbox.latency = 2 cycles = 5 ns): a barrier releases every participant exactly
// latency cycles after the last arrival; a word is received latency cycles after it was sent; a send to a
// full mailbox stalls until the owner pops; bad register use is a bus error (the firmware would trap).
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "HwTestSupport.h"
#include "aimc/hw/ControllerMailbox.h"
#include "aimc/isa/RegisterMap.h"

namespace aimc {
namespace {

class FakeController : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(FakeController);
  tlm_utils::simple_initiator_socket<FakeController> socket;
  std::function<void(FakeController&)> body;

  explicit FakeController(const sc_core::sc_module_name& name) : sc_core::sc_module(name), socket("socket") {
    SC_THREAD(run);
  }
  tlm::tlm_response_status access(bool write, uint64_t offset, uint32_t& value) {
    tlm::tlm_generic_payload t;
    t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    t.set_address(regmap::kMailboxBase + offset);
    t.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    t.set_data_length(4);
    t.set_streaming_width(4);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(t, delay);
    wait(delay);
    return t.get_response_status();
  }
  void write(uint64_t offset, uint32_t value) {
    ASSERT_EQ(access(true, offset, value), tlm::TLM_OK_RESPONSE);
  }
  uint32_t read(uint64_t offset) {
    uint32_t value = 0;
    EXPECT_EQ(access(false, offset, value), tlm::TLM_OK_RESPONSE);
    return value;
  }
  void barrier(uint32_t id, uint32_t participants) {
    write(regmap::kBarrierParticipants, participants);
    write(regmap::kBarrierArrive, id);
  }
  void send(uint32_t to, uint32_t word) {
    write(regmap::kMbxDest, to);
    write(regmap::kMbxSend, word);
  }
  // In whole picoseconds (the kernel's resolution) as ns, so that comparisons are exact.
  static double now_ns() { return static_cast<double>(sc_core::sc_time_stamp().value()) / 1000.0; }

 private:
  void run() {
    if (body) body(*this);
  }
};

struct Bench {
  ArchConfig arch = hwtest::hermes();
  ControllerMailbox mailbox{"mailbox", arch};
  std::vector<std::unique_ptr<FakeController>> controllers;
  explicit Bench(int n) {
    for (int i = 0; i < n; ++i) {
      controllers.push_back(std::make_unique<FakeController>(("ctl" + std::to_string(i)).c_str()));
      controllers.back()->socket.bind(mailbox.socket);  // binding i = controller i
    }
  }
  FakeController& operator[](size_t i) { return *controllers[i]; }
};

constexpr double kPeriodNs = 2.5, kLatencyNs = 2 * kPeriodNs;

TEST(ControllerMailbox, BarrierReleasesEveryoneLatencyCyclesAfterTheLastArrival) {
  Bench b(4);
  ASSERT_DOUBLE_EQ(b.arch.controller_period_ns(), kPeriodNs);
  ASSERT_EQ(b.arch.core.controller.mailbox_latency, 2);
  const double arrive_ns[3] = {10, 30, 20};
  double released_ns[3][2] = {};
  for (int i = 0; i < 3; ++i)
    b[static_cast<size_t>(i)].body = [&, i](FakeController& c) {
      sc_core::wait(sc_core::sc_time(arrive_ns[i], sc_core::SC_NS));
      c.barrier(7, 3);
      released_ns[i][0] = FakeController::now_ns();
      // The same barrier again, everyone arriving on release: one latency later.
      c.barrier(7, 3);
      released_ns[i][1] = FakeController::now_ns();
    };
  // Controller 3 is not a participant: its own two-controller barrier with nobody else never completes.
  bool passed = false;
  b[3].body = [&](FakeController& c) {
    c.barrier(9, 2);
    passed = true;
  };
  sc_core::sc_start();
  for (int i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(released_ns[i][0], 30 + kLatencyNs) << i;
    EXPECT_DOUBLE_EQ(released_ns[i][1], 30 + 2 * kLatencyNs) << i;
  }
  EXPECT_FALSE(passed);
  EXPECT_EQ(b.mailbox.stats().value("barriers"), 2);
}

TEST(ControllerMailbox, WordsArriveInOrderAfterTheLatencyAndAFullMailboxStallsTheSender) {
  Bench b(3);
  ASSERT_EQ(b.arch.core.controller.mailbox_depth, 4);
  double fifth_sent_ns = -1;
  b[0].body = [&](FakeController& c) {
    for (uint32_t w = 1; w <= 5; ++w) c.send(1, 100 + w);  // the fifth waits for a free entry
    fifth_sent_ns = FakeController::now_ns();
    sc_core::wait(sc_core::sc_time(50, sc_core::SC_NS));
    c.send(2, 42);  // at 150 ns
  };
  std::vector<uint32_t> got;
  std::vector<double> got_ns;
  uint32_t status_at_100 = 0;
  b[1].body = [&](FakeController& c) {
    sc_core::wait(sc_core::sc_time(100, sc_core::SC_NS));
    status_at_100 = c.read(regmap::kMbxStatus);
    for (int i = 0; i < 5; ++i) {
      got.push_back(c.read(regmap::kMbxRecv));
      got_ns.push_back(FakeController::now_ns());
    }
  };
  double received_ns = -1;
  uint32_t received = 0;
  b[2].body = [&](FakeController& c) {
    EXPECT_EQ(c.read(regmap::kMbxStatus), 0u);
    received = c.read(regmap::kMbxRecv);  // stalls: empty until 150 + latency
    received_ns = FakeController::now_ns();
  };
  sc_core::sc_start();
  EXPECT_EQ(status_at_100, 4u);
  EXPECT_EQ(got, (std::vector<uint32_t>{101, 102, 103, 104, 105}));
  // Four waiting words pop at 100 ns; the fifth was pushed when the first left (100 ns) and is visible a
  // latency later.
  EXPECT_DOUBLE_EQ(fifth_sent_ns, 100);
  EXPECT_EQ(got_ns, (std::vector<double>{100, 100, 100, 100, 100 + kLatencyNs}));
  EXPECT_EQ(received, 42u);
  EXPECT_DOUBLE_EQ(received_ns, 150 + kLatencyNs);
  EXPECT_EQ(b.mailbox.stats().value("words_sent"), 6);
}

TEST(ControllerMailbox, BadRegisterUseIsABusError) {
  Bench b(2);
  std::vector<tlm::tlm_response_status> status;
  b[0].body = [&](FakeController& c) {
    uint32_t v = 2;  // no controller 2
    status.push_back(c.access(true, regmap::kMbxDest, v));
    v = 0;
    status.push_back(c.access(true, regmap::kBarrierParticipants, v));
    status.push_back(c.access(true, regmap::kBarrierArrive, v));  // zero participants
    v = 3;
    status.push_back(c.access(true, regmap::kBarrierParticipants, v));
    status.push_back(c.access(true, regmap::kBarrierArrive, v));  // more participants than controllers
    status.push_back(c.access(false, regmap::kMbxSend, v));       // SEND is write-only
    status.push_back(c.access(true, regmap::kMbxRecv, v));        // RECV is read-only
    status.push_back(c.access(true, regmap::kBarrierArrive + 4, v));
  };
  sc_core::sc_start();
  ASSERT_EQ(status.size(), 8u);
  EXPECT_EQ(status[0], tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(status[1], tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(status[2], tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(status[3], tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(status[4], tlm::TLM_GENERIC_ERROR_RESPONSE);
  for (size_t i = 5; i < 8; ++i) EXPECT_EQ(status[i], tlm::TLM_ADDRESS_ERROR_RESPONSE) << i;
}

}  // namespace
}  // namespace aimc
