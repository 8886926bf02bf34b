#include "test_macros.h"
RVTEST_BEGIN
EXPECT_TRAP_HANDLER(2)
li TESTNUM, 2; .word 0xffffffff; CHECK(s1, 1); csrr x14, mtval; CHECK(x14, 0xffffffff)
li TESTNUM, 3; .word 0x00000000; CHECK(s1, 2)
li TESTNUM, 4; csrr x14, 0x7c0; CHECK(s1, 3)
li TESTNUM, 5; csrw mhartid, zero; CHECK(s1, 4)
li TESTNUM, 6; .word 0x00002007; CHECK(s1, 5)
li TESTNUM, 7; li t0, 7; .word 0x02029013; CHECK(s1, 6)
RVTEST_END
