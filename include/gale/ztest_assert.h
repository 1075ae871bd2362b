/*
 * ztest assertions, assumptions and expectations (Zephyr's ztest_assert.h).
 *
 * - zassert_*(): on failure, print where and why, fail the test and end it.
 * - zassume_*(): on failure, print where and why, skip the test and end it (a test that cannot
 *   run in this configuration is not a failure).
 * - zexpect_*(): on failure, print where and why, mark the test failed and go on.
 *
 * Every macro takes an optional printf-style message after its operands:
 * `zassert_equal(rc, 0, "k_sem_take: %d", rc)`. A failure prints
 *
 *     Assertion failed at src/main.c:42: suite_test_x: rc not equal to 0
 *     k_sem_take: -11
 */
#ifndef GALE_ZTEST_ASSERT_H_
#define GALE_ZTEST_ASSERT_H_

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <gale/sys/util_macro.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Check @p cond; on failure print the report and fail the current test, ending it.
 * @returns @p cond (false only when called from an ISR, where the test thread is ended instead).
 */
bool z_zassert(bool cond, const char *default_msg, const char *file, int line, const char *func,
               const char *msg, ...) __printf_like(6, 7);
/** As z_zassert(), but the test is skipped. */
bool z_zassume(bool cond, const char *default_msg, const char *file, int line, const char *func,
               const char *msg, ...) __printf_like(6, 7);
/** As z_zassert(), but the test goes on, and fails when it ends. */
bool z_zexpect(bool cond, const char *default_msg, const char *file, int line, const char *func,
               const char *msg, ...) __printf_like(6, 7);

#ifdef __cplusplus
}
#endif

/* The optional message, or NULL. */
#define Z_ZTEST_MSG(...) COND_CODE_1(__VA_OPT__(1), (__VA_ARGS__), (NULL))

/** Fail the test with @p default_msg (and the optional message) unless @p cond holds. */
#define zassert(cond, default_msg, ...)                                    \
  do {                                                                     \
    (void)z_zassert(!!(cond), (default_msg), __FILE__, __LINE__, __func__, \
                    Z_ZTEST_MSG(__VA_ARGS__));                             \
  } while (0)

/** Skip the test with @p default_msg (and the optional message) unless @p cond holds. */
#define zassume(cond, default_msg, ...)                                    \
  do {                                                                     \
    (void)z_zassume(!!(cond), (default_msg), __FILE__, __LINE__, __func__, \
                    Z_ZTEST_MSG(__VA_ARGS__));                             \
  } while (0)

/** Mark the test failed with @p default_msg (and the optional message) unless @p cond holds. */
#define zexpect(cond, default_msg, ...)                                    \
  do {                                                                     \
    (void)z_zexpect(!!(cond), (default_msg), __FILE__, __LINE__, __func__, \
                    Z_ZTEST_MSG(__VA_ARGS__));                             \
  } while (0)

