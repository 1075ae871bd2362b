/*
 * The Gale kernel API: Zephyr 3.7's kernel.h subset. Threads, scheduling, time, and the kernel
 * objects (each object's API in its own header under gale/kernel/, all included here).
 *
 * Return codes follow Zephyr's documentation: 0 on success, a negative errno otherwise.
 */
#ifndef GALE_KERNEL_H_
#define GALE_KERNEL_H_

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/arch/cpu.h>
#include <gale/device.h>
#include <gale/fatal.h>
#include <gale/init.h>
#include <gale/irq.h>
#include <gale/kernel/thread.h>
#include <gale/kernel/types.h>
#include <gale/sys/__assert.h>
#include <gale/sys/atomic.h>
#include <gale/sys/dlist.h>
#include <gale/sys/printk.h>
#include <gale/sys/slist.h>
#include <gale/sys/util.h>
#include <gale/toolchain.h>
#include <gale/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Priorities */

/** Cooperative priority @p x (0 is the highest cooperative priority): never preempted. */
#define K_PRIO_COOP(x) (-(CONFIG_NUM_COOP_PRIORITIES - (x)))
/** Preemptible priority @p x (0 is the highest preemptible priority). */
#define K_PRIO_PREEMPT(x) (x)
#define K_HIGHEST_THREAD_PRIO (-CONFIG_NUM_COOP_PRIORITIES)
#define K_LOWEST_THREAD_PRIO CONFIG_NUM_PREEMPT_PRIORITIES
#define K_IDLE_PRIO K_LOWEST_THREAD_PRIO
#define K_HIGHEST_APPLICATION_THREAD_PRIO (K_HIGHEST_THREAD_PRIO)
#define K_LOWEST_APPLICATION_THREAD_PRIO (K_LOWEST_THREAD_PRIO - 1)

/* ------------------------------------------------------------------------------------------ */
/* Timeouts */

#define K_NO_WAIT Z_TIMEOUT_NO_WAIT
#define K_FOREVER Z_FOREVER
#define K_NSEC(t) Z_TIMEOUT_NS(t)
#define K_USEC(t) Z_TIMEOUT_US(t)
#define K_CYC(t) Z_TIMEOUT_CYC(t)
#define K_TICKS(t) Z_TIMEOUT_TICKS((t) < 0 ? 0 : (t))
#define K_MSEC(ms) Z_TIMEOUT_MS(ms)
#define K_SECONDS(s) K_MSEC((s) * MSEC_PER_SEC)
#define K_MINUTES(m) K_SECONDS((m) * 60)
#define K_HOURS(h) K_MINUTES((h) * 60)

/** Timeout at the absolute uptime @p t in ticks (a time in the past: expire at once). */
#define K_TIMEOUT_ABS_TICKS(t) Z_TIMEOUT_TICKS(Z_TICK_ABS((k_ticks_t)MAX(t, 0)))
#define K_TIMEOUT_ABS_MS(t) K_TIMEOUT_ABS_TICKS(k_ms_to_ticks_ceil64(t))
#define K_TIMEOUT_ABS_US(t) K_TIMEOUT_ABS_TICKS(k_us_to_ticks_ceil64(t))
#define K_TIMEOUT_ABS_NS(t) K_TIMEOUT_ABS_TICKS(k_ns_to_ticks_ceil64(t))
#define K_TIMEOUT_ABS_CYC(t) K_TIMEOUT_ABS_TICKS(k_cyc_to_ticks_ceil64(t))

#ifndef MSEC_PER_SEC
#define MSEC_PER_SEC 1000
#endif
#ifndef USEC_PER_MSEC
#define USEC_PER_MSEC 1000
#endif
#ifndef USEC_PER_SEC
#define USEC_PER_SEC 1000000
#endif
#ifndef NSEC_PER_USEC
#define NSEC_PER_USEC 1000
#endif
#ifndef NSEC_PER_SEC
#define NSEC_PER_SEC 1000000000
#endif
#ifndef SYS_FOREVER_MS
#define SYS_FOREVER_MS (-1)
#endif
#ifndef SYS_FOREVER_US
#define SYS_FOREVER_US (-1)
#endif
/** k_timeout_t for @p ms milliseconds, where SYS_FOREVER_MS means K_FOREVER. */
#define SYS_TIMEOUT_MS(ms) ((ms) == SYS_FOREVER_MS ? K_FOREVER : K_MSEC(ms))

