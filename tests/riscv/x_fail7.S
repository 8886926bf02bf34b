#include "test_macros.h"
RVTEST_BEGIN
/* Not an ISA test (x_*.S): exercises aimcsim exec failing with HTIF code 7. */
li TESTNUM, 7; j fail
RVTEST_END
