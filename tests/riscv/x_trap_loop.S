#include "test_macros.h"
RVTEST_BEGIN
/* Not an ISA test (x_*.S): the trap handler is itself an illegal instruction, so the hart traps for ever and
   retires nothing; --max-instructions bounds instructions and traps together. */
la t0, 3f; csrw mtvec, t0; j 3f
.align 2
3: .word 0
RVTEST_END
