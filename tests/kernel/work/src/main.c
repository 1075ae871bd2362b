/*
 * Work queues: submission and its return codes, cancel and flush (with and without waiting),
 * drain and plug, queue options, delayable work, the system work queue, use from ISRs.
 *
 * The test thread is cooperative: the work queues run only while it sleeps or waits.
 */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define QUEUE_PRIO K_PRIO_PREEMPT(4)

static K_THREAD_STACK_DEFINE(queue_stack, STACK_SIZE);
static struct k_work_q queue;
static K_THREAD_STACK_DEFINE(helper_stack, STACK_SIZE);
static struct k_thread helper;
static bool helper_started;

/* A work item that counts its runs, records its thread, and may block until released. */
struct test_work {
  struct k_work work;
  volatile int runs;
  volatile bool block;
  k_tid_t thread;
  int id;
};
static K_SEM_DEFINE(release, 0, 10);
static K_SEM_DEFINE(running, 0, 10);
static int run_log[8];
static volatile int run_count;

static void handler(struct k_work *work) {
  struct test_work *tw = CONTAINER_OF(work, struct test_work, work);
  tw->thread = k_current_get();
  if (run_count < (int)ARRAY_SIZE(run_log)) {
    run_log[run_count] = tw->id;
  }
  run_count++;
  k_sem_give(&running);
  if (tw->block) {
    k_sem_take(&release, K_FOREVER);
  }
  tw->runs++;
}

static struct test_work items[4];

static void *setup(void) {
  const struct k_work_queue_config cfg = {.name = "test_q", .no_yield = false};
  k_work_queue_init(&queue);
  k_work_queue_start(&queue, queue_stack, K_THREAD_STACK_SIZEOF(queue_stack), QUEUE_PRIO, &cfg);
  return NULL;
}

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  for (int i = 0; i < (int)ARRAY_SIZE(items); i++) {
    k_work_init(&items[i].work, handler);
    items[i].runs = 0;
    items[i].block = false;
    items[i].thread = NULL;
    items[i].id = i;
  }
  k_sem_reset(&release);
  k_sem_reset(&running);
  run_count = 0;
}

static void after(void *fixture) {
  ARG_UNUSED(fixture);
  if (helper_started) {
    k_thread_abort(&helper);
    helper_started = false;
  }
  /* Let any blocked item finish, and leave the queue idle and unplugged. */
  for (int i = 0; i < 10; i++) {
    k_sem_give(&release);
  }
  k_work_queue_drain(&queue, false);
  (void)k_work_queue_unplug(&queue);
}

/* Run @p entry in a helper thread of priority @p prio. */
static void start_helper(k_thread_entry_t entry, int prio, void *arg) {
  k_thread_create(&helper, helper_stack, STACK_SIZE, entry, arg, NULL, NULL, prio, 0, K_NO_WAIT);
  helper_started = true;
}

/* Submit items[0] blocking, and wait until its handler runs. */
static void start_blocked(struct test_work *tw) {
  tw->block = true;
  zassert_equal(k_work_submit_to_queue(&queue, &tw->work), 1);
  zassert_equal(k_sem_take(&running, K_MSEC(100)), 0, "the handler did not start");
}

ZTEST(work, test_submit) {
  struct k_work *work = &items[0].work;
  zassert_equal(k_work_busy_get(work), 0);
  zassert_false(k_work_is_pending(work));
  zassert_equal(k_work_submit_to_queue(&queue, work), 1, "queued");
  zassert_equal(k_work_busy_get(work), K_WORK_QUEUED);
  zassert_true(k_work_is_pending(work));
  zassert_equal(k_work_submit_to_queue(&queue, work), 0, "already queued");
  k_msleep(1);
  zassert_equal(items[0].runs, 1, "queued twice, runs once");
  zassert_equal_ptr(items[0].thread, k_work_queue_thread_get(&queue));
  zassert_equal(k_work_busy_get(work), 0);
}

ZTEST(work, test_submit_while_running) {
  start_blocked(&items[0]);
  zassert_equal(k_work_busy_get(&items[0].work), K_WORK_RUNNING);
  zassert_equal(k_work_submit_to_queue(&queue, &items[0].work), 2,
                "queued again on the queue running it");
  zassert_equal(k_work_busy_get(&items[0].work), K_WORK_RUNNING | K_WORK_QUEUED);
  zassert_equal(k_work_submit_to_queue(&queue, &items[0].work), 0);
  k_sem_give(&release);
  k_sem_give(&release);
  k_msleep(1);
  zassert_equal(items[0].runs, 2);
  zassert_equal(k_work_busy_get(&items[0].work), 0);
}

