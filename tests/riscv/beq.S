#include "test_macros.h"
RVTEST_BEGIN
TEST_BR_TAKEN(2, beq, 0, 0)
TEST_BR_TAKEN(3, beq, -1, -1)
TEST_BR_NOT_TAKEN(4, beq, 0, 1)
RVTEST_END
