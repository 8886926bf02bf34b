#include "test_macros.h"
RVTEST_BEGIN
la t0, 4f; csrw mepc, t0; li t0, 0x80; csrw mstatus, t0; li TESTNUM, 2; mret; j fail; 4: csrr x14, mstatus; andi x14, x14, 0x88; CHECK(x14, 0x88)
RVTEST_END
