#include "test_macros.h"
RVTEST_BEGIN
/* Not an ISA test (x_*.S): prints "hi\n" through the HTIF console (device 1, command 1; high word first). */
la t1, tohost; li t2, 0x01010000
li t0, 'h'; sw t2, 4(t1); sw t0, 0(t1)
li t0, 'i'; sw t2, 4(t1); sw t0, 0(t1)
li t0, '\n'; sw t2, 4(t1); sw t0, 0(t1)
RVTEST_END
