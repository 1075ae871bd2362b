/*
 * Memory slabs (Zephyr's k_mem_slab API): fixed-size blocks from a fixed buffer. An allocation
 * may wait for a block; freeing a block while threads wait hands it to the first of them.
 */
#ifndef GALE_KERNEL_MEM_SLAB_H_
#define GALE_KERNEL_MEM_SLAB_H_

#include <stddef.h>
#include <stdint.h>

#include <gale/kernel/types.h>
#include <gale/sys/mem_stats.h>
#include <gale/sys/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A slab's shape and use. */
struct k_mem_slab_info {
  uint32_t num_blocks;
  size_t block_size;
  uint32_t num_used;
  /** The most blocks in use at once (since the last k_mem_slab_runtime_stats_reset_max()). */
  uint32_t max_used;
};

/**
 * A memory slab (kernel-private layout). Blocks never handed out yet are not on the free list:
 * they are taken in address order from `fresh`, so that defining a slab costs no run-time setup.
 */
struct k_mem_slab {
  _wait_q_t wait_q;
  char *buffer;
  /** Freed blocks, linked through their first word. */
  char *free_list;
  /** Index of the first block never handed out. */
  uint32_t fresh;
  struct k_mem_slab_info info;
};

/** @p n rounded up to a multiple of the pointer size. */
#define Z_MEM_SLAB_WORD_UP(n) (((n) + sizeof(void *) - 1) / sizeof(void *) * sizeof(void *))

#define Z_MEM_SLAB_INITIALIZER(obj, slab_buffer, slab_block_size, slab_num_blocks)      \
  {                                                                                     \
    .wait_q = Z_WAIT_Q_INIT(&(obj).wait_q), .buffer = (slab_buffer), .free_list = NULL, \
    .fresh = 0, .info = {                                                               \
      .num_blocks = (slab_num_blocks),                                                  \
      .block_size = (slab_block_size),                                                  \
      .num_used = 0,                                                                    \
      .max_used = 0                                                                     \
    }                                                                                   \
  }

#define Z_MEM_SLAB_DEFINE_IN(storage, name, slab_block_size, slab_num_blocks, slab_align)  \
  storage char __noinit __aligned(MAX(slab_align, sizeof(void *)))                         \
      _k_mem_slab_buf_##name[(slab_num_blocks)*Z_MEM_SLAB_WORD_UP(slab_block_size)];       \
  storage struct k_mem_slab name = Z_MEM_SLAB_INITIALIZER(                                 \
      name, _k_mem_slab_buf_##name, Z_MEM_SLAB_WORD_UP(slab_block_size), slab_num_blocks); \
  BUILD_ASSERT(((slab_align) & ((slab_align)-1)) == 0, "slab alignment must be a power of 2")

/**
 * Define slab @p name of @p slab_num_blocks blocks of @p slab_block_size bytes (rounded up to a
 * multiple of the pointer size), its buffer aligned to @p slab_align (a power of two; make the
 * block size a multiple of it to align every block).
 */
#define K_MEM_SLAB_DEFINE(name, slab_block_size, slab_num_blocks, slab_align) \
  Z_MEM_SLAB_DEFINE_IN(, name, slab_block_size, slab_num_blocks, slab_align)

/** As K_MEM_SLAB_DEFINE, the slab visible only in its file. */
#define K_MEM_SLAB_DEFINE_STATIC(name, slab_block_size, slab_num_blocks, slab_align) \
  Z_MEM_SLAB_DEFINE_IN(static, name, slab_block_size, slab_num_blocks, slab_align)

/**
 * Initialise a slab of @p num_blocks blocks of @p block_size bytes at @p buffer.
 * @retval 0 initialised
 * @retval -EINVAL @p block_size is not a multiple of the pointer size (or is 0), or @p buffer
 *         is not aligned to the pointer size
 */
int k_mem_slab_init(struct k_mem_slab *slab, void *buffer, size_t block_size, uint32_t num_blocks);

/**
 * Take a block, waiting up to @p timeout for one to be freed.
 * @param mem where the block's address is stored (NULL on failure)
 * @retval 0 allocated
 * @retval -ENOMEM K_NO_WAIT and every block is in use
 * @retval -EAGAIN the timeout expired
 * @pre thread context, or any context with K_NO_WAIT
 */
int k_mem_slab_alloc(struct k_mem_slab *slab, void **mem, k_timeout_t timeout);

/** Return block @p mem; the first waiting thread gets it directly. @pre any context */
void k_mem_slab_free(struct k_mem_slab *slab, void *mem);

/** Blocks in use. @pre any context */
static inline uint32_t k_mem_slab_num_used_get(struct k_mem_slab *slab) {
  return slab->info.num_used;
}

/** The most blocks in use at once. @pre any context */
static inline uint32_t k_mem_slab_max_used_get(struct k_mem_slab *slab) {
  return slab->info.max_used;
}

/** Blocks free. @pre any context */
static inline uint32_t k_mem_slab_num_free_get(struct k_mem_slab *slab) {
  return slab->info.num_blocks - slab->info.num_used;
}

/**
 * The slab's use in bytes.
 * @retval 0 filled in
 * @retval -EINVAL @p slab or @p stats is NULL
 */
int k_mem_slab_runtime_stats_get(struct k_mem_slab *slab, struct sys_memory_stats *stats);

/** Set the recorded maximum use to the current use. @retval 0 @retval -EINVAL NULL @p slab */
int k_mem_slab_runtime_stats_reset_max(struct k_mem_slab *slab);

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_MEM_SLAB_H_ */
