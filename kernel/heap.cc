// Kernel heaps: a sys_heap under the interrupt lock, with a wait queue for allocations that wait
// for memory. Freeing wakes every waiter, since any of them may now fit; each retries in
// priority order and waits again, up to its original deadline, if it still does not fit.
//
// The system heap (k_malloc() and friends) and the allocations the kernel makes on a thread's
// behalf put a pointer to their k_heap in the 8 bytes before the memory they return, so that
// k_free() needs nothing but the pointer and the memory stays 8-aligned.
#include <gale/kernel.h>

#include <string.h>

#include <kernel_internal.h>
#include <ksched.h>

using namespace gale::kernel;

#if K_HEAP_MEM_POOL_SIZE > 0
K_HEAP_DEFINE(_system_heap, K_HEAP_MEM_POOL_SIZE);
#define SYSTEM_HEAP (&_system_heap)
#else
#define SYSTEM_HEAP (static_cast<k_heap *>(nullptr))
#endif

namespace {

// Room for the heap pointer in front of k_malloc() memory: a pointer, rounded up to the heap's
// alignment.
constexpr size_t kRefBytes = 8;
static_assert(sizeof(k_heap *) <= kRefBytes);

// Run @p attempt (under the lock) until it returns memory, waiting for frees up to @p timeout.
template <typename Attempt>
void *WaitFor(k_heap *h, k_timeout_t timeout, Attempt attempt) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait for heap memory");
  {
    IrqLock lock;
    void *mem = attempt();
    if (likely(mem != nullptr) || K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
      return mem;
    }
  }
  // Each wake-up that finds too little memory waits again for what is left of the timeout.
  if (Z_IS_TIMEOUT_RELATIVE(timeout)) {
    timeout = K_TIMEOUT_ABS_TICKS(k_uptime_ticks() + timeout.ticks + 1);
  }
  for (;;) {
    IrqLock lock;
    void *mem = attempt();
    if (mem != nullptr) {
      return mem;
    }
    if (PendCurrent(&h->wait_q, timeout, lock) != 0) {
      return nullptr;
    }
  }
}

inline void WakeWaiters(k_heap *h, IrqLock &lock) {
  if (unlikely(!sys_dlist_is_empty(&h->wait_q.waitq))) {
    (void)WakeAll(&h->wait_q, 0);
    Reschedule(lock);
  }
}

// Memory from @p h with the heap recorded in the kRefBytes in front of it (the block's start).
inline void *AllocWithRef(k_heap *h, size_t align, size_t size) {
  if (h == nullptr || size > SIZE_MAX - kRefBytes) {
    return nullptr;
  }
  void *block;
  {
    IrqLock lock;
    block = likely(align <= kRefBytes)
                ? sys_heap_alloc(&h->heap, size + kRefBytes)
                : gale_sys_heap_aligned_alloc_offset(&h->heap, align, kRefBytes, size + kRefBytes);
  }
  if (block == nullptr) {
    return nullptr;
  }
  *static_cast<k_heap **>(block) = h;
  return static_cast<char *>(block) + kRefBytes;
}

inline void *BlockOf(void *mem) {
  return static_cast<char *>(mem) - kRefBytes;
}

inline k_heap *HeapOf(void *mem) {
  return *static_cast<k_heap **>(BlockOf(mem));
}

}  // namespace

// Set up the K_HEAP_DEFINE heaps (at global scope: the section symbols have C linkage).
static int InitStaticHeaps() {
  STRUCT_SECTION_FOREACH(k_heap, h) {
    sys_heap_init(&h->heap, h->heap.init_mem, h->heap.init_bytes);
  }
  return 0;
}
SYS_INIT(InitStaticHeaps, PRE_KERNEL_1, CONFIG_KERNEL_INIT_PRIORITY_OBJECTS);

