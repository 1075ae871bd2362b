/*
 * A general-purpose allocator over a caller-provided buffer (Zephyr's sys_heap API). It is not
 * synchronized: callers lock (k_heap does). The kernel's k_heap and k_malloc() are built on it.
 *
 * Memory is cut into 8-byte granules. Every block carries a 4-byte header (its size and two
 * flags); a free block also keeps its size in its last word, so freeing merges with both
 * neighbours in constant time. Free blocks wait in size classes (two per power of two) with a
 * bitmap of the non-empty ones: an allocation takes the first block of the smallest class whose
 * blocks all fit, in constant time. The bookkeeping lives at the start of the buffer.
 */
#ifndef GALE_SYS_SYS_HEAP_H_
#define GALE_SYS_SYS_HEAP_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/sys/mem_stats.h>

#ifdef __cplusplus
extern "C" {
#endif

struct z_heap;

/** A heap (its bookkeeping is inside the buffer). */
struct sys_heap {
  struct z_heap *heap;
  void *init_mem;
  size_t init_bytes;
};

/**
 * Smallest buffer a heap can use (smaller ones are rounded up by K_HEAP_DEFINE): the
 * bookkeeping, one small block and alignment slack.
 */
#define Z_HEAP_MIN_SIZE 96

/**
 * Make a heap of the @p bytes bytes at @p mem (any alignment; at least Z_HEAP_MIN_SIZE).
 * @pre any context; @p mem is not used by anything else while the heap lives
 */
void sys_heap_init(struct sys_heap *heap, void *mem, size_t bytes);

/**
 * Allocate @p bytes bytes, aligned to 8.
 * @returns the memory, or NULL when no free block is large enough (or @p bytes is 0)
 */
void *sys_heap_alloc(struct sys_heap *heap, size_t bytes);

/**
 * Allocate @p bytes bytes aligned to @p align (a power of two; 0 means the default of 8).
 * @returns the memory, or NULL
 */
void *sys_heap_aligned_alloc(struct sys_heap *heap, size_t align, size_t bytes);

/**
 * Allocate @p bytes bytes at an address p such that p + @p offset is a multiple of @p align
 * (Gale extension: room for a header in front of aligned memory).
 * @param align a power of two
 * @param offset a multiple of 8
 * @returns the memory, or NULL
 */
void *gale_sys_heap_aligned_alloc_offset(struct sys_heap *heap, size_t align, size_t offset,
                                         size_t bytes);

/** Return @p mem (from this heap, or NULL: nothing happens) to the heap. */
void sys_heap_free(struct sys_heap *heap, void *mem);

/**
 * Resize @p ptr to @p bytes, in place when the block or its free neighbour allows, else by
 * moving it (the contents up to the smaller size are kept).
 * @p ptr NULL: as sys_heap_alloc(). @p bytes 0: frees @p ptr and returns NULL.
 * @returns the (possibly moved) memory, or NULL when there is no room; @p ptr is then untouched
 */
void *sys_heap_realloc(struct sys_heap *heap, void *ptr, size_t bytes);

/** As sys_heap_realloc(), the result aligned to @p align. */
void *sys_heap_aligned_realloc(struct sys_heap *heap, void *ptr, size_t align, size_t bytes);

/** Bytes usable at @p mem (at least what was asked for). */
size_t sys_heap_usable_size(struct sys_heap *heap, void *mem);

/**
 * Check the heap's bookkeeping: block chain, flags, boundary tags, free lists and bitmap.
 * @returns true when consistent
 */
bool sys_heap_validate(struct sys_heap *heap);

/**
 * Usage figures (the block headers count as allocated).
 * @retval 0 filled in
 * @retval -EINVAL @p heap or @p stats is NULL
 */
int sys_heap_runtime_stats_get(struct sys_heap *heap, struct sys_memory_stats *stats);

/** Set the recorded maximum to the current allocation. @retval 0 @retval -EINVAL NULL heap */
int sys_heap_runtime_stats_reset_max(struct sys_heap *heap);

/** The shape of a heap's free space (Gale extension, for tests and diagnostics). */
struct gale_sys_heap_info {
  size_t used_blocks;
  size_t free_blocks;
  size_t free_bytes;
  /** Largest block sys_heap_alloc() can return now, in bytes. */
  size_t largest_free_bytes;
};

/** Walk the heap and describe it. */
void gale_sys_heap_info_get(struct sys_heap *heap, struct gale_sys_heap_info *info);

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_SYS_HEAP_H_ */