/** Fail: this point must not be reached. */
#define zassert_unreachable(...) zassert(0, "Reached unreachable code", ##__VA_ARGS__)
/** Fail unless @p cond is true. */
#define zassert_true(cond, ...) zassert(cond, #cond " is false", ##__VA_ARGS__)
/** Fail unless @p cond is false. */
#define zassert_false(cond, ...) zassert(!(cond), #cond " is true", ##__VA_ARGS__)
/** Fail unless @p cond is 0 (success). */
#define zassert_ok(cond, ...) zassert(!(cond), #cond " is non-zero", ##__VA_ARGS__)
/** Fail unless @p cond is not 0 (an error). */
#define zassert_not_ok(cond, ...) zassert(!!(cond), #cond " is zero", ##__VA_ARGS__)
/** Fail unless @p ptr is NULL. */
#define zassert_is_null(ptr, ...) zassert((ptr) == NULL, #ptr " is not NULL", ##__VA_ARGS__)
/** Fail unless @p ptr is not NULL. */
#define zassert_not_null(ptr, ...) zassert((ptr) != NULL, #ptr " is NULL", ##__VA_ARGS__)
/** Fail unless @p a == @p b. */
#define zassert_equal(a, b, ...) zassert((a) == (b), #a " not equal to " #b, ##__VA_ARGS__)
/** Fail unless @p a != @p b. */
#define zassert_not_equal(a, b, ...) zassert((a) != (b), #a " equal to " #b, ##__VA_ARGS__)
/** Fail unless pointers @p a and @p b are equal. */
#define zassert_equal_ptr(a, b, ...) \
  zassert((const void *)(a) == (const void *)(b), #a " not equal to " #b, ##__VA_ARGS__)
/** Fail unless @p a is within @p b +/- @p d. */
#define zassert_within(a, b, d, ...)                                                     \
  zassert(((a) >= ((b) - (d))) && ((a) <= ((b) + (d))), #a " not within " #b " +/- " #d, \
          ##__VA_ARGS__)
/** Fail unless @p l <= @p a <= @p u. */
#define zassert_between_inclusive(a, l, u, ...)                                        \
  zassert(((a) >= (l)) && ((a) <= (u)), #a " not between " #l " and " #u " inclusive", \
          ##__VA_ARGS__)
/** Fail unless the @p size bytes at @p buf equal those at @p exp: (buf, exp, size, ...). */
#define zassert_mem_equal(...) zassert_mem_equal__(__VA_ARGS__)
#define zassert_mem_equal__(buf, exp, size, ...) \
  zassert(memcmp(buf, exp, size) == 0, #buf " not equal to " #exp, ##__VA_ARGS__)
/** Fail unless strings @p s1 and @p s2 are equal. */
#define zassert_str_equal(s1, s2, ...) \
  zassert(strcmp(s1, s2) == 0, #s1 " not equal to " #s2, ##__VA_ARGS__)

/** Skip unless @p cond is true. */
#define zassume_true(cond, ...) zassume(cond, #cond " is false", ##__VA_ARGS__)
#define zassume_false(cond, ...) zassume(!(cond), #cond " is true", ##__VA_ARGS__)
#define zassume_ok(cond, ...) zassume(!(cond), #cond " is non-zero", ##__VA_ARGS__)
#define zassume_not_ok(cond, ...) zassume(!!(cond), #cond " is zero", ##__VA_ARGS__)
#define zassume_is_null(ptr, ...) zassume((ptr) == NULL, #ptr " is not NULL", ##__VA_ARGS__)
#define zassume_not_null(ptr, ...) zassume((ptr) != NULL, #ptr " is NULL", ##__VA_ARGS__)
#define zassume_equal(a, b, ...) zassume((a) == (b), #a " not equal to " #b, ##__VA_ARGS__)
#define zassume_not_equal(a, b, ...) zassume((a) != (b), #a " equal to " #b, ##__VA_ARGS__)
#define zassume_equal_ptr(a, b, ...) \
  zassume((const void *)(a) == (const void *)(b), #a " not equal to " #b, ##__VA_ARGS__)
#define zassume_within(a, b, d, ...)                                                     \
  zassume(((a) >= ((b) - (d))) && ((a) <= ((b) + (d))), #a " not within " #b " +/- " #d, \
          ##__VA_ARGS__)
#define zassume_between_inclusive(a, l, u, ...)                                        \
  zassume(((a) >= (l)) && ((a) <= (u)), #a " not between " #l " and " #u " inclusive", \
          ##__VA_ARGS__)
#define zassume_mem_equal(...) zassume_mem_equal__(__VA_ARGS__)
#define zassume_mem_equal__(buf, exp, size, ...) \
  zassume(memcmp(buf, exp, size) == 0, #buf " not equal to " #exp, ##__VA_ARGS__)
#define zassume_str_equal(s1, s2, ...) \
  zassume(strcmp(s1, s2) == 0, #s1 " not equal to " #s2, ##__VA_ARGS__)

/** Mark the test failed, and go on, unless @p cond is true. */
#define zexpect_true(cond, ...) zexpect(cond, #cond " is false", ##__VA_ARGS__)
#define zexpect_false(cond, ...) zexpect(!(cond), #cond " is true", ##__VA_ARGS__)
#define zexpect_ok(cond, ...) zexpect(!(cond), #cond " is non-zero", ##__VA_ARGS__)
#define zexpect_not_ok(cond, ...) zexpect(!!(cond), #cond " is zero", ##__VA_ARGS__)
#define zexpect_is_null(ptr, ...) zexpect((ptr) == NULL, #ptr " is not NULL", ##__VA_ARGS__)
#define zexpect_not_null(ptr, ...) zexpect((ptr) != NULL, #ptr " is NULL", ##__VA_ARGS__)
#define zexpect_equal(a, b, ...) zexpect((a) == (b), #a " not equal to " #b, ##__VA_ARGS__)
#define zexpect_not_equal(a, b, ...) zexpect((a) != (b), #a " equal to " #b, ##__VA_ARGS__)
#define zexpect_equal_ptr(a, b, ...) \
  zexpect((const void *)(a) == (const void *)(b), #a " not equal to " #b, ##__VA_ARGS__)
#define zexpect_within(a, b, d, ...)                                                     \
  zexpect(((a) >= ((b) - (d))) && ((a) <= ((b) + (d))), #a " not within " #b " +/- " #d, \
          ##__VA_ARGS__)
#define zexpect_between_inclusive(a, l, u, ...)                                        \
  zexpect(((a) >= (l)) && ((a) <= (u)), #a " not between " #l " and " #u " inclusive", \
          ##__VA_ARGS__)
#define zexpect_mem_equal(...) zexpect_mem_equal__(__VA_ARGS__)
#define zexpect_mem_equal__(buf, exp, size, ...) \
  zexpect(memcmp(buf, exp, size) == 0, #buf " not equal to " #exp, ##__VA_ARGS__)
#define zexpect_str_equal(s1, s2, ...) \
  zexpect(strcmp(s1, s2) == 0, #s1 " not equal to " #s2, ##__VA_ARGS__)

#endif /* GALE_ZTEST_ASSERT_H_ */