/* ------------------------------------------------------------------------------------------ */
/* Threads */

/**
 * Create a thread.
 *
 * @param new_thread thread object (not in use)
 * @param stack stack object from K_THREAD_STACK_DEFINE()
 * @param stack_size usable size: K_THREAD_STACK_SIZEOF(stack) or less
 * @param entry, p1, p2, p3 entry point and its arguments
 * @param prio priority (K_PRIO_COOP(), K_PRIO_PREEMPT())
 * @param options K_ESSENTIAL, K_FP_REGS, K_USER (accepted; no userspace)
 * @param delay K_NO_WAIT to start now, K_FOREVER to wait for k_thread_start(), or a delay
 * @returns the new thread's id
 * @pre thread context, or any context before the kernel runs
 */
k_tid_t k_thread_create(struct k_thread *new_thread, k_thread_stack_t *stack, size_t stack_size,
                        k_thread_entry_t entry, void *p1, void *p2, void *p3, int prio,
                        uint32_t options, k_timeout_t delay);

/** Start a thread created with a K_FOREVER delay. Does nothing for a started thread. */
void k_thread_start(k_tid_t thread);

/**
 * Wait for @p thread to exit (return from its entry, or be aborted).
 *
 * @retval 0 the thread has exited
 * @retval -EBUSY K_NO_WAIT and the thread is still running
 * @retval -EAGAIN the timeout expired first
 * @retval -EDEADLK @p thread is the caller, or @p thread is waiting to join the caller
 * @pre thread context
 */
int k_thread_join(struct k_thread *thread, k_timeout_t timeout);

/** End @p thread; it never runs again. Aborting the caller does not return. */
void k_thread_abort(k_tid_t thread);

/**
 * Put the calling thread to sleep.
 *
 * @returns 0 after the full time, or the milliseconds left when woken early by k_wakeup()
 * @pre thread context
 */
int32_t k_sleep(k_timeout_t timeout);
/** Sleep for @p ms milliseconds (see k_sleep()). */
static inline int32_t k_msleep(int32_t ms) {
  return k_sleep(Z_TIMEOUT_MS(ms));
}
/** Sleep for @p us microseconds, rounded up to whole ticks. @returns the microseconds left */
int32_t k_usleep(int32_t us);
/** Spin without sleeping for @p usec_to_wait microseconds. @pre any context */
void k_busy_wait(uint32_t usec_to_wait);
/** Let threads of the caller's priority run first (and higher ones, always). */
void k_yield(void);
/** Whether k_yield() could switch: thread context with interrupts and scheduler unlocked. */
bool k_can_yield(void);
/** Wake @p thread early from k_sleep(). Does nothing if it is not sleeping. */
void k_wakeup(k_tid_t thread);
/** The calling thread. */
k_tid_t k_current_get(void) __attribute__((__const__));
/** Suspend @p thread until k_thread_resume(); suspending the caller switches away. */
void k_thread_suspend(k_tid_t thread);
/** Resume a suspended thread. */
void k_thread_resume(k_tid_t thread);
int k_thread_priority_get(k_tid_t thread);
/** Set @p thread's priority; it takes effect at once (the caller may be preempted). */
void k_thread_priority_set(k_tid_t thread, int prio);
/**
 * Set @p thread's deadline to @p deadline cycles from now; among ready threads of equal
 * priority, the earliest deadline runs first (CONFIG_SCHED_DEADLINE).
 */
void k_thread_deadline_set(k_tid_t thread, int deadline);
/** Ticks until @p thread's timeout expires (0 when none). */
k_ticks_t k_thread_timeout_remaining_ticks(const struct k_thread *thread);
/** Uptime in ticks at which @p thread's timeout expires (0 when none). */
k_ticks_t k_thread_timeout_expires_ticks(const struct k_thread *thread);

/**
 * Time-slice threads of equal priority.
 *
 * @param slice milliseconds a thread runs before the next thread of its priority gets the CPU
 *        (0 turns slicing off)
 * @param prio slice only threads of this priority and lower (numerically greater or equal)
 */
void k_sched_time_slice_set(int32_t slice, int prio);

