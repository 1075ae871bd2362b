// The native_sim process entry. The image is linked with --wrap=main, so the C runtime's call
// of main() arrives here while the application's main() stays intact for the kernel to call.
#include <stdio.h>

#include <kernel_internal.h>

#include "posix_internal.h"
#include "posix_runner.h"

namespace {
int saved_argc = 0;
char **saved_argv = nullptr;
}  // namespace

extern "C" int __wrap_main(int argc, char **argv) {
  saved_argc = argc;
  saved_argv = argv;
  // Console output must reach a pipe as soon as it is printed, not when a buffer fills.
  setvbuf(stdout, nullptr, _IONBF, 0);
  gale::posix::ParseOptions(argc, argv);
  z_cstart();
}

extern "C" int posix_argc(void) {
  return saved_argc;
}
extern "C" char **posix_argv(void) {
  return saved_argv;
}
