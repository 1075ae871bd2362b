/*
 * Meta-IRQ threads (CONFIG_NUM_METAIRQ_PRIORITIES=1: K_HIGHEST_THREAD_PRIO is one). A meta-IRQ
 * thread preempts even a cooperative thread, like the bottom half of an interrupt handler; the
 * cooperative thread it preempted resumes when it blocks, before any other ready thread, even a
 * higher-priority one.
 */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#include "ktest.h"

#define METAIRQ_PRIO K_HIGHEST_THREAD_PRIO

static K_SEM_DEFINE(meta_sem, 0, 1);

static void metairq_after(void *fixture)
{
	ARG_UNUSED(fixture);
	ktest_reap();
	k_sem_reset(&meta_sem);
}

ZTEST_SUITE(sched_metairq, NULL, NULL, NULL, metairq_after, NULL);

/* The meta-IRQ thread: log p1 each time the semaphore is given. */
static void metairq_thread(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	for (;;) {
		k_sem_take(&meta_sem, K_FOREVER);
		ktest_log_add(POINTER_TO_INT(p1));
	}
}

static void log_once(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	ktest_log_add(POINTER_TO_INT(p1));
}

static void give_isr(const void *arg)
{
	ARG_UNUSED(arg);
	k_sem_give(&meta_sem);
}

/* Readied by the cooperative thread itself. */
ZTEST(sched_metairq, test_metairq_preempts_cooperative)
{
	static const int expected[] = {1, 2, 3, 4, 5};

	zassert_true(CONFIG_ZTEST_THREAD_PRIORITY < 0, "the worker must be cooperative");
	ktest_log_reset();
	ktest_spawn(0, metairq_thread, INT_TO_POINTER(2), NULL, METAIRQ_PRIO, K_NO_WAIT);
	/* A higher cooperative priority, ready: it still waits for the worker to block. */
	ktest_spawn(1, log_once, INT_TO_POINTER(4), NULL, K_PRIO_COOP(2), K_NO_WAIT);
	ktest_log_add(1);
	k_sem_give(&meta_sem);
	ktest_log_add(3);
	k_msleep(1);
	ktest_log_add(5);
	ktest_log_check(expected, 5);
}

/* Readied by an interrupt handler: it runs when the handler returns. */
ZTEST(sched_metairq, test_metairq_preempts_from_isr)
{
	static const int expected[] = {1, 2, 3, 4};

	ktest_log_reset();
	ktest_spawn(0, metairq_thread, INT_TO_POINTER(2), NULL, METAIRQ_PRIO, K_NO_WAIT);
	ktest_spawn(1, log_once, INT_TO_POINTER(4), NULL, K_PRIO_COOP(2), K_NO_WAIT);
	ktest_log_add(1);
	irq_offload(give_isr, NULL);
	ktest_log_add(3);
	k_msleep(1);
	ktest_log_check(expected, 4);
}

/* A preemptible thread is preempted as by any higher priority; the next thread is then the
 * highest-priority ready one, as usual.
 */
ZTEST(sched_metairq, test_metairq_preempts_preemptible)
{
	static const int expected[] = {1, 2, 3, 4};

	ktest_log_reset();
	k_thread_priority_set(k_current_get(), K_PRIO_PREEMPT(5));
	ktest_spawn(0, metairq_thread, INT_TO_POINTER(2), NULL, METAIRQ_PRIO, K_NO_WAIT);
	ktest_spawn(1, log_once, INT_TO_POINTER(4), NULL, K_PRIO_PREEMPT(7), K_NO_WAIT);
	ktest_log_add(1);
	k_sem_give(&meta_sem);
	ktest_log_add(3);
	k_msleep(1);
	ktest_log_check(expected, 4);
}
