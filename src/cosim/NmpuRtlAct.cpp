// The Verilated nmpu_top built with the activation stage (ActStage = 1, prefix Vnmpu_top_act).
#include "Vnmpu_top_act.h"
#include "cosim/NmpuRtlBackend.h"

namespace aimc {

std::unique_ptr<NmpuRtlBackend> make_nmpu_rtl_backend_act(const std::string& wave_path) {
  return std::make_unique<nmpu_rtl_detail::VerilatedNmpu<Vnmpu_top_act>>(wave_path);
}

}  // namespace aimc
