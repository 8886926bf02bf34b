#include "test_macros.h"
RVTEST_BEGIN
TEST_IMM(2, ori, 0xffffff0f, 0xff00ff00, -241)
TEST_IMM(3, ori, 0x0ff00ff0, 0x0ff00ff0, 0x0f0)
RVTEST_END
