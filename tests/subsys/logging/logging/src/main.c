/*
 * Logging: what reaches the backends, seen through gale_log_hook_set(). The test thread is
 * cooperative, so in deferred mode the log thread never runs during a test: drain() outputs
 * the buffered messages when the test asks.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>
#include <zephyr/logging/log_ctrl.h>
#include <zephyr/ztest.h>

#include "logging_test.h"

LOG_MODULE_REGISTER(alpha, LOG_LEVEL_WRN);

#define TIMESTAMP_LEN 19 /* "[hh:mm:ss.mmm,uuu] " */

static char captured[4096];
static size_t captured_len;
static int captured_count;
static char last_raw[128];

static void capture(const void *data, size_t length, void *ctx)
{
	const char *text = data;

	ARG_UNUSED(ctx);
	snprintf(last_raw, sizeof(last_raw), "%.*s", (int)length, text);
	/* Timestamps vary: test_timestamp checks their format, the others compare the rest. */
	if (length > TIMESTAMP_LEN && text[0] == '[' && text[TIMESTAMP_LEN - 2] == ']') {
		text += TIMESTAMP_LEN;
		length -= TIMESTAMP_LEN;
	}
	if (captured_len + length < sizeof(captured)) {
		memcpy(&captured[captured_len], text, length);
		captured_len += length;
		captured[captured_len] = '\0';
	}
	captured_count++;
}

static void drain(void)
{
	while (log_process()) {
	}
}

static void reset(void)
{
	drain();
	captured_len = 0;
	captured[0] = '\0';
	captured_count = 0;
}

static void *setup(void)
{
	gale_log_hook_set(capture, NULL);
	return NULL;
}

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	reset();
}

ZTEST(logging, test_compile_time_level)
{
	LOG_ERR("e %d", 1);
	LOG_WRN("w %d", 2);
	LOG_INF("i %d", 3);
	LOG_DBG("d %d", 4);
	drain();
	zassert_str_equal(captured, "<err> alpha: e 1\n<wrn> alpha: w 2\n");
	zassert_equal(captured_count, 2);
}

ZTEST(logging, test_default_level_and_cxx)
{
	cxx_log_all(3);
	drain();
	zassert_not_null(strstr(captured, "<err> cxx_mod: cxx err 3 string\n"), "%s", captured);
	zassert_not_null(strstr(captured, "<wrn> cxx_mod: cxx wrn 3\n"), "%s", captured);
	zassert_not_null(strstr(captured, "<wrn> cxx_mod: cxx bytes\n"), "%s", captured);
	zassert_is_null(strstr(captured, "cxx inf"), "an INF call above the default level ran");
	zassert_equal(captured_count, 3);
}

ZTEST(logging, test_module_enumeration)
{
	zassert_equal(gale_log_module_count(), 3);
	/* Sorted by name in the iterable section. */
	zassert_str_equal(gale_log_module_name(0), "alpha");
	zassert_str_equal(gale_log_module_name(1), "beta");
	zassert_str_equal(gale_log_module_name(2), "cxx_mod");
	zassert_is_null(gale_log_module_name(3));
	zassert_equal(gale_log_module_find("beta"), 1);
	zassert_equal(gale_log_module_find("gamma"), -ENOENT);
	zassert_equal(log_src_cnt_get(0), 3);
	zassert_str_equal(log_source_name_get(0, 2), "cxx_mod");
	zassert_equal(gale_log_compiled_level_get(0), LOG_LEVEL_WRN);
	zassert_equal(gale_log_compiled_level_get(1), LOG_LEVEL_DBG);
	zassert_equal(gale_log_compiled_level_get(2), LOG_LEVEL_WRN);
	zassert_equal(gale_log_compiled_level_get(3), -EINVAL);
}

ZTEST(logging, test_runtime_level)
{
	int beta = gale_log_module_find("beta");
	int alpha = gale_log_module_find("alpha");

	zassert_equal(gale_log_level_get(beta), LOG_LEVEL_DBG);
	beta_log_all(1);
	drain();
	zassert_equal(captured_count, 4);
	zassert_not_null(strstr(captured, "<dbg> beta: beta dbg 1\n"));

	reset();
	zassert_equal(gale_log_level_set(beta, LOG_LEVEL_WRN), LOG_LEVEL_WRN);
	zassert_equal(gale_log_level_get(beta), LOG_LEVEL_WRN);
	beta_log_all(2);
	drain();
	zassert_str_equal(captured, "<err> beta: beta err 2\n<wrn> beta: beta wrn 2\n");

	reset();
	zassert_equal(log_filter_set(NULL, 0, (int16_t)beta, LOG_LEVEL_NONE), LOG_LEVEL_NONE);
	beta_log_all(3);
	drain();
	zassert_equal(captured_count, 0);

	/* Never above the compile-time level; bad arguments rejected. */
	zassert_equal(gale_log_level_set(alpha, LOG_LEVEL_DBG), LOG_LEVEL_WRN);
	zassert_equal(gale_log_level_set(99, LOG_LEVEL_ERR), -EINVAL);
	zassert_equal(gale_log_level_set(alpha, 5), -EINVAL);
	zassert_equal(gale_log_level_get(99), -EINVAL);

	/* Every source at once. */
	zassert_equal(log_filter_set(NULL, 0, -1, LOG_LEVEL_DBG), LOG_LEVEL_DBG);
	zassert_equal(gale_log_level_get(beta), LOG_LEVEL_DBG);
	zassert_equal(gale_log_level_get(alpha), LOG_LEVEL_WRN);
}

