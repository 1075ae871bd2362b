/*
 * ztest test definition and execution (Zephyr's ztest_test.h, the "new" API of Zephyr 3.x).
 *
 * A suite is defined once with ZTEST_SUITE() and its tests anywhere with ZTEST(), ZTEST_F(),
 * ZTEST_USER() or ZTEST_USER_F(). Each definition is a constant object in an iterable linker
 * section, so the runner finds every suite and test without any run-time registration. Suites
 * run in the order of their names, and the tests of a suite in the order of theirs.
 *
 * Every test runs in its own thread (priority CONFIG_ZTEST_THREAD_PRIORITY, stack
 * CONFIG_ZTEST_STACK_SIZE + CONFIG_TEST_EXTRA_STACK_SIZE): a failed assertion ends that thread,
 * and the runner goes on with the next test. The suite's setup, after and teardown functions run
 * in such a thread too, so an assertion may fail anywhere.
 */
#ifndef GALE_ZTEST_TEST_H_
#define GALE_ZTEST_TEST_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/sys/iterable_sections.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Statistics of one test, over every run of it. */
struct ztest_unit_test_stats {
  uint32_t run_count;
  uint32_t skip_count;
  uint32_t fail_count;
  uint32_t pass_count;
  /** The longest run, in milliseconds. */
  uint32_t duration_worst_ms;
};

/** A test, defined with ZTEST() and friends. */
struct ztest_unit_test {
  const char *test_suite_name;
  const char *name;
  /** Calls the test body with the suite's fixture. */
  void (*test)(void *data);
  /** Thread options of the test thread (K_USER is accepted and ignored: no user mode). */
  uint32_t thread_options;
  struct ztest_unit_test_stats *const stats;
};

/** Statistics of a suite, over every run of it. */
struct ztest_suite_stats {
  uint32_t run_count;
  uint32_t skip_count;
  uint32_t fail_count;
};

/** Returns the suite's fixture; runs once per run of the suite, before its tests. */
typedef void *(*ztest_suite_setup_t)(void);
/** Runs before each test of the suite, in the test's thread. */
typedef void (*ztest_suite_before_t)(void *fixture);
/** Runs after each test of the suite, also when the test failed. */
typedef void (*ztest_suite_after_t)(void *fixture);
/** Runs once after all the tests of a run of the suite. */
typedef void (*ztest_suite_teardown_t)(void *fixture);
/** Whether the suite should run, given the state passed to ztest_run_all(). */
typedef bool (*ztest_suite_predicate_t)(const void *global_state);

/** A suite, defined with ZTEST_SUITE(). */
struct ztest_suite_node {
  const char *const name;
  const ztest_suite_setup_t setup;
  const ztest_suite_before_t before;
  const ztest_suite_after_t after;
  const ztest_suite_teardown_t teardown;
  /** NULL: the suite runs on the first call of ztest_run_all() only. */
  const ztest_suite_predicate_t predicate;
  struct ztest_suite_stats *const stats;
};

/** Rule callback: runs before or after every test of every suite. */
typedef void (*ztest_rule_cb)(const struct ztest_unit_test *test, void *data);

/** A rule, defined with ZTEST_RULE(). */
struct ztest_test_rule {
  ztest_rule_cb before_each;
  ztest_rule_cb after_each;
};

/** What a test is expected to end with, when it is not a pass (ZTEST_EXPECT_FAIL/SKIP). */
enum ztest_expected_result {
  ZTEST_EXPECTED_RESULT_FAIL = 0,
  ZTEST_EXPECTED_RESULT_SKIP,
};

struct ztest_expected_result_entry {
  const char *test_suite_name;
  const char *test_name;
  enum ztest_expected_result expected_result;
};

/* The section bounds, from the linker script (gale_iterable_section in the testsuite's CMake). */
extern struct ztest_suite_node _ztest_suite_node_list_start[];
extern struct ztest_suite_node _ztest_suite_node_list_end[];
extern struct ztest_unit_test _ztest_unit_test_list_start[];
extern struct ztest_unit_test _ztest_unit_test_list_end[];
extern struct ztest_test_rule _ztest_test_rule_list_start[];
extern struct ztest_test_rule _ztest_test_rule_list_end[];
extern struct ztest_expected_result_entry _ztest_expected_result_entry_list_start[];
extern struct ztest_expected_result_entry _ztest_expected_result_entry_list_end[];

