#include "test_macros.h"
RVTEST_BEGIN
TEST_BR_TAKEN(2, blt, -1, 1)
TEST_BR_NOT_TAKEN(3, blt, 1, -1)
TEST_BR_NOT_TAKEN(4, blt, 1, 1)
RVTEST_END
