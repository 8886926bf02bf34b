#include "test_macros.h"
RVTEST_BEGIN
TEST_IMM(2, andi, 0xff00ff00, 0xff00ff00, -241)
TEST_IMM(3, andi, 0x000000f0, 0x0ff00ff0, 0x0f0)
RVTEST_END
