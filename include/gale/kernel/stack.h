/*
 * Stacks (Zephyr's k_stack API): a LIFO of word-sized values in a fixed array. A pop may wait for
 * a push; a push to a waiting thread hands it the value directly.
 */
#ifndef GALE_KERNEL_STACK_H_
#define GALE_KERNEL_STACK_H_

#include <stdint.h>

#include <gale/kernel/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A stack entry: any value the size of a pointer. */
typedef uintptr_t stack_data_t;

/** A stack (kernel-private layout). */
struct k_stack {
  _wait_q_t wait_q;
  /** The array, the next free entry, and the end of the array. */
  stack_data_t *base, *next, *top;
  /** K_STACK_FLAG_ALLOC when k_stack_alloc_init() allocated the array. */
  uint8_t flags;
};

#define K_STACK_FLAG_ALLOC ((uint8_t)1)

#define Z_STACK_INITIALIZER(obj, stack_buffer, stack_num_entries)                           \
  {                                                                                         \
    .wait_q = Z_WAIT_Q_INIT(&(obj).wait_q), .base = (stack_buffer), .next = (stack_buffer), \
    .top = (stack_buffer) + (stack_num_entries), .flags = 0                                 \
  }

/** Define stack @p name of @p stack_num_entries entries. */
#define K_STACK_DEFINE(name, stack_num_entries)                 \
  stack_data_t __noinit _k_stack_buf_##name[stack_num_entries]; \
  struct k_stack name = Z_STACK_INITIALIZER(name, _k_stack_buf_##name, stack_num_entries)

/** Initialise a stack over the @p num_entries entries at @p buffer. */
void k_stack_init(struct k_stack *stack, stack_data_t *buffer, uint32_t num_entries);

/**
 * Initialise a stack with an array of @p num_entries entries from the calling thread's resource
 * pool (k_thread_heap_assign()); k_stack_cleanup() frees it.
 * @retval 0 initialised
 * @retval -ENOMEM no pool, no room in it, or @p num_entries is 0
 * @pre thread context
 */
int32_t k_stack_alloc_init(struct k_stack *stack, uint32_t num_entries);

/**
 * Release what k_stack_alloc_init() allocated.
 * @retval 0 released (or nothing to release)
 * @retval -EAGAIN threads are waiting on the stack
 */
int k_stack_cleanup(struct k_stack *stack);

/**
 * Push @p data; the highest-priority thread waiting in k_stack_pop() gets it directly.
 * @retval 0 pushed
 * @retval -ENOMEM the stack is full
 * @pre any context
 */
int k_stack_push(struct k_stack *stack, stack_data_t data);

/**
 * Pop the most recently pushed value into *@p data, waiting up to @p timeout for one.
 * @retval 0 popped
 * @retval -EBUSY K_NO_WAIT and the stack is empty
 * @retval -EAGAIN the timeout expired
 * @pre thread context, or any context with K_NO_WAIT
 */
int k_stack_pop(struct k_stack *stack, stack_data_t *data, k_timeout_t timeout);

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_STACK_H_ */