/** Whether the caller runs in an interrupt handler. @pre any context */
bool k_is_in_isr(void);
/** Whether the caller is a preemptible thread (not cooperative, scheduler not locked). */
int k_is_preempt_thread(void);
/** Whether the kernel is still in its PRE_KERNEL init levels. */
bool k_is_pre_kernel(void);
/** Prevent the caller's preemption by other threads (nests) until k_sched_unlock(). */
void k_sched_lock(void);
void k_sched_unlock(void);

void k_thread_custom_data_set(void *value);
void *k_thread_custom_data_get(void);

/**
 * Name @p thread (k_current_get() when NULL).
 * @retval 0 named
 * @retval -ENOSYS names are not configured (CONFIG_THREAD_NAME)
 */
int k_thread_name_set(k_tid_t thread, const char *str);
/** @p thread's name, or NULL without CONFIG_THREAD_NAME. */
const char *k_thread_name_get(k_tid_t thread);
/** Copy @p thread's name into @p buf. @retval -ENOSYS no names @retval -ENOSPC too small */
int k_thread_name_copy(k_tid_t thread, char *buf, size_t size);
/** @p thread's state as text ("ready", "pending", "suspended", ...), written into @p buf. */
const char *k_thread_state_str(k_tid_t thread, char *buf, size_t buf_size);

typedef void (*k_thread_user_cb_t)(const struct k_thread *thread, void *user_data);
/** Call @p user_cb for every live thread, with the scheduler locked. */
void k_thread_foreach(k_thread_user_cb_t user_cb, void *user_data);
/** As k_thread_foreach(), with the list lock released around each call. */
void k_thread_foreach_unlocked(k_thread_user_cb_t user_cb, void *user_data);

/**
 * Bytes of @p thread's stack never used so far (the stack is filled with a pattern at
 * creation).
 * @retval 0 @p unused_ptr is set
 */
int k_thread_stack_space_get(const struct k_thread *thread, size_t *unused_ptr);

/** Userspace is not supported: access grants are accepted and have no effect. */
#define k_thread_access_grant(thread, ...) ARG_UNUSED(thread)
#define k_object_access_grant(object, thread) ((void)(object), (void)(thread))

/* ------------------------------------------------------------------------------------------ */
/* Time */

/** Uptime in ticks. @pre any context */
int64_t k_uptime_ticks(void);
/** Uptime in milliseconds. */
static inline int64_t k_uptime_get(void) {
  return (int64_t)k_ticks_to_ms_floor64((uint64_t)k_uptime_ticks());
}
/** Low 32 bits of the uptime in milliseconds (wraps after 49 days). */
static inline uint32_t k_uptime_get_32(void) {
  return (uint32_t)k_uptime_get();
}
/** Uptime in whole seconds. */
static inline uint32_t k_uptime_seconds(void) {
  return (uint32_t)(k_uptime_get() / MSEC_PER_SEC);
}
/** Milliseconds since *@p reftime, which is set to now. */
static inline int64_t k_uptime_delta(int64_t *reftime) {
  int64_t uptime = k_uptime_get();
  int64_t delta = uptime - *reftime;
  *reftime = uptime;
  return delta;
}
/** The hardware cycle counter (CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC), low 32 bits. */
uint32_t k_cycle_get_32(void);
/** The hardware cycle counter, 64 bits. */
uint64_t k_cycle_get_64(void);

/* ------------------------------------------------------------------------------------------ */
/* CPU */

/** Idle until the next interrupt. @pre thread context */
void k_cpu_idle(void);
/** Unlock interrupts with @p key and idle, atomically. */
void k_cpu_atomic_idle(unsigned int key);

#ifdef __cplusplus
}
#endif

/* The kernel objects. */
#include <gale/kernel/sem.h>
#include <gale/kernel/mutex.h>
#include <gale/kernel/queue.h>
#include <gale/kernel/stack.h>
#include <gale/kernel/msgq.h>
#include <gale/kernel/mem_slab.h>
#include <gale/kernel/heap.h>
#include <gale/kernel/condvar.h>
#include <gale/kernel/event.h>
#include <gale/kernel/timer.h>
#include <gale/kernel/work.h>
#include <gale/kernel/poll.h>
#include <gale/kernel/pipe.h>
#include <gale/kernel/mbox.h>

#endif /* GALE_KERNEL_H_ */