/** Number of tests in the image. */
#define ZTEST_TEST_COUNT (_ztest_unit_test_list_end - _ztest_unit_test_list_start)
/** Number of suites in the image. */
#define ZTEST_SUITE_COUNT (_ztest_suite_node_list_end - _ztest_suite_node_list_start)

/**
 * Define test suite @p SUITE_NAME (unique in the image).
 *
 * @param SUITE_NAME   the suite's name, an identifier
 * @param PREDICATE    ztest_suite_predicate_t deciding whether the suite runs, or NULL
 * @param setup_fn     ztest_suite_setup_t returning the fixture, or NULL
 * @param before_fn    ztest_suite_before_t, or NULL
 * @param after_fn     ztest_suite_after_t, or NULL
 * @param teardown_fn  ztest_suite_teardown_t, or NULL
 */
#define ZTEST_SUITE(SUITE_NAME, PREDICATE, setup_fn, before_fn, after_fn, teardown_fn)        \
  static struct ztest_suite_stats z_ztest_suite_stats_##SUITE_NAME;                           \
  static const STRUCT_SECTION_ITERABLE(ztest_suite_node, z_ztest_suite_node_##SUITE_NAME) = { \
      .name = STRINGIFY(SUITE_NAME),                                                          \
      .setup = (setup_fn),                                                                    \
      .before = (before_fn),                                                                  \
      .after = (after_fn),                                                                    \
      .teardown = (teardown_fn),                                                              \
      .predicate = (PREDICATE),                                                               \
      .stats = &z_ztest_suite_stats_##SUITE_NAME,                                             \
  }

/* The test object's name starts with the suite's, then the test's: the linker sorts by it. */
#define Z_ZTEST_UNIT_TEST(suite, fn, t_options, wrapper)                                        \
  static struct ztest_unit_test_stats z_ztest_unit_test_stats__##suite##__##fn;                 \
  static const STRUCT_SECTION_ITERABLE(ztest_unit_test, z_ztest_unit_test__##suite##__##fn) = { \
      .test_suite_name = STRINGIFY(suite),                                                      \
      .name = STRINGIFY(fn),                                                                    \
      .test = (wrapper),                                                                        \
      .thread_options = (t_options),                                                            \
      .stats = &z_ztest_unit_test_stats__##suite##__##fn,                                       \
  }

