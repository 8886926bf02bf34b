#include "test_macros.h"
RVTEST_BEGIN
li TESTNUM, 2; lui x14, 0x80000; CHECK(x14, 0x80000000)
li TESTNUM, 3; lui x14, 0x7ffff; srai x14, x14, 12; CHECK(x14, 0x7ffff)
RVTEST_END
