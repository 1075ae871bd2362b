/*
 * The thread object and thread stacks (Zephyr's kernel/thread.h and thread_stack.h subset).
 * Applications treat struct k_thread as opaque: its layout is the kernel's.
 */
#ifndef GALE_KERNEL_THREAD_H_
#define GALE_KERNEL_THREAD_H_

#include <stddef.h>
#include <stdint.h>

#include <gale/kernel/types.h>
#include <gale/sys/iterable_sections.h>
#include <gale/toolchain.h>

#if defined(CONFIG_ARM)
#include <gale/arch/arm/thread.h>
#elif defined(CONFIG_RISCV)
#include <gale/arch/riscv/thread.h>
#elif defined(CONFIG_ARCH_POSIX)
#include <gale/arch/posix/thread.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** A thread's entry point. */
typedef void (*k_thread_entry_t)(void *p1, void *p2, void *p3);

/** The scheduler's part of a thread (kernel-private layout). */
struct _thread_base {
  /** Node in the ready queue of its priority, or in the wait queue it is pended on. */
  sys_dnode_t qnode_dlist;
  /** Wait queue the thread is pended on, or NULL. */
  _wait_q_t *pended_on;
  /** K_ESSENTIAL and friends. */
  uint8_t user_options;
  /** _THREAD_* state bits (kernel/include/ksched.h). */
  uint8_t thread_state;
  /** Current priority (can be raised by priority inheritance). */
  int8_t prio;
  /** k_sched_lock() nesting count. */
  uint8_t sched_locked;
  /** Pending timeout: a sleep or the time limit of a wait. */
  struct _timeout timeout;
  /** Value the blocking call returns (set by whoever wakes the thread). */
  int swap_retval;
  /** Data handed over by whoever wakes the thread (a queue item, a message). */
  void *swap_data;
#ifdef CONFIG_SCHED_DEADLINE
  /** Absolute deadline in cycles, for EDF among threads of equal priority. */
  uint32_t prio_deadline;
#endif
};

/** Where a thread's stack is. */
struct _thread_stack_info {
  /** Lowest address the thread may use (past any reserved guard). */
  uintptr_t start;
  /** Usable size in bytes. */
  size_t size;
};

/** A thread (kernel-private layout). */
struct k_thread {
  struct _thread_base base;
  struct _thread_arch arch;
  struct _thread_stack_info stack_info;
  /** Threads waiting in k_thread_join() for this one to exit. */
  _wait_q_t join_queue;
  k_thread_entry_t entry;
  void *p1, *p2, *p3;
  /** Next thread in the list of all live threads (k_thread_foreach). */
  struct k_thread *next_thread;
#ifdef CONFIG_THREAD_CUSTOM_DATA
  void *custom_data;
#endif
#ifdef CONFIG_THREAD_NAME
  char name[CONFIG_THREAD_MAX_NAME_LEN];
#endif
#if defined(CONFIG_ERRNO) && !defined(CONFIG_THREAD_LOCAL_STORAGE)
  /** errno of a thread whose port keeps it outside TLS (native_sim). */
  int errno_var;
#endif
#ifdef CONFIG_THREAD_LOCAL_STORAGE
  /** Thread pointer for this thread's TLS block (what __aeabi_read_tp() returns). */
  uintptr_t tls;
#endif
  /** Heap k_malloc() uses on behalf of this thread (k_thread_heap_assign()). */
  struct k_heap *resource_pool;
};

typedef struct k_thread *k_tid_t;

/* Thread options. */
#define K_ESSENTIAL (1 << 0)    /**< the system cannot go on without this thread */
#define K_FP_REGS (1 << 1)      /**< the thread uses the FPU (every thread may, on Gale) */
#define K_USER (1 << 2)         /**< user mode: accepted, runs privileged (no userspace) */
#define K_INHERIT_PERMS (1 << 3) /**< accepted, no effect (no userspace) */
#define K_CALLBACK_STATE (1 << 4)
#define K_FP_IDX 1

/* Stacks. A stack object is an array of this type, placed and aligned by the macros below. */
struct z_thread_stack_element {
  char data;
};
typedef struct z_thread_stack_element k_thread_stack_t;

#define K_THREAD_STACK_RESERVED ((size_t)ARCH_THREAD_STACK_RESERVED)
#define K_KERNEL_STACK_RESERVED K_THREAD_STACK_RESERVED
#define Z_THREAD_STACK_OBJ_ALIGN ARCH_STACK_OBJ_ALIGN

