// The native_sim runner's view of the process, for drivers that take command-line options.
#ifndef GALE_ARCH_POSIX_POSIX_RUNNER_H_
#define GALE_ARCH_POSIX_POSIX_RUNNER_H_

#ifdef __cplusplus
extern "C" {
#endif

int posix_argc(void);
char **posix_argv(void);

#ifdef __cplusplus
}
#endif

#endif  // GALE_ARCH_POSIX_POSIX_RUNNER_H_
