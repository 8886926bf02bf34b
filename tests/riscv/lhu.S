#include "test_macros.h"
RVTEST_BEGIN
TEST_LD(2, lhu, 0x0000ff00, 4)
TEST_LD(3, lhu, 0x0000f00f, 14)
RVTEST_END
