#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
TEST_RR(3, and, 0x00f000f0, 0x0ff00ff0, 0xf0f0f0f0)
TEST_RR_ZERODEST(4, and, 0xff, 0xff)
RVTEST_END
