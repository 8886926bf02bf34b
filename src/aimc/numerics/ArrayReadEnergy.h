#pragma once
// The data-dependent read energy of a crossbar (power.array_energy_model: data): a read with PWM codes x
// drives input line i for |x_i| LSBs at V_read, so the devices on it dissipate V_read^2 G_line_i |x_i| t_lsb,
// G_line_i = the conductance of every device on the line (both polarities, programmed and drifted). Per read
// the tile counts sum_i |x_i| G_line_i as an EXACT integer: G_line is rounded once per conductance update to
// whole units of kUnitSiemens and accumulated in int64 with the integer codes, so the count does not depend
// on batch split, threads or order (like the read path). The wires' loss conductance per input line
// (WireResistance.h) is counted the same way. EnergyModel turns the counts into joules.
#include <cstdint>
#include <vector>

#include "aimc/numerics/MvmActivity.h"

namespace aimc {

class ArrayReadEnergy {
 public:
  static constexpr double kUnitSiemens = 1e-9;  // 1 nS: 1e-4 of one PCM device at g_max (25 uS)

  ArrayReadEnergy() = default;
  // Per input line: the total device conductance and the wire loss conductance, in siemens (>= 0).
  ArrayReadEnergy(const std::vector<double>& line_s, const std::vector<double>& wire_loss_s);

  // Adds one read of the integer PWM codes `codes` (n = the used input lines) to a.array_conductance_lsbs
  // and a.wire_conductance_lsbs. The float form takes codes held in floats (integer values).
  void add_read(const int32_t* codes, int n, MvmActivity& a) const;
  void add_read(const float* codes, int n, MvmActivity& a) const;

  const std::vector<int64_t>& line_units() const { return line_; }
  const std::vector<int64_t>& wire_loss_units() const { return wire_; }

 private:
  std::vector<int64_t> line_, wire_;
};

}  // namespace aimc
