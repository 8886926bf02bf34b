#include "test_macros.h"
RVTEST_BEGIN
TEST_LD(2, lw, 0x00ff00ff, 0)
TEST_LD(3, lw, 0xf00ff00f, 12)
RVTEST_END
