#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, divu, 3, 20, 6)
TEST_RR(3, divu, 715827879, -20, 6)
TEST_RR(4, divu, -1, 5, 0)
RVTEST_END
