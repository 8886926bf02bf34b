#include "test_macros.h"
RVTEST_BEGIN
li TESTNUM, 2; 4: auipc x14, 0x1; la x15, 4b; sub x14, x14, x15; CHECK(x14, 0x1000)
li TESTNUM, 3; 5: auipc x14, 0xfffff; la x15, 5b; sub x14, x14, x15; CHECK(x14, 0xfffff000)
RVTEST_END
