#include "test_macros.h"
RVTEST_BEGIN
TEST_LD(2, lh, 0x000000ff, 0)
TEST_LD(3, lh, 0xffffff00, 4)
TEST_LD(4, lh, 0xfffff00f, 14)
RVTEST_END