ZTEST(work, test_submit_errors) {
  static struct k_work_q idle_queue;
  k_work_queue_init(&idle_queue);
  zassert_equal(k_work_submit_to_queue(&idle_queue, &items[0].work), -ENODEV,
                "the queue was not started");
  zassert_equal(k_work_submit_to_queue(NULL, &items[0].work), -EINVAL,
                "no queue, and never submitted");
  zassert_equal(k_work_busy_get(&items[0].work), 0);
  zassert_equal(k_work_submit_to_queue(&queue, &items[0].work), 1);
  k_msleep(1);
  zassert_equal(k_work_submit_to_queue(NULL, &items[0].work), 1, "the last queue");
  k_msleep(1);
  zassert_equal(items[0].runs, 2);
  zassert_equal_ptr(items[0].thread, &queue.thread);
}

ZTEST(work, test_fifo_order) {
  for (int i = 0; i < 4; i++) {
    zassert_equal(k_work_submit_to_queue(&queue, &items[i].work), 1);
  }
  k_msleep(1);
  zassert_equal(run_count, 4);
  for (int i = 0; i < 4; i++) {
    zassert_equal(run_log[i], i);
  }
}

ZTEST(work, test_cancel) {
  zassert_equal(k_work_submit_to_queue(&queue, &items[0].work), 1);
  zassert_equal(k_work_cancel(&items[0].work), 0, "a queued item is simply dequeued");
  k_msleep(1);
  zassert_equal(items[0].runs, 0);
  zassert_equal(k_work_cancel(&items[0].work), 0, "cancelling an idle item");

  start_blocked(&items[1]);
  zassert_equal(k_work_cancel(&items[1].work), K_WORK_RUNNING | K_WORK_CANCELING);
  zassert_equal(k_work_submit_to_queue(&queue, &items[1].work), -EBUSY,
                "no submission while cancelling");
  k_sem_give(&release);
  k_msleep(1);
  zassert_equal(items[1].runs, 1, "the running handler finished");
  zassert_equal(k_work_busy_get(&items[1].work), 0, "the cancel completed");
  zassert_equal(k_work_submit_to_queue(&queue, &items[1].work), 1);
}

static void release_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_msleep(10);
  k_sem_give(&release);
}

ZTEST(work, test_cancel_sync) {
  struct k_work_sync sync;
  zassert_false(k_work_cancel_sync(&items[0].work, &sync), "idle");
  zassert_equal(k_work_submit_to_queue(&queue, &items[0].work), 1);
  zassert_true(k_work_cancel_sync(&items[0].work, &sync), "it was queued");
  zassert_equal(k_work_busy_get(&items[0].work), 0);

  start_blocked(&items[1]);
  start_helper(release_later, K_PRIO_PREEMPT(1), NULL);
  int64_t start = k_uptime_ticks();
  zassert_true(k_work_cancel_sync(&items[1].work, &sync), "it was running");
  zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(10), "waited");
  zassert_equal(items[1].runs, 1);
  zassert_equal(k_work_busy_get(&items[1].work), 0);
  k_msleep(5);
  zassert_equal(items[0].runs, 0, "the cancelled item never ran");
}

ZTEST(work, test_flush) {
  struct k_work_sync sync;
  zassert_false(k_work_flush(&items[0].work, &sync), "idle");

  /* Flush an item queued behind a blocked one. */
  start_blocked(&items[0]);
  zassert_equal(k_work_submit_to_queue(&queue, &items[1].work), 1);
  zassert_equal(k_work_submit_to_queue(&queue, &items[2].work), 1);
  start_helper(release_later, K_PRIO_PREEMPT(1), NULL);
  zassert_true(k_work_flush(&items[1].work, &sync));
  zassert_equal(items[1].runs, 1, "flushed: it ran");
  zassert_equal(k_work_busy_get(&items[1].work), 0);
  k_msleep(1);
  zassert_equal(items[2].runs, 1);

  /* Flush a running item. */
  start_blocked(&items[3]);
  k_thread_join(&helper, K_FOREVER);
  start_helper(release_later, K_PRIO_PREEMPT(1), NULL);
  zassert_true(k_work_flush(&items[3].work, &sync));
  zassert_equal(items[3].runs, 1);
}