ZTEST(logging, test_timestamp_and_prefix)
{
	k_msleep(2);
	LOG_ERR("stamped");
	drain();
	/* "[00:00:00.012,345] <err> alpha: stamped\n" */
	zassert_equal(strlen(last_raw), TIMESTAMP_LEN + strlen("<err> alpha: stamped\n"), "%s",
		      last_raw);
	const char *shape = "[dd:dd:dd.ddd,ddd] ";

	for (size_t i = 0; i < TIMESTAMP_LEN; i++) {
		if (shape[i] == 'd') {
			zassert_true(last_raw[i] >= '0' && last_raw[i] <= '9', "%s", last_raw);
		} else {
			zassert_equal(last_raw[i], shape[i], "%s", last_raw);
		}
	}
	zassert_true(strcmp(last_raw, "[00:00:00.000,000]") > 0, "uptime not counted: %s",
		     last_raw);
}

ZTEST(logging, test_hexdump_format)
{
	static const unsigned char frame[20] = {0x47, 0x61, 0x6c, 0x65, 0x00, 0x01, 0x02,
						0x03, 0xde, 0xad, 0xbe, 0xef, 0x7f, 0x80,
						0x20, 0x41, 0x42, 0x43, 0x0a, 0xff};
	char expected[512];
	/* The data lines line up under the message text: timestamp + "<err> alpha: ". */
	const char *pad = "                                ";

	LOG_HEXDUMP_ERR(frame, sizeof(frame), "frame:");
	LOG_HEXDUMP_INF(frame, sizeof(frame), "compiled out");
	drain();
	snprintf(expected, sizeof(expected),
		 "<err> alpha: frame:\n"
		 "%s47 61 6c 65 00 01 02 03  de ad be ef 7f 80 20 41 |Gale.... ...... A\n"
		 "%s42 43 0a ff%38s|BC..\n",
		 pad, pad, "");
	zassert_str_equal(captured, expected);

	reset();
	LOG_HEXDUMP_WRN(frame, 0, "empty");
	drain();
	zassert_str_equal(captured, "<wrn> alpha: empty\n");
}

ZTEST(logging, test_drops_counted)
{
	if (IS_ENABLED(CONFIG_LOG_MODE_IMMEDIATE)) {
		ztest_test_skip();
	}
	uint32_t before = gale_log_dropped_total();
	char note[64];

	for (int i = 0; i < 40; i++) {
		LOG_ERR("drop %02d", i);
	}
	uint32_t dropped = gale_log_dropped_total() - before;
	uint32_t buffered = log_buffered_cnt();

	if (IS_ENABLED(CONFIG_LOG_BLOCK_IN_THREAD)) {
		/* The thread output the oldest messages itself: nothing lost, in order. */
		zassert_equal(dropped, 0);
		drain();
		zassert_equal(captured_count, 40);
		for (int i = 0; i < 40; i++) {
			snprintf(note, sizeof(note), "<err> alpha: drop %02d\n", i);
			zassert_equal(strncmp(&captured[i * 21], note, 21), 0, "message %d: %s", i,
				      captured);
		}
		return;
	}
	zassert_true(dropped > 0, "a 512-byte buffer kept 40 messages");
	zassert_equal(buffered + dropped, 40);
	drain();
	zassert_equal(log_buffered_cnt(), 0);
	zassert_equal(captured_count, (int)buffered + 1);
	/* The oldest messages are kept; the note comes after them. */
	zassert_equal(strncmp(captured, "<err> alpha: drop 00\n", 21), 0, "%s", captured);
	snprintf(note, sizeof(note), "--- %u messages dropped ---\n", (unsigned int)dropped);
	zassert_str_equal(last_raw, note);
}

/* Last (tests run in name order): panic mode cannot be left. */
ZTEST(logging, test_zz_panic_flushes)
{
	LOG_ERR("before panic 1");
	LOG_ERR("before panic 2");
	log_panic();
	zassert_str_equal(captured, "<err> alpha: before panic 1\n<err> alpha: before panic 2\n");
	zassert_equal(log_buffered_cnt(), 0);
	LOG_WRN("after panic");
	zassert_equal(captured_count, 3, "a message after log_panic() waited");
	zassert_str_equal(last_raw + TIMESTAMP_LEN, "<wrn> alpha: after panic\n");
	printk("printk still works\n");
}

ZTEST_SUITE(logging, NULL, setup, before, NULL, NULL);
