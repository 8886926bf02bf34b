#include "test_macros.h"
RVTEST_BEGIN
TEST_LD(2, lbu, 0x000000ff, 0)
TEST_LD(3, lbu, 0x000000f0, 8)
RVTEST_END
