#pragma once
/* The memory map a core's controller sees: the one source for the C++ model (namespace aimc::regmap,
   constexpr uint64_t kName) and the C firmware (src/firmware, static const uint32_t regmap_kName).

   Every block has six 32-bit argument registers, a SAMPLE register, a PIXEL register (the iteration of the
   command table's enclosing loop, 0 outside one) and a GO register; writing GO starts the
   command held in the arguments and the write completes when the block has finished (loosely-timed TLM: the
   target waits). */
#include "aimc/isa/OpcodeList.h"

#ifdef __cplusplus
#include <cstdint>
namespace aimc::regmap {
#define AIMC_REGMAP(name, value) constexpr uint64_t name = value;
#else
#include <stdint.h>
#define AIMC_REGMAP(name, value) static const uint32_t regmap_##name = value;
#endif

AIMC_REGMAP(kTileBase, 0x10000000)    /* crossbar tile + ADC bank: MVM */
AIMC_REGMAP(kDigitalBase, 0x20000000) /* digital unit */
AIMC_REGMAP(kNetworkBase, 0x30000000) /* network interface: send, wait for input */
AIMC_REGMAP(kDmaBase, 0x60000000)     /* DMA (hw/Dma): SRAM copies, configuration table -> digital unit */
AIMC_REGMAP(kBlockSpan, 0x1000)
/* A controller that drives a cluster of cores (core.controller.cores_per_controller) sees the blocks of its
   core slot k (0 = its first core) at base + k * kCoreStride. */
AIMC_REGMAP(kCoreStride, 0x10000)
AIMC_REGMAP(kMaxCoreSlots, 64)

AIMC_REGMAP(kArg0, 0x00)   /* arguments a..f at kArg0 + 4 * i */
AIMC_REGMAP(kGo, 0x18)     /* write the opcode (CommandOp) to start */
AIMC_REGMAP(kSample, 0x1C) /* the sample (input vector number) the next command works on */
AIMC_REGMAP(kPixel, 0x20)  /* the pixel (loop iteration) the next command works on */

/* Command opcodes as the controllers' tables hold them: the values of isa/Opcode.h (CommandOp), the one list
   of operations; isa/Opcode.h checks every value here against it at compile time. */
#define AIMC_REGMAP_OPCODE(name, value, block, mnemonic) AIMC_REGMAP(kOp##name, value)
AIMC_ISA_OPCODES(AIMC_REGMAP_OPCODE)
#undef AIMC_REGMAP_OPCODE
/* In the firmware's table the op word also holds the core slot the command is for: op | slot << 8. */
AIMC_REGMAP(kOpSlotShift, 8)
AIMC_REGMAP(kOpMask, 0xFF)

/* The chip-level mailbox/barrier block (hw/ControllerMailbox), the same page in every controller's map.
   Mailboxes: write DEST (a controller index), then SEND (the word; stalls while that controller's FIFO is
   full); RECV pops the own FIFO's head (stalls until a word has arrived); STATUS = words waiting.
   Barriers: write PARTICIPANTS (how many controllers meet), then ARRIVE (the barrier id); the ARRIVE write
   completes when that many controllers have arrived at that id (plus the block's latency). */
AIMC_REGMAP(kMailboxBase, 0x50000000)
AIMC_REGMAP(kMbxDest, 0x00)
AIMC_REGMAP(kMbxSend, 0x04)
AIMC_REGMAP(kMbxRecv, 0x08)
AIMC_REGMAP(kMbxStatus, 0x0C)
AIMC_REGMAP(kBarrierParticipants, 0x10)
AIMC_REGMAP(kBarrierArrive, 0x14)

/* The machine timer of each RISC-V controller (the CLINT layout of the RISC-V privileged spec's reference
   platforms, so standard bare-metal code finds it): mtime counts controller cycles; an interrupt is pending
   while mtime >= mtimecmp. Both 64-bit, little-endian, accessed as two 32-bit words. */
AIMC_REGMAP(kTimerBase, 0x02000000)
AIMC_REGMAP(kTimerSpan, 0x10000)
AIMC_REGMAP(kMtimecmp, 0x4000)
AIMC_REGMAP(kMtime, 0xBFF8)

/* The RISC-V controller's own control page: the chip starts a run by writing FIRST and COUNT and raising the
   machine external interrupt (the doorbell); the firmware reads them, writes ACK (which lowers the doorbell),
   and writes each finished sample's number to SAMPLE_DONE. */
AIMC_REGMAP(kControlBase, 0x40000000)
AIMC_REGMAP(kCtlFirst, 0x00)
AIMC_REGMAP(kCtlCount, 0x04)
AIMC_REGMAP(kCtlAck, 0x08)
AIMC_REGMAP(kCtlSampleDone, 0x0C)
/* Configuration phase (once at the start of a run, before the doorbell for the samples): SETUP reads 1 while
   the chip asks for it (the doorbell rings too; ACK clears it); the firmware runs the setup commands
   (kConfigure) and writes SETUP_DONE. */
AIMC_REGMAP(kCtlSetup, 0x10)
AIMC_REGMAP(kCtlSetupDone, 0x14)

/* The digital unit's configuration registers on the core's local bus, where its DMA writes them (not in the
   controller's map): register i (DigitalUnitImpl::encode word i) at kDigitalConfigBase + 4 * i. */
AIMC_REGMAP(kDigitalConfigBase, 0x00000000)

/* The controller's SRAM: firmware image, its data and stack, and the command table placed at load time. */
AIMC_REGMAP(kSramBase, 0x80000000)
/* Commands the firmware's table holds (src/firmware/main.c), 7 words each: op, a..f. */
AIMC_REGMAP(kCommandCapacity, 2048)

#undef AIMC_REGMAP
#ifdef __cplusplus
}  // namespace aimc::regmap
#endif
