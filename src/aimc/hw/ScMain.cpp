// aimcsim and its tests have their own main() and start the SystemC kernel with sc_start(). libsystemc.so
// still references sc_main (its own main() calls it), so the library defines one; it is never called.
#include <cstdio>

extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) {
  std::fputs("aimcsim: internal error: SystemC's main() was linked instead of aimcsim's\n", stderr);
  return 3;
}
