// Must-fail check of the lockstep checker: this executable is linked with RTL verilated with
// NMPU_BROKEN_ROUNDING (negative rounding ties go up instead of away from zero). It succeeds only if the
// co-simulation reports a data mismatch; a checker that cannot fail fails this test. --activation: the same
// run on the unit verilated with the activation stage (nmpu_cosim_broken_act: NMPU_BROKEN_ACT_COMPARE, the
// stage's comparators wrong at ties).
#include <iostream>
#include <sstream>
#include <string>

#include "cosim/NmpuCosim.h"

int main(int argc, char** argv) {
  aimc::NmpuCosimOptions opts;
  opts.activation = argc > 1 && std::string(argv[1]) == "--activation";
  opts.vectors = 20000;
  opts.seed = 1;
  std::ostringstream log;
  const int status = aimc::run_nmpu_cosim(opts, log);
  std::cout << log.str();
  const bool caught = status == 1 && log.str().find("NMPU MISMATCH") != std::string::npos &&
                      log.str().find("out_data differs") != std::string::npos;
  std::cout << (caught ? "broken RTL caught by the lockstep checker: test passes\n"
                       : "broken RTL NOT caught: the checker cannot fail, test fails\n");
  return caught ? 0 : 1;
}
