/*
 * Test case output helpers (Zephyr's tc_util.h): the result codes and the console lines that
 * test harnesses such as Twister parse ("START - ...", " PASS - ... in 0.021 seconds",
 * "PROJECT EXECUTION SUCCESSFUL"). ztest prints through these; a test without ztest may use
 * them directly.
 */
#ifndef GALE_TC_UTIL_H_
#define GALE_TC_UTIL_H_

#include <stdint.h>

#include <gale/kernel.h>
#include <gale/sys/printk.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result codes of a test case. */
#define TC_PASS 0
#define TC_FAIL 1
#define TC_SKIP 2
#define TC_FLAKY 3

#define TC_PASS_STR "PASS"
#define TC_FAIL_STR "FAIL"
#define TC_SKIP_STR "SKIP"
#define TC_FLAKY_STR "FLAKY"

/** The word a harness expects for result code @p result. */
static inline const char *TC_RESULT_TO_STR(int result) {
  switch (result) {
    case TC_PASS:
      return TC_PASS_STR;
    case TC_FAIL:
      return TC_FAIL_STR;
    case TC_SKIP:
      return TC_SKIP_STR;
    case TC_FLAKY:
      return TC_FLAKY_STR;
    default:
      return "?";
  }
}

#ifndef PRINT_DATA
#define PRINT_DATA(fmt, ...) printk(fmt, ##__VA_ARGS__)
#endif

/** The separator between test cases: 67 '=' characters. */
#define GALE_TC_LINE "==================================================================="
#define PRINT_LINE PRINT_DATA(GALE_TC_LINE "\n")

/** Print test output (a printk() that a harness does not parse). */
#define TC_PRINT(fmt, ...) PRINT_DATA(fmt, ##__VA_ARGS__)

/** Print a line of the final summary. */
#define TC_SUMMARY_PRINT(fmt, ...) PRINT_DATA(fmt, ##__VA_ARGS__)

/*
 * Timing of the test case between TC_START() and TC_END_RESULT(), in milliseconds. As in
 * Zephyr these are per translation unit, which is all a test without ztest needs; ztest times
 * its tests itself.
 */
static uint32_t tc_start_time __unused;
static uint32_t tc_spend_time __unused;

/** Announce the start of test case @p name and start its clock. */
#define TC_START(name)                  \
  do {                                  \
    tc_start_time = k_uptime_get_32();  \
    PRINT_DATA("START - %s\n", (name)); \
  } while (0)

/** Print the result line of test case @p name that took @p ms milliseconds, then a separator. */
#define GALE_TC_END_RESULT_MS(result, name, ms)                                           \
  do {                                                                                    \
    uint32_t gale_tc_ms_ = (uint32_t)(ms);                                                \
    PRINT_DATA(" %s - %s in %u.%03u seconds\n", TC_RESULT_TO_STR(result), (name),         \
               (unsigned int)(gale_tc_ms_ / 1000U), (unsigned int)(gale_tc_ms_ % 1000U)); \
    PRINT_LINE;                                                                           \
  } while (0)

/** Print the result of the test case @p func started with TC_START(). */
#define TC_END_RESULT_CUSTOM(result, func)                  \
  do {                                                      \
    tc_spend_time = k_uptime_get_32() - tc_start_time;      \
    GALE_TC_END_RESULT_MS((result), (func), tc_spend_time); \
  } while (0)

/** Print the result of the current function's test case. */
#define TC_END_RESULT(result) TC_END_RESULT_CUSTOM((result), __func__)

/** Announce test suite @p name. */
#define TC_SUITE_START(name)                    \
  do {                                          \
    TC_PRINT("Running TESTSUITE %s\n", (name)); \
    PRINT_LINE;                                 \
  } while (0)

/** Report the outcome of test suite @p name. */
#define TC_SUITE_END(name, result)                  \
  do {                                              \
    if ((result) != TC_FAIL) {                      \
      TC_PRINT("TESTSUITE %s succeeded\n", (name)); \
    } else {                                        \
      TC_PRINT("TESTSUITE %s failed.\n", (name));   \
    }                                               \
  } while (0)

/** The final verdict of the whole test application. */
#define TC_END_REPORT(result)                                                            \
  do {                                                                                   \
    PRINT_LINE;                                                                          \
    PRINT_DATA("PROJECT EXECUTION %s\n", (result) == TC_PASS ? "SUCCESSFUL" : "FAILED"); \
  } while (0)

#ifdef __cplusplus
}
#endif

#endif /* GALE_TC_UTIL_H_ */
