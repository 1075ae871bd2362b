/*
 * ztest, the test framework (Zephyr's <zephyr/ztest.h>): suites, tests, fixtures and rules
 * (ztest_test.h), assertions, assumptions and expectations (ztest_assert.h), fatal error hooks
 * (ztest_error_hook.h) and the result lines harnesses parse (tc_util.h).
 *
 * A test application enables CONFIG_ZTEST and defines no main(): ztest's main() calls
 * test_main(), prints the summary and the verdict ("PROJECT EXECUTION SUCCESSFUL" or
 * "PROJECT EXECUTION FAILED") and ends the system with exit status 0 or 1
 * (arch_system_exit(): QEMU and native_sim exit with it).
 */
#ifndef GALE_ZTEST_H_
#define GALE_ZTEST_H_

#ifndef CONFIG_ZTEST
#error "ztest needs CONFIG_ZTEST=y in the application's prj.conf"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <gale/kernel.h>
#include <gale/sys/printk.h>
#include <gale/tc_util.h>
#include <gale/ztest_assert.h>
#include <gale/ztest_error_hook.h>
#include <gale/ztest_test.h>

#endif /* GALE_ZTEST_H_ */
