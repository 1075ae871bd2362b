/*
 * ztest fatal error and assertion hooks (Zephyr's ztest_error_hook.h).
 *
 * With CONFIG_ZTEST_FATAL_HOOK, ztest provides k_sys_fatal_error_handler(): a fatal error that
 * a test announced with ztest_set_fault_valid(true) passes the test (the faulting thread is
 * aborted, the test goes no further if it faulted itself); any other fails the current test.
 * Without it, a test whose thread is aborted by a fatal error fails as well.
 */
#ifndef GALE_ZTEST_ERROR_HOOK_H_
#define GALE_ZTEST_ERROR_HOOK_H_

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

struct arch_esf;

/**
 * Announce (true) that the next fatal error is part of the test, or withdraw it (false). The
 * announcement is used up by one fatal error and ends with the test.
 *
 * @pre a test thread (or its helpers)
 */
void ztest_set_fault_valid(bool valid);

/**
 * Called after an expected fatal error, before the faulting thread is aborted. The default does
 * nothing; a test may define it to check @p reason.
 */
void ztest_post_fatal_error_hook(unsigned int reason, const struct arch_esf *pEsf);

/**
 * Announce (true) that the next failed __ASSERT() is part of the test. With
 * CONFIG_ZTEST_ASSERT_HOOK, ztest provides assert_post_action(), the hook a failed __ASSERT()
 * calls after its report: an announced failure passes the test and ends it, any other fails the
 * test and ends it (instead of halting the system).
 */
void ztest_set_assert_valid(bool valid);

/** Called after an expected assertion failure, before the test ends. The default does nothing. */
void ztest_post_assert_fail_hook(void);

/** The hook a failed __ASSERT() calls after printing its report (Zephyr's). */
void assert_post_action(const char *file, unsigned int line);

#ifdef __cplusplus
}
#endif

#endif /* GALE_ZTEST_ERROR_HOOK_H_ */
