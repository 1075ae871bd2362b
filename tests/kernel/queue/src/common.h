/*
 * Shared by the queue, fifo and lifo suites: items, helper threads that wait for an item, and
 * interrupt-context helpers.
 */
#ifndef QUEUE_TESTS_COMMON_H_
#define QUEUE_TESTS_COMMON_H_

#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define STACK_SIZE (1024 + CONFIG_TEST_EXTRA_STACK_SIZE)
#define NUM_HELPERS 3
#define NUM_ITEMS 8

/** A queue item: the first word belongs to the kernel while the item is queued. */
struct item {
  void *reserved;
  uint32_t value;
};

extern struct item items[NUM_ITEMS];

/** Fresh items (values 0..NUM_ITEMS-1, first words poisoned). */
void reset_items(void);

/** How a helper takes an item out of the object under test. */
typedef void *(*get_fn)(void *obj, k_timeout_t timeout);

/** What the helpers got, and the order they finished in. */
extern void *got[NUM_HELPERS];
extern int order[NUM_HELPERS];
extern volatile int done;

/**
 * Start NUM_HELPERS threads at @p prios that each take one item from @p obj with @p get and
 * @p timeout, and let them block.
 */
void start_getters(void *obj, get_fn get, const int *prios, k_timeout_t timeout);
/** Wait for every helper to end. */
void join_helpers(void);

K_THREAD_STACK_ARRAY_DECLARE(helper_stacks, NUM_HELPERS, STACK_SIZE);
extern struct k_thread helpers[NUM_HELPERS];

/** Bytes allocated from the system heap now. */
size_t system_heap_allocated(void);

#endif /* QUEUE_TESTS_COMMON_H_ */