/* Drain: a helper tries to submit while the test thread drains. */
static volatile int helper_rc;

static void submit_during_drain(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_msleep(2);
  helper_rc = k_work_submit_to_queue(&queue, (struct k_work *)p1);
  k_sem_give(&release);
}

/* A handler that resubmits itself once: chained submissions pass a drain. */
static volatile int chained_rc;

static void chaining_handler(struct k_work *work) {
  struct test_work *tw = CONTAINER_OF(work, struct test_work, work);
  if (tw->runs++ == 0) {
    chained_rc = k_work_submit_to_queue(NULL, work);
  }
}

ZTEST(work, test_drain) {
  zassert_equal(k_work_queue_drain(&queue, false), 0, "already idle");
  zassert_equal(k_work_queue_unplug(&queue), -EALREADY, "not plugged");

  start_blocked(&items[0]);
  k_work_init(&items[1].work, chaining_handler);
  zassert_equal(k_work_submit_to_queue(&queue, &items[1].work), 1);
  helper_rc = 99;
  start_helper(submit_during_drain, K_PRIO_PREEMPT(1), &items[2].work);
  zassert_equal(k_work_queue_drain(&queue, true), 1, "waited for the drain");
  zassert_equal(helper_rc, -EBUSY, "other threads cannot submit while the queue drains");
  zassert_equal(items[0].runs, 1);
  zassert_equal(items[1].runs, 2, "the chained submission ran before the drain ended");
  zassert_equal(chained_rc, 2, "resubmitted while running");
  zassert_equal(k_work_submit_to_queue(&queue, &items[2].work), -EBUSY, "plugged");
  zassert_equal(k_work_queue_unplug(&queue), 0);
  zassert_equal(k_work_queue_unplug(&queue), -EALREADY);
  zassert_equal(k_work_submit_to_queue(&queue, &items[2].work), 1);
  zassert_equal(k_work_queue_drain(&queue, false), 1);
  zassert_equal(items[2].runs, 1);
}

ZTEST(work, test_queue_thread) {
  k_tid_t thread = k_work_queue_thread_get(&queue);
  zassert_equal_ptr(thread, &queue.thread);
  zassert_equal(k_thread_priority_get(thread), QUEUE_PRIO);
#ifdef CONFIG_THREAD_NAME
  zassert_str_equal(k_thread_name_get(thread), "test_q");
#endif
}

/*
 * Yielding between items: an item readies a thread of the queue's priority. By default it
 * runs before the next item; with no_yield, after.
 */
static K_THREAD_STACK_DEFINE(nyq_stack, STACK_SIZE);
static struct k_work_q no_yield_queue;
static K_SEM_DEFINE(peer_go, 0, 1);
static volatile int order_log[3];
static volatile int order_count;

static void peer_entry(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_sem_take(&peer_go, K_FOREVER);
  order_log[order_count++] = 9;
}

static void order_handler(struct k_work *work) {
  struct test_work *tw = CONTAINER_OF(work, struct test_work, work);
  order_log[order_count++] = tw->id;
  if (tw->id == 0) {
    k_sem_give(&peer_go);
  }
}

static void check_yield(struct k_work_q *q, bool yields) {
  order_count = 0;
  start_helper(peer_entry, QUEUE_PRIO, NULL);
  k_msleep(1);
  k_work_init(&items[0].work, order_handler);
  k_work_init(&items[1].work, order_handler);
  k_work_submit_to_queue(q, &items[0].work);
  k_work_submit_to_queue(q, &items[1].work);
  k_msleep(1);
  zassert_equal(order_count, 3);
  zassert_equal(order_log[0], 0);
  zassert_equal(order_log[1], yields ? 9 : 1);
  zassert_equal(order_log[2], yields ? 1 : 9);
  k_thread_join(&helper, K_FOREVER);
  helper_started = false;
}

ZTEST(work, test_yield_between_items) {
  check_yield(&queue, true);
}

ZTEST(work, test_no_yield) {
  static bool started;
  if (!started) {
    const struct k_work_queue_config cfg = {.name = "nyq", .no_yield = true};
    k_work_queue_start(&no_yield_queue, nyq_stack, K_THREAD_STACK_SIZEOF(nyq_stack), QUEUE_PRIO,
                       &cfg);
    started = true;
  }
  check_yield(&no_yield_queue, false);
}

