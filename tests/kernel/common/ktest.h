/*
 * Helpers shared by the kernel suites: a pool of helper threads that every test gets back at
 * its end, and an event log to check the order in which threads ran.
 */
#ifndef GALE_TESTS_KERNEL_COMMON_KTEST_H_
#define GALE_TESTS_KERNEL_COMMON_KTEST_H_

#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#ifndef KTEST_NUM_THREADS
#define KTEST_NUM_THREADS 4
#endif
#define KTEST_STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)

static K_THREAD_STACK_ARRAY_DEFINE(ktest_stacks, KTEST_NUM_THREADS, KTEST_STACK_SIZE);
static struct k_thread ktest_threads[KTEST_NUM_THREADS];
static bool ktest_thread_used[KTEST_NUM_THREADS];

/* Create helper thread @p i (its stack and object are the pool's). A thread object may only be
 * used again once its thread has ended: wait a little for that.
 */
static inline k_tid_t ktest_spawn(int i, k_thread_entry_t entry, void *p1, void *p2, int prio,
				  k_timeout_t delay)
{
	if (ktest_thread_used[i]) {
		zassert_ok(k_thread_join(&ktest_threads[i], K_MSEC(100)),
			   "helper thread %d still runs: it cannot be created again", i);
	}
	ktest_thread_used[i] = true;
	return k_thread_create(&ktest_threads[i], ktest_stacks[i], KTEST_STACK_SIZE, entry, p1, p2,
			       NULL, prio, 0, delay);
}

/* End every helper thread a test created (call from the suite's after function). */
static inline void ktest_reap(void)
{
	for (int i = 0; i < KTEST_NUM_THREADS; i++) {
		if (ktest_thread_used[i]) {
			k_thread_abort(&ktest_threads[i]);
			ktest_thread_used[i] = false;
		}
	}
}

/* The event log: threads append small integers; tests compare the sequence. */
#define KTEST_LOG_MAX 32
static volatile int ktest_log[KTEST_LOG_MAX];
static volatile int ktest_log_n;

static inline void ktest_log_reset(void)
{
	ktest_log_n = 0;
}

static inline void ktest_log_add(int event)
{
	unsigned int key = irq_lock();

	if (ktest_log_n < KTEST_LOG_MAX) {
		ktest_log[ktest_log_n++] = event;
	}
	irq_unlock(key);
}

/* Assert that the log holds exactly the @p n events of @p expected. */
#define ktest_log_check(expected, n)                                                               \
	do {                                                                                       \
		zassert_equal(ktest_log_n, (n), "%d events logged, expected %d", ktest_log_n,     \
			      (int)(n));                                                           \
		for (int i_ = 0; i_ < (n); i_++) {                                                 \
			zassert_equal(ktest_log[i_], (expected)[i_],                               \
				      "event %d is %d, expected %d", i_, ktest_log[i_],            \
				      (expected)[i_]);                                             \
		}                                                                                  \
	} while (0)

#endif /* GALE_TESTS_KERNEL_COMMON_KTEST_H_ */
