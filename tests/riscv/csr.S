#include "test_macros.h"
RVTEST_BEGIN
li TESTNUM, 2; li t0, 0x1234; csrw mscratch, t0; csrrs x14, mscratch, zero; CHECK(x14, 0x1234)
li TESTNUM, 3; csrrci x14, mscratch, 4; CHECK(x14, 0x1234); csrr x14, mscratch; CHECK(x14, 0x1230)
li TESTNUM, 4; csrrsi x14, mscratch, 1; csrrwi x14, mscratch, 7; CHECK(x14, 0x1231); csrr x14, mscratch; CHECK(x14, 7)
li TESTNUM, 5; li t0, 0xff; csrrc x14, mscratch, t0; csrr x14, mscratch; CHECK(x14, 0)
li TESTNUM, 6; csrr x14, misa; CHECK(x14, 0x40001100)
li TESTNUM, 7; csrr x14, mhartid; CHECK(x14, 0)
li TESTNUM, 8; csrr t0, minstret; nop; nop; csrr t1, minstret; sub x14, t1, t0; CHECK(x14, 3)
li TESTNUM, 9; csrr t0, mcycle; csrr t1, mcycle; bgeu t0, t1, fail
li TESTNUM, 10; csrw minstret, zero; csrr x14, minstret; CHECK(x14, 0)
li TESTNUM, 11; csrr t0, instret; csrr t1, cycle; csrr t2, time; csrr t3, mcycleh; nop
RVTEST_END
