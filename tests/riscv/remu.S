#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, remu, 2, 20, 6)
TEST_RR(3, remu, 2, -20, 6)
TEST_RR(4, remu, 7, 7, 0)
RVTEST_END
