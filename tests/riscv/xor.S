#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
TEST_RR(3, xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
RVTEST_END
