#pragma once
// Whether the test binary (and the aimcsim it runs: the same preset builds both) has AddressSanitizer, the
// asan preset. Two kinds of test cannot hold there, and skip with their reason:
//  - resident-memory bounds: ASan's allocator and shadow memory make max RSS mean something else;
//  - a UserError thrown in aimcsim after a SystemC simulation ran: SystemC switches to its coroutine stacks
//  in
//    code ASan does not see, so ASan no longer knows the main stack ("ASan is ignoring requested
//    __asan_handle_no_return ... False positive error reports may follow") and reports a
//    stack-use-after-scope inside its own sigaltstack interceptor (google/sanitizers#189);
//  - VCD waves of the Verilated RTL: Verilator 5.006's trace writer stores 64-bit values at misaligned
//    addresses (verilated_trace_imp.h:875), where the preset's UndefinedBehaviorSanitizer stops.
// The ci preset runs these tests.
namespace aimc_test {
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
}  // namespace aimc_test
