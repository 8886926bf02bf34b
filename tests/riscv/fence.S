#include "test_macros.h"
RVTEST_BEGIN
li TESTNUM, 2; la t0, 4f; li t1, 0x00100713; sw t1, 0(t0); fence.i; fence; 4: li x14, 0; CHECK(x14, 1)
RVTEST_END
