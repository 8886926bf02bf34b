#include "test_macros.h"
RVTEST_BEGIN
/* Not an ISA test (x_*.S): never ends, for the --max-instructions limit. */
4: j 4b
RVTEST_END
