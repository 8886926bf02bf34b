#include "aimc/power/TechScaling.h"

namespace aimc {

TechScaling::TechScaling(const ArchConfig& arch) {
  const double node = arch.chip.technology_nm / arch.power.reference_node_nm;
  const double supply = arch.chip.supply_v / arch.power.reference_supply_v;
  area_ = node * node;
  node_energy_ = node;
  logic_energy_ = node * supply * supply;
}

}  // namespace aimc
