/* Drivers of the blocks a core's controller commands through their memory-mapped registers
   (aimc/isa/RegisterMap.h): the tile (MVM), the digital unit, the network interface (send, wait for
   input) and the DMA, each at the page of the command's core slot; the mailbox/barrier block between
   controllers. Each block driver writes the six arguments, the sample, the pixel (loop iteration) and then
   GO; the GO store completes when the block is done. */
#pragma once
#include <stdint.h>

#include "aimc/isa/RegisterMap.h"

/* One command of the compiler's table as the simulator places it in SRAM: op | core slot << 8, then the
   arguments a..f. */
struct aimc_command {
  uint32_t op;
  uint32_t arg[6];
};

void tile_mvm(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
void digital_unit_run(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
void network_send(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
void network_wait_input(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
/* The DMA: kOpConfigure (configuration table -> digital-unit registers) or kOpDmaCopy (SRAM slot copy). */
void dma_run(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
void barrier(uint32_t id, uint32_t participants);
void mailbox_send(uint32_t controller, uint32_t word);
uint32_t mailbox_receive(void);
uint32_t mailbox_waiting(void);

/* The driver of each block of the operation list (isa/OpcodeList.h: Tile, Digital, Network, Dma, Mailbox,
   Controller), which main.c's dispatch is generated from. */
void block_Tile(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
void block_Digital(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
void block_Network(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
void block_Dma(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
void block_Mailbox(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
void block_Controller(const struct aimc_command* c, uint32_t sample, uint32_t pixel);
