/*
 * k_poll: events ready on entry, waits woken by semaphores, poll signals and pipes, timeouts,
 * the order in which pollers are told, precedence of threads pended on the object itself, use
 * from interrupt handlers.
 */
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define NUM_HELPERS 2

K_SEM_DEFINE(sem, 0, 2);
K_SEM_DEFINE(sem2, 0, 1);
K_PIPE_DEFINE(pipe, 8, 4);
static struct k_poll_signal signal = K_POLL_SIGNAL_INITIALIZER(signal);

static K_THREAD_STACK_ARRAY_DEFINE(stacks, NUM_HELPERS, STACK_SIZE);
static struct k_thread helpers[NUM_HELPERS];
static bool started[NUM_HELPERS];

static void before(void *fixture) {
  ARG_UNUSED(fixture);
  k_sem_reset(&sem);
  k_sem_reset(&sem2);
  k_poll_signal_reset(&signal);
  k_pipe_flush(&pipe);
}

static void after(void *fixture) {
  ARG_UNUSED(fixture);
  for (int i = 0; i < NUM_HELPERS; i++) {
    if (started[i]) {
      k_thread_abort(&helpers[i]);
      started[i] = false;
    }
  }
  zassert_true(sys_dlist_is_empty(&sem.poll_events), "k_poll() left an event registered");
  zassert_true(sys_dlist_is_empty(&signal.poll_events), "k_poll() left an event registered");
}

static void start_helper(int index, k_thread_entry_t entry, int prio, void *arg) {
  k_thread_create(&helpers[index], stacks[index], STACK_SIZE, entry, arg, (void *)(intptr_t)index,
                  NULL, prio, 0, K_NO_WAIT);
  started[index] = true;
}

ZTEST(poll, test_initializers) {
  struct k_poll_event ev =
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &sem);
  zassert_equal(ev.type, K_POLL_TYPE_SEM_AVAILABLE);
  zassert_equal(ev.state, K_POLL_STATE_NOT_READY);
  zassert_equal(ev.mode, K_POLL_MODE_NOTIFY_ONLY);
  zassert_equal_ptr(ev.sem, &sem);
  struct k_poll_event tagged =
      K_POLL_EVENT_STATIC_INITIALIZER(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, &signal, 42);
  zassert_equal(tagged.tag, 42U);
  zassert_equal_ptr(tagged.signal, &signal);
  struct k_poll_event init;
  init.tag = 7;
  k_poll_event_init(&init, K_POLL_TYPE_PIPE_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &pipe);
  zassert_equal(init.type, K_POLL_TYPE_PIPE_DATA_AVAILABLE);
  zassert_equal(init.state, K_POLL_STATE_NOT_READY);
  zassert_equal_ptr(init.pipe, &pipe);
  zassert_equal(init.tag, 7U, "k_poll_event_init() leaves the tag alone");

  struct k_poll_signal sig;
  k_poll_signal_init(&sig);
  unsigned int signaled = 1;
  int result = 1;
  k_poll_signal_check(&sig, &signaled, &result);
  zassert_equal(signaled, 0U);
}

ZTEST(poll, test_ready_on_entry) {
  struct k_poll_event events[] = {
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &sem),
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, &signal),
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &sem2),
  };
  k_sem_give(&sem);
  k_poll_signal_raise(&signal, 5);
  zassert_equal(k_poll(events, ARRAY_SIZE(events), K_FOREVER), 0);
  zassert_equal(events[0].state, K_POLL_STATE_SEM_AVAILABLE);
  zassert_equal(events[1].state, K_POLL_STATE_SIGNALED, "every ready event is reported");
  zassert_equal(events[2].state, K_POLL_STATE_NOT_READY);
  zassert_equal(k_sem_count_get(&sem), 1U, "polling does not take the semaphore");
}