ZTEST(work, test_system_work_queue) {
  zassert_equal(k_work_submit(&items[0].work), 1);
  k_msleep(1);
  zassert_equal(items[0].runs, 1);
  zassert_equal_ptr(items[0].thread, &k_sys_work_q.thread);
  zassert_equal(k_thread_priority_get(&k_sys_work_q.thread), CONFIG_SYSTEM_WORKQUEUE_PRIORITY);
#ifdef CONFIG_THREAD_NAME
  zassert_str_equal(k_thread_name_get(&k_sys_work_q.thread), "sysworkq");
#endif
}

/* Delayable work. */
static struct k_work_delayable dwork;
static volatile int dwork_runs;
static volatile int64_t dwork_ran_at;
static struct k_work_delayable *volatile dwork_seen;

static void dwork_handler(struct k_work *work) {
  dwork_seen = k_work_delayable_from_work(work);
  dwork_runs++;
  dwork_ran_at = k_uptime_ticks();
}

static void init_dwork(void) {
  k_work_init_delayable(&dwork, dwork_handler);
  dwork_runs = 0;
  dwork_seen = NULL;
}

K_WORK_DELAYABLE_DEFINE(static_dwork, dwork_handler);
K_WORK_DEFINE(static_work, handler);

ZTEST(work, test_static_definitions) {
  dwork_runs = 0;
  zassert_equal(k_work_delayable_busy_get(&static_dwork), 0);
  zassert_equal(k_work_schedule_for_queue(&queue, &static_dwork, K_MSEC(1)), 1);
  zassert_equal(k_work_busy_get(&static_work), 0);
  k_msleep(5);
  zassert_equal(dwork_runs, 1);
  zassert_equal_ptr(dwork_seen, &static_dwork);
}

ZTEST(work, test_schedule) {
  init_dwork();
  int64_t start = k_uptime_ticks();
  zassert_equal(k_work_schedule_for_queue(&queue, &dwork, K_MSEC(20)), 1, "scheduled");
  zassert_equal(k_work_delayable_busy_get(&dwork), K_WORK_DELAYED);
  zassert_true(k_work_delayable_is_pending(&dwork));
  k_ticks_t left = k_work_delayable_remaining_get(&dwork);
  zassert_true(left > 0 && left <= (k_ticks_t)k_ms_to_ticks_ceil64(20) + 1, "%d ticks left",
               (int)left);
  zassert_equal(k_work_delayable_expires_get(&dwork) - k_uptime_ticks(),
                k_work_delayable_remaining_get(&dwork));
  zassert_equal(k_work_schedule_for_queue(&queue, &dwork, K_MSEC(1)), 0, "already scheduled");
  k_msleep(10);
  zassert_equal(dwork_runs, 0);
  k_msleep(15);
  zassert_equal(dwork_runs, 1);
  zassert_true(dwork_ran_at - start >= (int64_t)k_ms_to_ticks_ceil64(20));
  zassert_equal_ptr(dwork_seen, &dwork, "k_work_delayable_from_work()");
  zassert_equal(k_work_delayable_remaining_get(&dwork), 0);
  zassert_equal(k_work_delayable_expires_get(&dwork), k_uptime_ticks());

  /* K_NO_WAIT submits at once; an already queued item is left alone. */
  zassert_equal(k_work_schedule_for_queue(&queue, &dwork, K_NO_WAIT), 1);
  zassert_equal(k_work_delayable_busy_get(&dwork), K_WORK_QUEUED);
  zassert_equal(k_work_schedule_for_queue(&queue, &dwork, K_NO_WAIT), 0);
  k_msleep(1);
  zassert_equal(dwork_runs, 2);
}

ZTEST(work, test_schedule_system_queue) {
  init_dwork();
  zassert_equal(k_work_schedule(&dwork, K_MSEC(5)), 1);
  k_msleep(10);
  zassert_equal(dwork_runs, 1);
  zassert_equal(k_work_reschedule(&dwork, K_MSEC(5)), 1);
  k_msleep(10);
  zassert_equal(dwork_runs, 2);
}

