#include "test_macros.h"
RVTEST_BEGIN
li TESTNUM, 2; la t0, 4f; jalr ra, 0(t0); 5: j fail; 4: la x15, 5b; bne ra, x15, fail
li TESTNUM, 3; la t0, 6f; addi t0, t0, -3; jalr ra, 3(t0); j fail; 6: nop
li TESTNUM, 4; la t0, 7f; addi t0, t0, 1; jalr x0, 0(t0); j fail; 7: nop
RVTEST_END
