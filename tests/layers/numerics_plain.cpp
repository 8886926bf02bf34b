// Compiles: the control of Layers.NumericsRefusesSystemC, the same target without the SystemC include.
#include "aimc/numerics/PoolGeometry.h"

int layer_probe() {
  return aimc::PoolGeometry{}.enabled ? 1 : 0;
}
