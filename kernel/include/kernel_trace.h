// The kernel's trace hooks (subsys/tracing). Each hook is a macro that compiles to nothing
// without CONFIG_TRACING, so an image without tracing carries no trace code at all; with it, a
// hook is one call that returns after a test while no host captures. Called with interrupts
// locked or not (the recorder locks them itself).
//
// The context switch and interrupt hooks are called by the ports (they see the switch and the
// interrupt entry); the rest from the kernel's C++ code.
#ifndef GALE_KERNEL_INCLUDE_KERNEL_TRACE_H_
#define GALE_KERNEL_INCLUDE_KERNEL_TRACE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct k_thread;

/// Operations on kernel objects, as recorded (the values are part of the stream format).
enum gale_trace_object_op {
  GALE_TRACE_SEM_GIVE = 1,
  GALE_TRACE_SEM_TAKE = 2,
  GALE_TRACE_MUTEX_LOCK = 3,
  GALE_TRACE_MUTEX_UNLOCK = 4,
  GALE_TRACE_MSGQ_PUT = 5,
  GALE_TRACE_MSGQ_GET = 6,
  GALE_TRACE_QUEUE_PUT = 7,
  GALE_TRACE_QUEUE_GET = 8,
  GALE_TRACE_TIMER_START = 9,
  GALE_TRACE_TIMER_STOP = 10,
  GALE_TRACE_TIMER_EXPIRY = 11,
  GALE_TRACE_WORK_SUBMIT = 12,
  GALE_TRACE_WORK_RUN = 13,
};

#ifdef CONFIG_TRACING
// From the port, interrupts locked, before the current thread changes to _kernel.ready_cache.
void gale_trace_hook_switch(void);
// From the port's interrupt entry and exit; @p irq is the exception number.
void gale_trace_hook_isr_enter(uint32_t irq);
void gale_trace_hook_isr_exit(void);
void gale_trace_hook_thread_ready(struct k_thread *thread);
void gale_trace_hook_thread_pend(struct k_thread *thread, const void *wait_q);
void gale_trace_hook_thread_create(struct k_thread *thread);
void gale_trace_hook_thread_name(struct k_thread *thread);
void gale_trace_hook_thread_exit(struct k_thread *thread);
void gale_trace_hook_idle(void);
void gale_trace_hook_object(enum gale_trace_object_op op, const void *object);

#define SYS_TRACE_THREAD_READY(thread) gale_trace_hook_thread_ready(thread)
#define SYS_TRACE_THREAD_PEND(thread, wait_q) gale_trace_hook_thread_pend(thread, wait_q)
#define SYS_TRACE_THREAD_CREATE(thread) gale_trace_hook_thread_create(thread)
#define SYS_TRACE_THREAD_NAME_SET(thread) gale_trace_hook_thread_name(thread)
#define SYS_TRACE_THREAD_EXIT(thread) gale_trace_hook_thread_exit(thread)
#ifdef CONFIG_TRACING_IDLE
#define SYS_TRACE_IDLE() gale_trace_hook_idle()
#endif
#define SYS_TRACE_OBJECT(op, object) gale_trace_hook_object(op, object)
#endif  // CONFIG_TRACING

#ifndef SYS_TRACE_THREAD_READY
#define SYS_TRACE_THREAD_READY(thread) \
  do {                                 \
  } while (false)
#define SYS_TRACE_THREAD_PEND(thread, wait_q) \
  do {                                        \
  } while (false)
#define SYS_TRACE_THREAD_CREATE(thread) \
  do {                                  \
  } while (false)
#define SYS_TRACE_THREAD_NAME_SET(thread) \
  do {                                    \
  } while (false)
#define SYS_TRACE_THREAD_EXIT(thread) \
  do {                                \
  } while (false)
#define SYS_TRACE_OBJECT(op, object) \
  do {                               \
  } while (false)
#endif
#ifndef SYS_TRACE_IDLE
#define SYS_TRACE_IDLE() \
  do {                   \
  } while (false)
#endif

#ifdef __cplusplus
}
#endif

#endif  // GALE_KERNEL_INCLUDE_KERNEL_TRACE_H_
