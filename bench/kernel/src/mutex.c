/*
 * Mutexes without contention. As in Zephyr's latency_measure, the thread locks the mutex many
 * times (the first lock takes it, the others nest) and then unlocks as many times, one window
 * per call; a lock and unlock of a free mutex is measured apart.
 */
#include "bench.h"

static K_MUTEX_DEFINE(mutex);

void bench_mutex(void) {
  struct bench_stat lock_stat = {0};
  struct bench_stat unlock_stat = {0};
  struct bench_stat lock1_stat = {0};
  struct bench_stat unlock1_stat = {0};
  const int nest = 100;

  for (int round = 0; round < BENCH_ITERATIONS / nest; round++) {
    for (int i = 0; i < nest; i++) {
      uint32_t start = bench_now();
      k_mutex_lock(&mutex, K_FOREVER);
      uint32_t end = bench_now();
      bench_add(&lock_stat, start, end);
      bench_dither();
    }
    for (int i = 0; i < nest; i++) {
      uint32_t start = bench_now();
      k_mutex_unlock(&mutex);
      uint32_t end = bench_now();
      bench_add(&unlock_stat, start, end);
      bench_dither();
    }
  }
  bench_report("mutex.lock", "k_mutex_lock(), free or already ours (nested)", &lock_stat);
  bench_report("mutex.unlock", "k_mutex_unlock(), nested or last", &unlock_stat);

  for (int i = 0; i < BENCH_ITERATIONS; i++) {
    uint32_t start = bench_now();
    k_mutex_lock(&mutex, K_FOREVER);
    uint32_t middle = bench_now();
    k_mutex_unlock(&mutex);
    uint32_t end = bench_now();
    bench_add(&lock1_stat, start, middle);
    bench_add(&unlock1_stat, middle, end);
    bench_dither();
  }
  bench_report("mutex.lock.free", "k_mutex_lock() of a free mutex", &lock1_stat);
  bench_report("mutex.unlock.last", "k_mutex_unlock(), releasing it", &unlock1_stat);
}
