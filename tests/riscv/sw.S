#include "test_macros.h"
RVTEST_BEGIN
TEST_ST(2, sw, lw, 0xaabbccdd, 0)
TEST_ST(3, sw, lw, 0x12345678, 12)
RVTEST_END
