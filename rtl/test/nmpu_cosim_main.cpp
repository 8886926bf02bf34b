// Standalone lockstep co-simulation of the NMPU RTL against aimc::NmpuModel (the same run as
// `aimcsim cosim nmpu`): nmpu_cosim [--vectors N] [--seed S] [--wave out.vcd] [--activation] (the unit
// verilated with the activation stage). Exit 0 on pass, 1 on mismatch,
// 2 on bad arguments.
#include <cstdlib>
#include <iostream>
#include <string>

#include "aimc/base/Error.h"
#include "cosim/NmpuCosim.h"

int main(int argc, char** argv) {
  aimc::NmpuCosimOptions opts;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    try {
      if (arg == "--vectors" && has_value) {
        opts.vectors = std::stoull(argv[++i]);
      } else if (arg == "--seed" && has_value) {
        opts.seed = std::stoull(argv[++i]);
      } else if (arg == "--wave" && has_value) {
        opts.wave_path = argv[++i];
      } else if (arg == "--activation") {
        opts.activation = true;
      } else {
        std::cerr << "usage: " << argv[0] << " [--vectors N] [--seed S] [--wave out.vcd] [--activation]\n";
        return 2;
      }
    } catch (const std::exception&) {
      std::cerr << "bad value for " << arg << "\n";
      return 2;
    }
  }
  try {
    return aimc::run_nmpu_cosim(opts, std::cout);
  } catch (const aimc::UserError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
}
