#pragma once
// Scaling of the per-event energies and per-component areas from the node and supply they are given at
// (power.reference_node, power.reference_supply) to the chip's (chip.technology_nm, chip.supply).
//
//   area   x (node / reference_node)^2                 ideal (Dennard) scaling: every length scales with the
//   node energy x (node / reference_node) x (V / V_ref)^2   C V^2 with the capacitance proportional to the
//   node
//                                                       ([S] in ArchParams.h; Dennard et al., IEEE JSSC 9(5),
//                                                       1974)
// Analog energies set by the read voltage (crossbar) or by a bias rail (PWM drivers) take only the node
// factor: their supply is not the logic supply.
#include "aimc/config/ArchConfig.h"

namespace aimc {

class TechScaling {
 public:
  explicit TechScaling(const ArchConfig& arch);
  double area() const { return area_; }
  double logic_energy() const { return logic_energy_; }  // node x supply^2
  double node_energy() const { return node_energy_; }    // node only

 private:
  double area_ = 1, logic_energy_ = 1, node_energy_ = 1;
};

}  // namespace aimc
