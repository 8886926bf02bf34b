// Unloaded MVM latency of one crossbar tile + ADC bank equals its closed form (numerics/MvmTiming.h) for
// several configurations, and the completion gate is tight: not complete 1 ps before, complete at the cycle.
#include <gtest/gtest.h>

#include <tlm_utils/simple_initiator_socket.h>
#include <cmath>

#include "HwTestSupport.h"
#include "aimc/hw/CrossbarTile.h"
#include "aimc/isa/RegisterMap.h"
#include "aimc/numerics/MvmTiming.h"

namespace aimc {
namespace {

// Writes one MVM command into the tile's registers at t = 0, as the controller does.
struct TileBench : sc_core::sc_module {
  SC_HAS_PROCESS(TileBench);
  TileBench(const sc_core::sc_module_name& name, const ArchConfig& arch)
      : sc_core::sc_module(name),
        stats("bench"),
        memory(stats, 2),
        adc("adc_bank", arch),
        tile("tile", arch, memory, adc, 1, 0),
        socket("socket") {
    socket.bind(tile.socket);
    tile.program(hwtest::piece(0, arch.core.tile.rows, arch.core.tile.cols));
    SC_THREAD(drive);
  }
  void write(uint64_t offset, uint32_t value) {
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_WRITE_COMMAND);
    t.set_address(regmap::kTileBase + offset);
    t.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    t.set_data_length(4);
    t.set_streaming_width(4);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(t, delay);
    ASSERT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
  }
  void drive() {
    // Slot 0 of sample 0 is created (zeros) by the tile itself: the timing does not depend on the values.
    write(regmap::kArg0, 0);
    write(regmap::kSample, 0);
    write(regmap::kGo, static_cast<uint32_t>(CommandOp::kMvm));
    done_at = sc_core::sc_time_stamp();
  }
  StatGroup stats;
  CoreMemory memory;
  AdcBank adc;
  CrossbarTile tile;
  tlm_utils::simple_initiator_socket<TileBench> socket;
  sc_core::sc_time done_at;
};

// Runs one MVM and checks: tile part == closed form `tile_ns`, command latency == SRAM load (digital
// clock) rounded up to a core edge + tile part, and the gate is tight.
void check_mvm(const ArchConfig& arch, double tile_ns) {
  TileBench bench("bench", arch);
  const double core_ns = arch.core_period_ns();
  const uint64_t integ = bench.tile.integration_cycles(), conv = bench.adc.conversion_cycles();
  EXPECT_DOUBLE_EQ(static_cast<double>(integ + conv) * core_ns, tile_ns);
  EXPECT_DOUBLE_EQ(tile_ns, MvmTiming::mvm_latency_ns(arch.core.tile));
  const double load_ns =
      static_cast<double>(bench.tile.load_cycles(arch.core.tile.cols)) * arch.du_period_ns();
  const double start_ns = std::ceil(load_ns / core_ns - 1e-9) * core_ns;
  const double expect_ns = start_ns + tile_ns;
  const sc_core::sc_time gate(expect_ns, sc_core::SC_NS);
  sc_core::sc_start(gate - sc_core::sc_time(1, sc_core::SC_PS));
  EXPECT_EQ(bench.tile.completed(), 0u) << "complete before " << expect_ns << " ns";
  // sc_start(d) stops before evaluating processes at its end time; zero-time starts run the delta
  // cycles at exactly the gate without advancing time.
  sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_PS));
  for (int i = 0; i < 4; ++i) sc_core::sc_start(sc_core::SC_ZERO_TIME);
  ASSERT_EQ(sc_core::sc_time_stamp(), gate);
  EXPECT_EQ(bench.tile.completed(), 1u) << "not complete at " << expect_ns << " ns";
  sc_core::sc_start();
  EXPECT_DOUBLE_EQ(hwtest::ns_of(bench.done_at), expect_ns);
  EXPECT_EQ(bench.adc.stats().value("conversions"), static_cast<double>(arch.core.tile.rows));
}

TEST(TileTiming, HermesOnePhaseIs133ns) {
  check_mvm(hwtest::hermes(), 133.0);
}

TEST(TileTiming, HermesFourPhaseIs520ns) {
  check_mvm(hwtest::hermes({"core.dac.read_mode=four_phase"}), 520.0);
}

TEST(TileTiming, SixBitFourPhase) {
  // 4 (2^5 + 1) + 4 = 136 ns.
  check_mvm(hwtest::hermes({"core.dac.bits=6", "core.dac.read_mode=four_phase"}), 136.0);
}

TEST(TileTiming, IdealAdcHasNoConversion) {
  check_mvm(hwtest::hermes({"core.adc.kind=ideal"}), 129.0);
}

TEST(TileTiming, MultiplexedCcoRepeatsTheWindow) {
  // Two lines per CCO: 2 windows of 128 + 1 ns, one 4 ns read-out.
  check_mvm(hwtest::hermes({"core.adc.columns_per_adc=2", "core.adc.count=128"}), 262.0);
}

TEST(TileTiming, MultiplexedSarConvertsLinesInTurn) {
  const ArchConfig a = hwtest::hermes({"core.adc.kind=sar", "core.adc.bits=8", "core.adc.columns_per_adc=4",
                                       "core.adc.count=64", "core.adc.sar_clock=1GHz"});
  // 129 ns window + 4 lines x (8 + 1) SAR cycles at 1 GHz = 165 ns.
  check_mvm(a, 165.0);
}

}  // namespace
}  // namespace aimc
