// Must not compile: a numerics source that includes SystemC (tests/CMakeLists.txt,
// Layers.NumericsRefusesSystemC).
#include <systemc>

#include "aimc/numerics/PoolGeometry.h"

int layer_probe() {
  return sc_core::SC_ZERO_TIME == sc_core::SC_ZERO_TIME ? 1 : 0;
}