ZTEST(poll, test_no_wait_and_timeout) {
  struct k_poll_event events[] = {
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &sem),
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, &signal),
  };
  zassert_equal(k_poll(events, ARRAY_SIZE(events), K_NO_WAIT), -EAGAIN);
  int64_t start = k_uptime_ticks();
  zassert_equal(k_poll(events, ARRAY_SIZE(events), K_MSEC(20)), -EAGAIN);
  zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(20));
  zassert_equal(events[0].state, K_POLL_STATE_NOT_READY);
  zassert_equal(events[1].state, K_POLL_STATE_NOT_READY);
}

ZTEST(poll, test_ignore) {
  struct k_poll_event events[2];
  k_poll_event_init(&events[0], K_POLL_TYPE_IGNORE, K_POLL_MODE_NOTIFY_ONLY, &sem);
  k_poll_event_init(&events[1], K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &sem2);
  k_sem_give(&sem);
  zassert_equal(k_poll(events, 2, K_NO_WAIT), -EAGAIN, "an ignored event is not looked at");
  k_sem_give(&sem2);
  zassert_equal(k_poll(events, 2, K_NO_WAIT), 0);
  zassert_equal(events[0].state, K_POLL_STATE_NOT_READY);
  zassert_equal(events[1].state, K_POLL_STATE_SEM_AVAILABLE);
}

static void give_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_msleep(10);
  k_sem_give((struct k_sem *)p1);
}

ZTEST(poll, test_sem_wakes_poller) {
  struct k_poll_event events[] = {
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, &signal),
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &sem),
  };
  start_helper(0, give_later, K_PRIO_PREEMPT(5), &sem);
  int64_t start = k_uptime_ticks();
  zassert_equal(k_poll(events, ARRAY_SIZE(events), K_MSEC(500)), 0);
  zassert_true(k_uptime_ticks() - start >= (int64_t)k_ms_to_ticks_ceil64(10));
  zassert_equal(events[0].state, K_POLL_STATE_NOT_READY);
  zassert_equal(events[1].state, K_POLL_STATE_SEM_AVAILABLE);
  zassert_equal(k_sem_take(&sem, K_NO_WAIT), 0, "the unit is still there to take");
}

static void raise_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_msleep(10);
  k_poll_signal_raise(&signal, (int)(intptr_t)p1);
}

ZTEST(poll, test_signal) {
  struct k_poll_event event =
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, &signal);
  start_helper(0, raise_later, K_PRIO_PREEMPT(5), (void *)-17);
  zassert_equal(k_poll(&event, 1, K_FOREVER), 0);
  zassert_equal(event.state, K_POLL_STATE_SIGNALED);
  unsigned int signaled;
  int result;
  k_poll_signal_check(&signal, &signaled, &result);
  zassert_not_equal(signaled, 0U);
  zassert_equal(result, -17);
  /* It stays raised until reset. */
  event.state = K_POLL_STATE_NOT_READY;
  zassert_equal(k_poll(&event, 1, K_NO_WAIT), 0);
  k_poll_signal_reset(&signal);
  k_poll_signal_check(&signal, &signaled, &result);
  zassert_equal(signaled, 0U);
  event.state = K_POLL_STATE_NOT_READY;
  zassert_equal(k_poll(&event, 1, K_NO_WAIT), -EAGAIN);
  zassert_equal(k_poll_signal_raise(&signal, 3), 0, "raising with nobody polling");
}

/* Pollers of different priorities on one object. */
static struct k_poll_event helper_events[NUM_HELPERS];
static volatile int helper_rc[NUM_HELPERS];
static volatile int poll_order[NUM_HELPERS];
static volatile int polled;

static void poller(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p3);
  int index = (int)(intptr_t)p2;
  struct k_poll_event *event = &helper_events[index];
  k_poll_event_init(event, (uint32_t)(uintptr_t)p1, K_POLL_MODE_NOTIFY_ONLY,
                    (uint32_t)(uintptr_t)p1 == K_POLL_TYPE_SIGNAL ? (void *)&signal : (void *)&sem);
  helper_rc[index] = k_poll(event, 1, K_FOREVER);
  poll_order[polled++] = index;
}

