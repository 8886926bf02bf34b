#include "block.h"

static void issue(uint32_t base, const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  /* The block of the core in the command's slot (a controller driving a cluster sees one page set each). */
  volatile uint32_t* regs =
      (volatile uint32_t*)(uintptr_t)(base + (c->op >> regmap_kOpSlotShift) * regmap_kCoreStride);
  for (int i = 0; i < 6; ++i) regs[regmap_kArg0 / 4 + i] = c->arg[i];
  regs[regmap_kSample / 4] = sample;
  regs[regmap_kPixel / 4] = pixel;
  regs[regmap_kGo / 4] = c->op & regmap_kOpMask; /* completes when the block has finished */
}

static volatile uint32_t* const mailbox = (volatile uint32_t*)(uintptr_t)regmap_kMailboxBase;

void barrier(uint32_t id, uint32_t participants) {
  mailbox[regmap_kBarrierParticipants / 4] = participants;
  mailbox[regmap_kBarrierArrive / 4] = id; /* completes when every participant arrived */
}

void mailbox_send(uint32_t controller, uint32_t word) {
  mailbox[regmap_kMbxDest / 4] = controller;
  mailbox[regmap_kMbxSend / 4] = word; /* stalls while that mailbox is full */
}

uint32_t mailbox_receive(void) {
  return mailbox[regmap_kMbxRecv / 4]; /* stalls until a word arrived */
}

uint32_t mailbox_waiting(void) {
  return mailbox[regmap_kMbxStatus / 4];
}

void tile_mvm(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  issue(regmap_kTileBase, c, sample, pixel);
}
void digital_unit_run(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  issue(regmap_kDigitalBase, c, sample, pixel);
}
void network_send(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  issue(regmap_kNetworkBase, c, sample, pixel);
}
void network_wait_input(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  issue(regmap_kNetworkBase, c, sample, pixel);
}
void dma_run(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  issue(regmap_kDmaBase, c, sample, pixel);
}

void block_Tile(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  tile_mvm(c, sample, pixel);
}
void block_Digital(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  digital_unit_run(c, sample, pixel);
}
void block_Network(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  issue(regmap_kNetworkBase, c, sample, pixel); /* a send or a wait for input */
}
void block_Dma(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  dma_run(c, sample, pixel);
}
void block_Mailbox(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  (void)sample;
  (void)pixel;
  barrier(c->arg[0], c->arg[1]);
}
void block_Controller(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  /* A loop: run_sample unrolls it and never dispatches it. */
  (void)c;
  (void)sample;
  (void)pixel;
}
