#include "test_macros.h"
RVTEST_BEGIN
TEST_BR_TAKEN(2, bne, 0, 1)
TEST_BR_NOT_TAKEN(3, bne, -1, -1)
RVTEST_END
