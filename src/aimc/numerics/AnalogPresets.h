#pragma once
// Named parameter sets: the HERMES-like tile (REFERENCE A, B) and the AIHWKit-compatible tile (REFERENCE D,
// E). The config layer may start from these; every value's source is commented in the .cpp.
#include "aimc/numerics/AnalogParams.h"

namespace aimc {

class AnalogPresets {
 public:
  static TileParams hermes_like();
  static TileParams aihwkit_compatible();
};

}  // namespace aimc
