/*
 * Kernel heaps (Zephyr's k_heap API) and the system heap behind k_malloc().
 *
 * A k_heap is a sys_heap with a lock and a wait queue: an allocation may wait for another thread
 * to free memory. The system heap holds CONFIG_HEAP_MEM_POOL_SIZE bytes; without one (size 0)
 * k_malloc() and friends return NULL. Memory from k_malloc() and from the kernel's allocations on
 * a thread's behalf (k_queue_alloc_append(), k_msgq_alloc_init(), ...) remembers its heap, so
 * k_free() returns it to the right one.
 */
#ifndef GALE_KERNEL_HEAP_H_
#define GALE_KERNEL_HEAP_H_

#include <stddef.h>

#include <gale/kernel/types.h>
#include <gale/sys/iterable_sections.h>
#include <gale/sys/sys_heap.h>
#include <gale/sys/util.h>

#ifdef __cplusplus
extern "C" {
#endif

struct k_thread;

/** A kernel heap (kernel-private layout). */
struct k_heap {
  struct sys_heap heap;
  _wait_q_t wait_q;
};

/** Bytes of the system heap (CONFIG_HEAP_MEM_POOL_SIZE; 0 when there is none). */
#ifdef CONFIG_HEAP_MEM_POOL_SIZE
#define K_HEAP_MEM_POOL_SIZE CONFIG_HEAP_MEM_POOL_SIZE
#else
#define K_HEAP_MEM_POOL_SIZE 0
#endif

#define Z_HEAP_BYTES(bytes) ((bytes) > Z_HEAP_MIN_SIZE ? (bytes) : Z_HEAP_MIN_SIZE)

/* Heaps defined statically are set up at boot (PRE_KERNEL_1) from their iterable section. */
#define Z_HEAP_DEFINE_IN(name, bytes, attr)                                                 \
  char attr __aligned(8) kheap_##name[Z_HEAP_BYTES(bytes)];                                 \
  STRUCT_SECTION_ITERABLE(k_heap, name) = {                                                 \
      .heap = {.heap = NULL, .init_mem = kheap_##name, .init_bytes = sizeof(kheap_##name)}, \
      .wait_q = Z_WAIT_Q_INIT(&(name).wait_q)}

/** Define kernel heap @p name of @p bytes bytes (at least Z_HEAP_MIN_SIZE), ready at boot. */
#define K_HEAP_DEFINE(name, bytes) Z_HEAP_DEFINE_IN(name, bytes, )
/** As K_HEAP_DEFINE (there is no data cache to bypass on Gale's targets). */
#define K_HEAP_DEFINE_NOCACHE(name, bytes) Z_HEAP_DEFINE_IN(name, bytes, )

/**
 * Make a heap of the @p bytes bytes at @p mem.
 * @pre thread context, or any context before the heap is used
 */
void k_heap_init(struct k_heap *h, void *mem, size_t bytes);

/**
 * Allocate @p bytes bytes aligned to @p align (a power of two), waiting up to @p timeout for
 * other threads to free enough memory.
 * @returns the memory, or NULL (none in time, or @p bytes is 0)
 * @pre thread context, or any context with K_NO_WAIT
 */
void *k_heap_aligned_alloc(struct k_heap *h, size_t align, size_t bytes, k_timeout_t timeout);

/** As k_heap_aligned_alloc() with the heap's default alignment (8). */
void *k_heap_alloc(struct k_heap *h, size_t bytes, k_timeout_t timeout);

/**
 * Allocate @p num elements of @p size bytes, zeroed.
 * @returns the memory, or NULL (no room in time, or @p num * @p size overflows)
 */
void *k_heap_calloc(struct k_heap *h, size_t num, size_t size, k_timeout_t timeout);

/**
 * Resize @p ptr (from @p h) to @p bytes, keeping its contents, waiting up to @p timeout for room.
 * @p ptr NULL: as k_heap_alloc(). @p bytes 0: frees @p ptr, returns NULL.
 * @returns the memory (possibly moved), or NULL with @p ptr untouched
 */
void *k_heap_realloc(struct k_heap *h, void *ptr, size_t bytes, k_timeout_t timeout);

/** Free @p mem (from @p h; NULL does nothing); threads waiting for memory try again. @pre any */
void k_heap_free(struct k_heap *h, void *mem);

/**
 * Allocate @p size bytes from the system heap, aligned to @p align (a power of two).
 * @returns the memory, or NULL (no room, or no system heap)
 * @pre any context
 */
void *k_aligned_alloc(size_t align, size_t size);

/** Allocate @p size bytes from the system heap, aligned to 8. @returns the memory or NULL */
void *k_malloc(size_t size);

/** Free memory from k_malloc() and friends (NULL does nothing). @pre any context */
void k_free(void *ptr);

/** k_malloc() of @p nmemb * @p size zeroed bytes; NULL on overflow or no room. */
void *k_calloc(size_t nmemb, size_t size);

/**
 * Resize memory from k_malloc() (in its own heap), keeping its contents.
 * @p ptr NULL: as k_malloc(). @p size 0: frees @p ptr, returns NULL.
 * @returns the memory (possibly moved), or NULL with @p ptr untouched
 */
void *k_realloc(void *ptr, size_t size);

/**
 * Make @p heap the pool the kernel allocates from on @p thread's behalf (k_queue_alloc_append(),
 * k_stack_alloc_init(), k_msgq_alloc_init(), ...). Threads it creates afterwards inherit it.
 * NULL: such allocations fail.
 */
void k_thread_heap_assign(struct k_thread *thread, struct k_heap *heap);

/** Make the system heap @p thread's pool (see k_thread_heap_assign()). */
void k_thread_system_pool_assign(struct k_thread *thread);

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_HEAP_H_ */