static void start_pollers(uint32_t type) {
  polled = 0;
  /* The less urgent one polls first. */
  start_helper(0, poller, K_PRIO_PREEMPT(6), (void *)(uintptr_t)type);
  k_msleep(1);
  start_helper(1, poller, K_PRIO_PREEMPT(3), (void *)(uintptr_t)type);
  k_msleep(1);
  zassert_equal(polled, 0);
}

ZTEST(poll, test_signal_wakes_every_poller) {
  start_pollers(K_POLL_TYPE_SIGNAL);
  k_poll_signal_raise(&signal, 1);
  k_msleep(1);
  zassert_equal(polled, 2);
  zassert_equal(poll_order[0], 1, "more urgent first");
  zassert_equal(helper_rc[0], 0);
  zassert_equal(helper_rc[1], 0);
  zassert_equal(helper_events[0].state, K_POLL_STATE_SIGNALED);
}

ZTEST(poll, test_sem_tells_most_urgent_poller) {
  start_pollers(K_POLL_TYPE_SEM_AVAILABLE);
  k_sem_give(&sem);
  k_msleep(1);
  zassert_equal(polled, 1, "one unit: one poller is told");
  zassert_equal(poll_order[0], 1, "the more urgent one");
  zassert_equal(helper_events[1].state, K_POLL_STATE_SEM_AVAILABLE);
  zassert_equal(k_sem_take(&sem, K_NO_WAIT), 0);
  k_sem_give(&sem);
  k_msleep(1);
  zassert_equal(polled, 2);
  zassert_equal(helper_rc[0], 0);
}

static volatile int take_rc;

static void taker(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  take_rc = k_sem_take(&sem, K_FOREVER);
}

ZTEST(poll, test_pended_thread_has_precedence) {
  take_rc = 99;
  polled = 0;
  start_helper(0, poller, K_PRIO_PREEMPT(2), (void *)(uintptr_t)K_POLL_TYPE_SEM_AVAILABLE);
  start_helper(1, taker, K_PRIO_PREEMPT(6), NULL);
  k_msleep(1);
  k_sem_give(&sem);
  k_msleep(1);
  zassert_equal(take_rc, 0, "the thread pended on the semaphore gets the unit");
  zassert_equal(polled, 0, "the poller, more urgent, is not told");
  k_sem_give(&sem);
  k_msleep(1);
  zassert_equal(polled, 1);
}

static void put_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_msleep(5);
  size_t written;
  k_pipe_put(&pipe, "abc", 3, &written, 3, K_NO_WAIT);
}

ZTEST(poll, test_pipe) {
  struct k_poll_event event =
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_PIPE_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &pipe);
  zassert_equal(k_poll(&event, 1, K_NO_WAIT), -EAGAIN);
  start_helper(0, put_later, K_PRIO_PREEMPT(5), NULL);
  zassert_equal(k_poll(&event, 1, K_MSEC(100)), 0);
  zassert_equal(event.state, K_POLL_STATE_PIPE_DATA_AVAILABLE);
  zassert_equal(k_pipe_read_avail(&pipe), 3U);
  zassert_true(sys_dlist_is_empty(&pipe.poll_events));
}

static void isr_raise(const void *arg) {
  ARG_UNUSED(arg);
  k_poll_signal_raise(&signal, 9);
}

static void isr_poll(const void *arg) {
  *(int *)arg = k_poll(&helper_events[0], 1, K_NO_WAIT);
}

ZTEST(poll, test_isr) {
  start_pollers(K_POLL_TYPE_SIGNAL);
  irq_offload(isr_raise, NULL);
  k_msleep(1);
  zassert_equal(polled, 2, "raised from an ISR");
  helper_events[0].state = K_POLL_STATE_NOT_READY;
  int rc = 99;
  irq_offload(isr_poll, &rc);
  zassert_equal(rc, 0, "k_poll() with K_NO_WAIT in an ISR");
  zassert_equal(helper_events[0].state, K_POLL_STATE_SIGNALED);
}