#define Z_ZTEST(suite, fn, t_options)                                        \
  static void suite##_##fn(void);                                            \
  static void z_ztest_wrapper__##suite##__##fn(void *data) {                 \
    ARG_UNUSED(data);                                                        \
    suite##_##fn();                                                          \
  }                                                                          \
  Z_ZTEST_UNIT_TEST(suite, fn, t_options, z_ztest_wrapper__##suite##__##fn); \
  static void suite##_##fn(void)

#define Z_ZTEST_F(suite, fn, t_options)                                      \
  struct suite##_fixture;                                                    \
  static void suite##_##fn(struct suite##_fixture *fixture);                 \
  static void z_ztest_wrapper__##suite##__##fn(void *data) {                 \
    suite##_##fn((struct suite##_fixture *)data);                            \
  }                                                                          \
  Z_ZTEST_UNIT_TEST(suite, fn, t_options, z_ztest_wrapper__##suite##__##fn); \
  static void suite##_##fn(struct suite##_fixture *fixture)

/** Define test @p fn of suite @p suite; the body follows: `ZTEST(s, test_x) { ... }`. */
#define ZTEST(suite, fn) Z_ZTEST(suite, fn, 0)

/** As ZTEST(); Gale has no user mode, so the test runs in a supervisor thread. */
#define ZTEST_USER(suite, fn) Z_ZTEST(suite, fn, 0)

/**
 * Define test @p fn of suite @p suite that receives the suite's fixture as
 * `struct suite_fixture *fixture` (the pointer the suite's setup function returned).
 */
#define ZTEST_F(suite, fn) Z_ZTEST_F(suite, fn, 0)

/** As ZTEST_F(); the test runs in a supervisor thread. */
#define ZTEST_USER_F(suite, fn) Z_ZTEST_F(suite, fn, 0)

/** Run @p before_each_fn before and @p after_each_fn after every test (either may be NULL). */
#define ZTEST_RULE(name, before_each_fn, after_each_fn)                                \
  static const STRUCT_SECTION_ITERABLE(ztest_test_rule, z_ztest_test_rule__##name) = { \
      .before_each = (before_each_fn),                                                 \
      .after_each = (after_each_fn),                                                   \
  }

#define Z_ZTEST_EXPECT(suite, test, expectation)                                       \
  static const STRUCT_SECTION_ITERABLE(ztest_expected_result_entry,                    \
                                       z_ztest_expected_result__##suite##__##test) = { \
      .test_suite_name = STRINGIFY(suite),                                             \
      .test_name = STRINGIFY(test),                                                    \
      .expected_result = (expectation),                                                \
  }

/** Test @p test of @p suite is expected to fail: it counts as passed if it fails. */
#define ZTEST_EXPECT_FAIL(suite, test) Z_ZTEST_EXPECT(suite, test, ZTEST_EXPECTED_RESULT_FAIL)
/** Test @p test of @p suite is expected to be skipped: it counts as passed if it is. */
#define ZTEST_EXPECT_SKIP(suite, test) Z_ZTEST_EXPECT(suite, test, ZTEST_EXPECTED_RESULT_SKIP)

/* Without user mode, test data needs no memory partition. */
#define ZTEST_DMEM
#define ZTEST_BMEM
#define ZTEST_SECTION ".data"

/**
 * Fail the current test and end it (its thread is aborted). In the suite's setup, fails every
 * test of the suite; in the teardown, fails the suite.
 *
 * @pre a test, a helper thread of a test, or an ISR (which returns; the test thread is ended)
 */
void ztest_test_fail(void);

/** Pass the current test and end it now. @pre as ztest_test_fail() */
void ztest_test_pass(void);

/** Skip the current test and end it; in the suite's setup, skip the whole suite. */
void ztest_test_skip(void);

/** What a failed zassume*() calls: ztest_test_skip(). */
void ztest_skip_failed_assumption(void);

/** A before function for tests that need a single CPU: nothing to do on a uniprocessor. */
void ztest_simple_1cpu_before(void *data);
/** The after function matching ztest_simple_1cpu_before(). */
void ztest_simple_1cpu_after(void *data);
void z_test_1cpu_start(void);
void z_test_1cpu_stop(void);

/**
 * Run every suite whose predicate accepts @p state (suites without a predicate run on the first
 * call only). @p shuffle is not supported (suites and tests run in name order).
 *
 * @param state       passed to each suite's predicate
 * @param shuffle     ignored
 * @param suite_iter  how many times each suite runs
 * @param case_iter   how many times each test runs within a suite run
 */
void ztest_run_all(const void *state, bool shuffle, int suite_iter, int case_iter);

/** As ztest_run_all(). @returns the number of test failures. */
int ztest_run_test_suites(const void *state, bool shuffle, int suite_iter, int case_iter);

/**
 * Check that every suite ran at least once and every test belongs to a suite; a miss fails the
 * project (with CONFIG_ZTEST_VERIFY_RUN_ALL). The default test_main() calls it.
 */
void ztest_verify_all_test_suites_ran(void);

/** Run the suite named @p name. @returns the number of test failures, or -1: no such suite. */
int z_ztest_run_test_suite(const char *name, bool shuffle, int suite_iter, int case_iter,
                           void *param);

/** Run suite @p suite, whatever its predicate says. */
#define ztest_run_test_suite(suite, shuffle, suite_iter, case_iter, ...)         \
  z_ztest_run_test_suite(STRINGIFY(suite), (shuffle), (suite_iter), (case_iter), \
                         COND_CODE_1(__VA_OPT__(1), (__VA_ARGS__), (NULL)))

/**
 * The test application's entry, called by ztest's main(). The default runs every suite once
 * (ztest_run_all(NULL, false, 1, 1)) and verifies that all of them ran; an application may
 * define its own, for instance to run the suites several times with different states.
 */
void test_main(void);

#ifdef __cplusplus
}
#endif

#endif /* GALE_ZTEST_TEST_H_ */
