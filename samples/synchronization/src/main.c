/*
 * Two threads take turns saying hello: each waits for its own semaphore, prints its greeting,
 * sleeps half a second and gives the other thread's semaphore. thread_a starts, as its
 * semaphore starts at 1.
 */
#include <zephyr/kernel.h>

#define STACK_SIZE 1024
#define PRIORITY 7
#define SLEEP_MS 500

K_SEM_DEFINE(thread_a_sem, 1, 1);
K_SEM_DEFINE(thread_b_sem, 0, 1);

static void hello_loop(struct k_sem *mine, struct k_sem *other) {
  const char *name = k_thread_name_get(k_current_get());

  for (;;) {
    k_sem_take(mine, K_FOREVER);
    printk("%s: Hello World from cpu %d on %s!\n", name != NULL ? name : "?", 0, CONFIG_BOARD);
    k_msleep(SLEEP_MS);
    k_sem_give(other);
  }
}

static void thread_a_entry(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  hello_loop(&thread_a_sem, &thread_b_sem);
}

static void thread_b_entry(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  hello_loop(&thread_b_sem, &thread_a_sem);
}

K_THREAD_DEFINE(thread_a, STACK_SIZE, thread_a_entry, NULL, NULL, NULL, PRIORITY, 0, 0);
K_THREAD_DEFINE(thread_b, STACK_SIZE, thread_b_entry, NULL, NULL, NULL, PRIORITY, 0, 0);

/* The threads start at boot; main() has nothing left to do. (Zephyr supplies a weak empty
 * main(); Gale needs the application's.) */
int main(void) {
  return 0;
}