ZTEST(work, test_reschedule) {
  init_dwork();
  int64_t start = k_uptime_ticks();
  zassert_equal(k_work_schedule_for_queue(&queue, &dwork, K_MSEC(50)), 1);
  zassert_equal(k_work_reschedule_for_queue(&queue, &dwork, K_MSEC(10)), 1, "new deadline");
  k_msleep(15);
  zassert_equal(dwork_runs, 1);
  int64_t took = dwork_ran_at - start;
  zassert_true(
      took >= (int64_t)k_ms_to_ticks_ceil64(10) && took < (int64_t)k_ms_to_ticks_ceil64(15),
      "ran after %d ticks", (int)took);
  k_msleep(50);
  zassert_equal(dwork_runs, 1, "the first deadline is gone");

  zassert_equal(k_work_reschedule_for_queue(&queue, &dwork, K_NO_WAIT), 1, "queued now");
  zassert_equal(k_work_reschedule_for_queue(&queue, &dwork, K_NO_WAIT), 0, "already queued");
  zassert_equal(k_work_reschedule_for_queue(&queue, &dwork, K_MSEC(5)), 1,
                "delayed again while queued");
  zassert_equal(k_work_delayable_busy_get(&dwork), K_WORK_QUEUED | K_WORK_DELAYED);
  k_msleep(10);
  zassert_equal(dwork_runs, 3);
}

ZTEST(work, test_schedule_errors) {
  static struct k_work_q idle_queue;
  init_dwork();
  k_work_queue_init(&idle_queue);
  zassert_equal(k_work_schedule_for_queue(&idle_queue, &dwork, K_NO_WAIT), -ENODEV);
  zassert_equal(k_work_schedule_for_queue(NULL, &dwork, K_NO_WAIT), -EINVAL);
  zassert_equal(k_work_reschedule_for_queue(&idle_queue, &dwork, K_NO_WAIT), -ENODEV);
  zassert_equal(k_work_delayable_busy_get(&dwork), 0);
  /* With a delay, the error shows only when the delay ends: the item just does not run. */
  zassert_equal(k_work_schedule_for_queue(&idle_queue, &dwork, K_MSEC(1)), 1);
  k_msleep(5);
  zassert_equal(dwork_runs, 0);
  zassert_equal(k_work_delayable_busy_get(&dwork), 0);
}

ZTEST(work, test_cancel_delayable) {
  struct k_work_sync sync;
  init_dwork();
  zassert_equal(k_work_schedule_for_queue(&queue, &dwork, K_MSEC(5)), 1);
  zassert_equal(k_work_cancel_delayable(&dwork), 0);
  zassert_equal(k_work_delayable_busy_get(&dwork), 0);
  zassert_equal(k_work_schedule_for_queue(&queue, &dwork, K_MSEC(5)), 1);
  zassert_true(k_work_cancel_delayable_sync(&dwork, &sync), "it was delayed");
  zassert_false(k_work_cancel_delayable_sync(&dwork, &sync), "idle");
  k_msleep(10);
  zassert_equal(dwork_runs, 0);
}

ZTEST(work, test_flush_delayable) {
  struct k_work_sync sync;
  init_dwork();
  zassert_false(k_work_flush_delayable(&dwork, &sync), "idle");
  zassert_equal(k_work_schedule_for_queue(&queue, &dwork, K_MSEC(100)), 1);
  int64_t start = k_uptime_ticks();
  zassert_true(k_work_flush_delayable(&dwork, &sync));
  zassert_equal(dwork_runs, 1, "submitted at once, and waited for");
  zassert_true(k_uptime_ticks() - start < (int64_t)k_ms_to_ticks_ceil64(100));
  zassert_equal(k_work_delayable_busy_get(&dwork), 0);
}

static void isr_submit(const void *arg) {
  int *rc = (int *)arg;
  rc[0] = k_work_submit_to_queue(&queue, &items[0].work);
  rc[1] = k_work_submit_to_queue(&queue, &items[0].work);
  rc[2] = k_work_schedule_for_queue(&queue, &dwork, K_MSEC(2));
  rc[3] = k_work_cancel(&items[1].work);
}

ZTEST(work, test_isr) {
  int rc[4] = {99, 99, 99, 99};
  init_dwork();
  irq_offload(isr_submit, rc);
  zassert_equal(rc[0], 1);
  zassert_equal(rc[1], 0);
  zassert_equal(rc[2], 1);
  zassert_equal(rc[3], 0);
  k_msleep(5);
  zassert_equal(items[0].runs, 1);
  zassert_equal(dwork_runs, 1);
}

ZTEST_SUITE(work, NULL, setup, before, after, NULL);
