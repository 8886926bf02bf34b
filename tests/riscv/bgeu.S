#include "test_macros.h"
RVTEST_BEGIN
TEST_BR_TAKEN(2, bgeu, -1, 1)
TEST_BR_TAKEN(3, bgeu, 0, 0)
TEST_BR_NOT_TAKEN(4, bgeu, 1, -1)
RVTEST_END
