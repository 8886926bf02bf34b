#include "test_macros.h"
RVTEST_BEGIN
li TESTNUM, 2; li ra, 0; jal ra, 4f; 5: j fail; 4: la x15, 5b; bne ra, x15, fail
li TESTNUM, 3; jal x0, 6f; j fail; 6: nop
RVTEST_END