/** Bytes of a stack object that gives @p size usable bytes. */
#define K_THREAD_STACK_LEN(size) \
  (ROUND_UP((size_t)(size), ARCH_STACK_PTR_ALIGN) + K_THREAD_STACK_RESERVED)
#define K_KERNEL_STACK_LEN(size) K_THREAD_STACK_LEN(size)

/** Define a thread stack named @p sym with @p size usable bytes. */
#define K_THREAD_STACK_DEFINE(sym, size)                                              \
  struct z_thread_stack_element __noinit __aligned(Z_THREAD_STACK_OBJ_ALIGN) \
      sym[K_THREAD_STACK_LEN(size)]
/** Define @p nmemb thread stacks of @p size usable bytes each: sym[i]. */
#define K_THREAD_STACK_ARRAY_DEFINE(sym, nmemb, size)                                 \
  struct z_thread_stack_element __noinit __aligned(Z_THREAD_STACK_OBJ_ALIGN) \
      sym[nmemb][K_THREAD_STACK_LEN(size)]
#define K_THREAD_STACK_DECLARE(sym, size) \
  extern struct z_thread_stack_element sym[K_THREAD_STACK_LEN(size)]
#define K_THREAD_STACK_ARRAY_DECLARE(sym, nmemb, size) \
  extern struct z_thread_stack_element sym[nmemb][K_THREAD_STACK_LEN(size)]
#define K_THREAD_STACK_EXTERN(sym) extern k_thread_stack_t sym[]
/** Usable size of the stack object @p sym. */
#define K_THREAD_STACK_SIZEOF(sym) (sizeof(sym) - K_THREAD_STACK_RESERVED)
#define K_THREAD_STACK_MEMBER(sym, size) \
  struct z_thread_stack_element __aligned(Z_THREAD_STACK_OBJ_ALIGN) sym[K_THREAD_STACK_LEN(size)]
#define K_KERNEL_STACK_DEFINE K_THREAD_STACK_DEFINE
#define K_KERNEL_STACK_ARRAY_DEFINE K_THREAD_STACK_ARRAY_DEFINE
#define K_KERNEL_STACK_DECLARE K_THREAD_STACK_DECLARE
#define K_KERNEL_STACK_EXTERN K_THREAD_STACK_EXTERN
#define K_KERNEL_STACK_SIZEOF K_THREAD_STACK_SIZEOF
#define K_KERNEL_STACK_MEMBER K_THREAD_STACK_MEMBER
/** Start of a stack object's buffer (for k_thread_stack_space_get() users). */
#define K_THREAD_STACK_BUFFER(sym) ((char *)(sym) + K_THREAD_STACK_RESERVED)

/** A statically defined thread, started at boot (kernel-private layout). */
struct _static_thread_data {
  struct k_thread *init_thread;
  k_thread_stack_t *init_stack;
  unsigned int init_stack_size;
  k_thread_entry_t init_entry;
  void *init_p1;
  void *init_p2;
  void *init_p3;
  int init_prio;
  uint32_t init_options;
  const char *init_name;
  int32_t init_delay_ms;
};

/**
 * Define a thread started at boot, before main() runs (after @p delay ms when not 0).
 *
 * @param name thread identifier: a `const k_tid_t` of that name is defined
 * @param stack_size usable stack bytes
 * @param entry, p1, p2, p3 entry point and its arguments
 * @param prio priority
 * @param options K_ESSENTIAL and friends
 * @param delay start delay in milliseconds (0: start at boot); SYS_FOREVER_MS: never
 */
#define K_THREAD_DEFINE(name, stack_size, entry, p1, p2, p3, prio, options, delay)            \
  K_THREAD_STACK_DEFINE(_k_thread_stack_##name, stack_size);                                  \
  static struct k_thread _k_thread_obj_##name;                                                \
  STRUCT_SECTION_ITERABLE(_static_thread_data, _k_thread_data_##name) = {                     \
      &_k_thread_obj_##name, _k_thread_stack_##name, K_THREAD_STACK_SIZEOF(_k_thread_stack_##name), \
      (k_thread_entry_t)(entry), (void *)(p1), (void *)(p2), (void *)(p3), (prio), (options),  \
      #name, (delay)};                                                                        \
  const k_tid_t name = (k_tid_t)&_k_thread_obj_##name

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_THREAD_H_ */
