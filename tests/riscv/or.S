#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
TEST_RR(3, or, 0xfff0fff0, 0x0ff00ff0, 0xf0f0f0f0)
RVTEST_END