extern "C" {

void k_heap_init(struct k_heap *h, void *mem, size_t bytes) {
  WaitQueueInit(&h->wait_q);
  sys_heap_init(&h->heap, mem, bytes);
}

void *k_heap_aligned_alloc(struct k_heap *h, size_t align, size_t bytes, k_timeout_t timeout) {
  if (bytes == 0U) {
    return nullptr;  // no amount of waiting makes room for nothing
  }
  return WaitFor(h, timeout, [&] { return sys_heap_aligned_alloc(&h->heap, align, bytes); });
}

void *k_heap_alloc(struct k_heap *h, size_t bytes, k_timeout_t timeout) {
  if (bytes == 0U) {
    return nullptr;
  }
  return WaitFor(h, timeout, [&] { return sys_heap_alloc(&h->heap, bytes); });
}

void *k_heap_calloc(struct k_heap *h, size_t num, size_t size, k_timeout_t timeout) {
  size_t bytes;
  if (__builtin_mul_overflow(num, size, &bytes)) {
    return nullptr;
  }
  void *mem = k_heap_alloc(h, bytes, timeout);
  if (mem != nullptr) {
    memset(mem, 0, bytes);
  }
  return mem;
}

void *k_heap_realloc(struct k_heap *h, void *ptr, size_t bytes, k_timeout_t timeout) {
  if (bytes == 0U) {
    k_heap_free(h, ptr);
    return nullptr;
  }
  return WaitFor(h, timeout, [&] { return sys_heap_realloc(&h->heap, ptr, bytes); });
}

void k_heap_free(struct k_heap *h, void *mem) {
  if (mem == nullptr) {
    return;
  }
  IrqLock lock;
  sys_heap_free(&h->heap, mem);
  WakeWaiters(h, lock);
}

void *k_aligned_alloc(size_t align, size_t size) {
  __ASSERT((align & (align - 1)) == 0U, "k_aligned_alloc: %u is not a power of two",
           static_cast<unsigned int>(align));
  return AllocWithRef(SYSTEM_HEAP, align, size);
}

void *k_malloc(size_t size) {
  return AllocWithRef(SYSTEM_HEAP, 0, size);
}

void k_free(void *ptr) {
  if (ptr == nullptr) {
    return;
  }
  k_heap *h = HeapOf(ptr);
  IrqLock lock;
  sys_heap_free(&h->heap, BlockOf(ptr));
  WakeWaiters(h, lock);
}

void *k_calloc(size_t nmemb, size_t size) {
  size_t bytes;
  if (__builtin_mul_overflow(nmemb, size, &bytes)) {
    return nullptr;
  }
  void *mem = k_malloc(bytes);
  if (mem != nullptr) {
    memset(mem, 0, bytes);
  }
  return mem;
}

void *k_realloc(void *ptr, size_t size) {
  if (ptr == nullptr) {
    return k_malloc(size);
  }
  if (size == 0U) {
    k_free(ptr);
    return nullptr;
  }
  if (size > SIZE_MAX - kRefBytes) {
    return nullptr;
  }
  k_heap *h = HeapOf(ptr);
  void *block;
  {
    IrqLock lock;
    block = sys_heap_realloc(&h->heap, BlockOf(ptr), size + kRefBytes);
  }
  // The reference moved with the contents.
  return block != nullptr ? static_cast<char *>(block) + kRefBytes : nullptr;
}

void k_thread_heap_assign(struct k_thread *thread, struct k_heap *heap) {
  thread->resource_pool = heap;
}

void k_thread_system_pool_assign(struct k_thread *thread) {
  thread->resource_pool = SYSTEM_HEAP;
}

void *z_thread_aligned_alloc(size_t align, size_t size) {
  // An interrupt handler has no thread of its own: it uses the system heap.
  k_heap *h = arch_is_in_isr() ? SYSTEM_HEAP : Current()->resource_pool;
  return AllocWithRef(h, align, size);
}

void *z_thread_malloc(size_t size) {
  return z_thread_aligned_alloc(0, size);
}

}  // extern "C"
