#include "common.h"

#include <string.h>

struct item items[NUM_ITEMS];
void *got[NUM_HELPERS];
int order[NUM_HELPERS];
volatile int done;

K_THREAD_STACK_ARRAY_DEFINE(helper_stacks, NUM_HELPERS, STACK_SIZE);
struct k_thread helpers[NUM_HELPERS];

void reset_items(void) {
  for (int i = 0; i < NUM_ITEMS; i++) {
    items[i].reserved = (void *)(uintptr_t)0xdeadbee0;
    items[i].value = (uint32_t)i;
  }
}

struct getter_args {
  void *obj;
  get_fn get;
  k_timeout_t timeout;
};
static struct getter_args getter_args;

static void getter(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int id = (int)(intptr_t)p1;

  got[id] = getter_args.get(getter_args.obj, getter_args.timeout);
  order[done++] = id;
}

void start_getters(void *obj, get_fn get, const int *prios, k_timeout_t timeout) {
  getter_args.obj = obj;
  getter_args.get = get;
  getter_args.timeout = timeout;
  done = 0;
  for (int i = 0; i < NUM_HELPERS; i++) {
    got[i] = (void *)1;
    order[i] = -1;
    k_thread_create(&helpers[i], helper_stacks[i], STACK_SIZE, getter, (void *)(intptr_t)i, NULL,
                    NULL, prios[i], 0, K_NO_WAIT);
  }
  k_msleep(10);
  zassert_equal(done, 0, "the helpers did not block");
}

void join_helpers(void) {
  for (int i = 0; i < NUM_HELPERS; i++) {
    zassert_ok(k_thread_join(&helpers[i], K_FOREVER));
  }
}

extern struct k_heap _system_heap;

size_t system_heap_allocated(void) {
  struct sys_memory_stats stats;

  sys_heap_runtime_stats_get(&_system_heap.heap, &stats);
  return stats.allocated_bytes;
}
