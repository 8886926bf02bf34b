#include "block.h"

static void issue(uint32_t base, const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  volatile uint32_t* regs = (volatile uint32_t*)(uintptr_t)base;
  for (int i = 0; i < 6; ++i) regs[regmap_kArg0 / 4 + i] = c->arg[i];
  regs[regmap_kSample / 4] = sample;
  regs[regmap_kPixel / 4] = pixel;
  regs[regmap_kGo / 4] = c->op; /* completes when the block has finished */
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
