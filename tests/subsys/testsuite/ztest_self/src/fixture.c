/*
 * A suite with a fixture and every hook: each hook and test writes a letter to a log, which the
 * verify suite compares with the documented order.
 */
#include <string.h>

#include "ztest_self.h"

static char log_buf[64];
static size_t log_len;

void fixture_log(char c)
{
	if (log_len < sizeof(log_buf) - 1) {
		log_buf[log_len++] = c;
	}
}

const char *fixture_log_get(void)
{
	return log_buf;
}

struct fixture_fixture {
	uint32_t magic;
	int before_calls;
	int after_calls;
	int tests_run;
};

static struct fixture_fixture the_fixture;

static void *fixture_setup(void)
{
	zassert_equal(the_fixture.magic, 0, "setup runs once");
	the_fixture.magic = 0x6a1e;
	fixture_log('S');
	return &the_fixture;
}

static void fixture_before(void *data)
{
	struct fixture_fixture *f = data;

	zassert_equal_ptr(f, &the_fixture);
	f->before_calls++;
	fixture_log('B');
}

static void fixture_after(void *data)
{
	struct fixture_fixture *f = data;

	f->after_calls++;
	fixture_log('A');
}

static void fixture_teardown(void *data)
{
	zassert_equal_ptr(data, &the_fixture);
	fixture_log('D');
}

ZTEST_F(fixture, test_1_first)
{
	zassert_equal_ptr(fixture, &the_fixture);
	zassert_equal(fixture->magic, 0x6a1e);
	zassert_equal(fixture->before_calls, 1);
	zassert_equal(fixture->after_calls, 0);
	fixture->tests_run++;
	fixture_log('1');
}

/* Tests run in name order: 1, 2, 3. */
ZTEST_F(fixture, test_2_second)
{
	zassert_equal(fixture->tests_run, 1);
	zassert_equal(fixture->before_calls, 2);
	zassert_equal(fixture->after_calls, 1, "after ran for the first test");
	fixture->tests_run++;
	fixture_log('2');
}

ZTEST_USER_F(fixture, test_3_third)
{
	zassert_equal(fixture->tests_run, 2);
	fixture_log('3');
}

ZTEST_SUITE(fixture, NULL, fixture_setup, fixture_before, fixture_after, fixture_teardown);
