/*
 * ztest's main(): test_main(), then the summary and the verdict, and the end of the system with
 * exit status 0 (all passed) or 1. In C because C++ may not define main() with C linkage.
 */
#include <gale/toolchain.h>

FUNC_NORETURN void z_ztest_main(void);

int main(void) {
  z_ztest_main();
}
