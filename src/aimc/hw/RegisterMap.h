#pragma once
// The memory map a core's controller sees (one source for the C++ model and, later, the firmware headers).
// Every block has six 32-bit argument registers, a SAMPLE register and a GO register; writing GO starts the
// command held in the arguments and the write completes when the block has finished (loosely-timed TLM: the
// target waits).
#include <cstdint>

namespace aimc::regmap {

constexpr uint64_t kTileBase = 0x1000'0000;     // crossbar tile + ADC bank: MVM
constexpr uint64_t kDigitalBase = 0x2000'0000;  // digital unit
constexpr uint64_t kNetworkBase = 0x3000'0000;  // network interface: send, wait for input
constexpr uint64_t kBlockSpan = 0x1000;

constexpr uint64_t kArg0 = 0x00;    // arguments a..f at kArg0 + 4 * i
constexpr uint64_t kGo = 0x18;      // write the opcode (CommandOp) to start
constexpr uint64_t kSample = 0x1C;  // the sample (input vector number) the next command works on

// The machine timer of each RISC-V controller (the CLINT layout of the RISC-V privileged spec's reference
// platforms, so standard bare-metal code finds it): mtime counts controller cycles; an interrupt is pending
// while mtime >= mtimecmp. Both 64-bit, little-endian, accessed as two 32-bit words.
constexpr uint64_t kTimerBase = 0x0200'0000;
constexpr uint64_t kTimerSpan = 0x1'0000;
constexpr uint64_t kMtimecmp = 0x4000;
constexpr uint64_t kMtime = 0xBFF8;

}  // namespace aimc::regmap