/*
 * -EINTR: an object cancels the wait (k_queue_cancel_wait() does) through the kernel's hook,
 * called here directly, as the object would, from an ISR with interrupts locked.
 */
void z_handle_obj_poll_events(sys_dlist_t *events, uint32_t state);

static void isr_cancel(const void *arg) {
  ARG_UNUSED(arg);
  unsigned int key = irq_lock();
  z_handle_obj_poll_events(&sem.poll_events, K_POLL_STATE_CANCELLED);
  irq_unlock(key);
}

ZTEST(poll, test_cancelled) {
  start_pollers(K_POLL_TYPE_SEM_AVAILABLE);
  irq_offload(isr_cancel, NULL);
  k_msleep(1);
  zassert_equal(polled, 1);
  zassert_equal(helper_rc[1], -EINTR);
  zassert_equal(helper_events[1].state, K_POLL_STATE_CANCELLED);
  k_sem_give(&sem);
  k_msleep(1);
  zassert_equal(helper_rc[0], 0);
}

/* Queues and message queues, when the kernel has them (their headers define these guards). */
#ifdef GALE_KERNEL_QUEUE_H_
K_FIFO_DEFINE(fifo);
static struct {
  void *reserved; /* the queue's link */
  int value;
} fifo_item = {.value = 5};

static void fifo_put_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_msleep(5);
  k_fifo_put(&fifo, &fifo_item);
}

static void fifo_cancel_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  k_msleep(5);
  k_fifo_cancel_wait(&fifo);
}

ZTEST(poll, test_queue) {
  struct k_poll_event event =
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_FIFO_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &fifo);
  zassert_equal(k_poll(&event, 1, K_NO_WAIT), -EAGAIN);
  start_helper(0, fifo_put_later, K_PRIO_PREEMPT(5), NULL);
  zassert_equal(k_poll(&event, 1, K_MSEC(100)), 0);
  zassert_equal(event.state, K_POLL_STATE_FIFO_DATA_AVAILABLE);
  zassert_equal_ptr(k_fifo_get(&fifo, K_NO_WAIT), &fifo_item, "the item is still there");
  k_thread_join(&helpers[0], K_FOREVER);

  /* k_fifo_cancel_wait() ends the poll with -EINTR. */
  event.state = K_POLL_STATE_NOT_READY;
  start_helper(0, fifo_cancel_later, K_PRIO_PREEMPT(5), NULL);
  zassert_equal(k_poll(&event, 1, K_MSEC(100)), -EINTR);
  zassert_equal(event.state, K_POLL_STATE_CANCELLED);
}
#else
ZTEST(poll, test_queue) {
  ztest_test_skip();
}
#endif

#ifdef GALE_KERNEL_MSGQ_H_
K_MSGQ_DEFINE(msgq, sizeof(int), 2, 4);

static void msgq_put_later(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int value = 7;
  k_msleep(5);
  k_msgq_put(&msgq, &value, K_NO_WAIT);
}

ZTEST(poll, test_msgq) {
  struct k_poll_event event =
      K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_MSGQ_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, &msgq);
  zassert_equal(k_poll(&event, 1, K_NO_WAIT), -EAGAIN);
  start_helper(0, msgq_put_later, K_PRIO_PREEMPT(5), NULL);
  zassert_equal(k_poll(&event, 1, K_MSEC(100)), 0);
  zassert_equal(event.state, K_POLL_STATE_MSGQ_DATA_AVAILABLE);
  int value = 0;
  zassert_equal(k_msgq_get(&msgq, &value, K_NO_WAIT), 0);
  zassert_equal(value, 7);
}
#else
ZTEST(poll, test_msgq) {
  ztest_test_skip();
}
#endif

ZTEST_SUITE(poll, NULL, NULL, before, after, NULL);
