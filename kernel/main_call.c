/*
 * The one call of the application's main(). It lives in C because C++ forbids calling main.
 * native_sim links with --wrap=main: the process entry point is the POSIX runner's
 * __wrap_main, and the application's own main() is reached as __real_main.
 */
#include <kernel_internal.h>

#ifdef CONFIG_ARCH_POSIX
#define GALE_APP_MAIN __real_main
#else
#define GALE_APP_MAIN main
#endif

extern int GALE_APP_MAIN(void);

int z_main_call(void) { return GALE_APP_MAIN(); }
