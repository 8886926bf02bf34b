#include "test_macros.h"
RVTEST_BEGIN
TEST_IMM(2, xori, 0xff00f00f, 0x00ff0f00, -241)
TEST_IMM(3, xori, 0x0ff00f00, 0x0ff00ff0, 0x0f0)
RVTEST_END
