/*
 * Memory usage statistics reported by allocators (Zephyr's sys/mem_stats.h).
 */
#ifndef GALE_SYS_MEM_STATS_H_
#define GALE_SYS_MEM_STATS_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An allocator's usage, in bytes. */
struct sys_memory_stats {
  /** Bytes free now. */
  size_t free_bytes;
  /** Bytes allocated now. */
  size_t allocated_bytes;
  /** Most bytes allocated at once since the start or the last reset of the maximum. */
  size_t max_allocated_bytes;
};

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_MEM_STATS_H_ */
