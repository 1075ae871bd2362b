/*
 * Dining philosophers: six philosophers sit around a table with a fork between each two of
 * them. Each one thinks, takes the fork on one side and then the one on the other, eats, puts
 * both back and thinks again, for pseudo-random lengths of time. Two philosophers are
 * cooperative threads and four preemptible ones, all of different priorities; the forks are
 * semaphores, mutexes, FIFOs or LIFOs (CONFIG_PHILOSOPHERS_FORKS_*).
 *
 * Every philosopher takes the lower-numbered of its two forks first, so no circle of
 * philosophers each waiting for the next one's fork can form: the table never deadlocks.
 *
 * The state of the table is drawn with VT100 cursor movements, or printed as one line per
 * change with CONFIG_PHILOSOPHERS_PLAIN_OUTPUT.
 */
#include <zephyr/kernel.h>

#define NUM_PHIL 6
#define STACK_SIZE CONFIG_PHILOSOPHERS_STACK_SIZE

/* The forks: take() blocks until the fork is free; put() frees it. */
#if defined(CONFIG_PHILOSOPHERS_FORKS_SEMAPHORES)
#define FORK_KIND "semaphores"
typedef struct k_sem fork_t;
static void fork_init(fork_t *fork) {
  (void)k_sem_init(fork, 1, 1);
}
static void fork_take(fork_t *fork) {
  (void)k_sem_take(fork, K_FOREVER);
}
static void fork_put(fork_t *fork) {
  k_sem_give(fork);
}
#elif defined(CONFIG_PHILOSOPHERS_FORKS_MUTEXES)
#define FORK_KIND "mutexes"
typedef struct k_mutex fork_t;
static void fork_init(fork_t *fork) {
  (void)k_mutex_init(fork);
}
static void fork_take(fork_t *fork) {
  (void)k_mutex_lock(fork, K_FOREVER);
}
static void fork_put(fork_t *fork) {
  (void)k_mutex_unlock(fork);
}
#elif defined(CONFIG_PHILOSOPHERS_FORKS_FIFOS) || defined(CONFIG_PHILOSOPHERS_FORKS_LIFOS)
#if defined(CONFIG_PHILOSOPHERS_FORKS_FIFOS)
#ifndef K_FIFO_DEFINE
#error "CONFIG_PHILOSOPHERS_FORKS_FIFOS needs k_fifo, which this Gale tree does not have yet"
#endif
#define FORK_KIND "FIFOs"
#define QUEUE_TYPE struct k_fifo
#define QUEUE_INIT k_fifo_init
#define QUEUE_GET k_fifo_get
#define QUEUE_PUT k_fifo_put
#else
#ifndef K_LIFO_DEFINE
#error "CONFIG_PHILOSOPHERS_FORKS_LIFOS needs k_lifo, which this Gale tree does not have yet"
#endif
#define FORK_KIND "LIFOs"
#define QUEUE_TYPE struct k_lifo
#define QUEUE_INIT k_lifo_init
#define QUEUE_GET k_lifo_get
#define QUEUE_PUT k_lifo_put
#endif
/* A queue that holds the fork item while the fork is free. */
typedef struct {
  QUEUE_TYPE queue;
  struct {
    void *reserved; /* the queue's link */
  } item;
} fork_t;
static void fork_init(fork_t *fork) {
  QUEUE_INIT(&fork->queue);
  QUEUE_PUT(&fork->queue, &fork->item);
}
static void fork_take(fork_t *fork) {
  (void)QUEUE_GET(&fork->queue, K_FOREVER);
}
static void fork_put(fork_t *fork) {
  QUEUE_PUT(&fork->queue, &fork->item);
}
#else
#error "no fork kind selected (CONFIG_PHILOSOPHERS_FORKS_*)"
#endif

enum state { STARVING, HOLDING_ONE_FORK, EATING, THINKING };

static fork_t forks[NUM_PHIL];
static struct k_thread threads[NUM_PHIL];
static K_THREAD_STACK_ARRAY_DEFINE(stacks, NUM_PHIL, STACK_SIZE);
/* One philosopher prints at a time, so that lines (and cursor movements) do not mix. */
static K_MUTEX_DEFINE(print_lock);

/* Philosopher @p id's priority: the first two are cooperative (negative priorities). */
static int priority(int id) {
  return id - 2;
}

static void show(int id, enum state state, int32_t ms) {
  static const char *const kNames[] = {"STARVING", "HOLDING ONE FORK", "EATING", "THINKING"};
  int prio = priority(id);
  char kind = prio < 0 ? 'C' : 'P';

  (void)k_mutex_lock(&print_lock, K_FOREVER);
#ifdef CONFIG_PHILOSOPHERS_PLAIN_OUTPUT
  if (state == EATING || state == THINKING) {
    printk("Philosopher %d [%c:%2d] %s %d ms\n", id, kind, prio, kNames[state], (int)ms);
  } else {
    printk("Philosopher %d [%c:%2d] %s\n", id, kind, prio, kNames[state]);
  }
#else
  /* Row id + 3 (the title is on row 1); \x1b[K clears the rest of the line. */
  if (state == EATING || state == THINKING) {
    printk("\x1b[%d;1HPhilosopher %d [%c:%2d]  %-8s [ %4d ms ]\x1b[K", id + 3, id, kind, prio,
           kNames[state], (int)ms);
  } else {
    printk("\x1b[%d;1HPhilosopher %d [%c:%2d]  %s\x1b[K", id + 3, id, kind, prio, kNames[state]);
  }
#endif
  (void)k_mutex_unlock(&print_lock);
}

/* A pseudo-random time of 25 to 250 ms, in steps of 25 ms. */
static int32_t random_ms(uint32_t *seed) {
  *seed = *seed * 1103515245U + 12345U;
  return (int32_t)(((*seed >> 16) % 10U) + 1U) * 25;
}

static void philosopher(void *p1, void *p2, void *p3) {
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  int id = (int)(intptr_t)p1;
  int left = id;
  int right = (id + 1) % NUM_PHIL;
  /* The lower-numbered fork first (only the last philosopher's right fork is lower). */
  fork_t *first = &forks[MIN(left, right)];
  fork_t *second = &forks[MAX(left, right)];
  uint32_t seed = 2654435761U * (uint32_t)(id + 1);

  for (;;) {
    show(id, STARVING, 0);
    fork_take(first);
    show(id, HOLDING_ONE_FORK, 0);
    fork_take(second);

    int32_t ms = random_ms(&seed);
    show(id, EATING, ms);
    k_msleep(ms);
    fork_put(second);
    fork_put(first);

    ms = random_ms(&seed);
    show(id, THINKING, ms);
    k_msleep(ms);
  }
}

int main(void) {
#ifdef CONFIG_PHILOSOPHERS_PLAIN_OUTPUT
  printk("Dining philosophers: %d philosophers, the forks are %s\n", NUM_PHIL, FORK_KIND);
#else
  /* Clear the screen; the table goes below the title. */
  printk("\x1b[2J\x1b[1;1HDining philosophers: %d philosophers, the forks are %s\n", NUM_PHIL,
         FORK_KIND);
#endif
  for (int i = 0; i < NUM_PHIL; i++) {
    fork_init(&forks[i]);
  }
  for (int i = 0; i < NUM_PHIL; i++) {
    k_thread_create(&threads[i], stacks[i], K_THREAD_STACK_SIZEOF(stacks[i]), philosopher,
                    (void *)(intptr_t)i, NULL, NULL, priority(i), 0, K_NO_WAIT);
  }
  return 0;
}
