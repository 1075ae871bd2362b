// Memory slabs. Freed blocks form a LIFO list through their first word; blocks never used yet
// come from the buffer in order, so neither K_MEM_SLAB_DEFINE nor k_mem_slab_init() walks the
// buffer.
#include <gale/kernel.h>

#include <ksched.h>

using namespace gale::kernel;

extern "C" {

int k_mem_slab_init(struct k_mem_slab *slab, void *buffer, size_t block_size, uint32_t num_blocks) {
  if (block_size == 0U ||
      ((block_size | reinterpret_cast<uintptr_t>(buffer)) & (sizeof(void *) - 1U)) != 0U) {
    return -EINVAL;
  }
  WaitQueueInit(&slab->wait_q);
  slab->buffer = static_cast<char *>(buffer);
  slab->free_list = nullptr;
  slab->fresh = 0;
  slab->info.num_blocks = num_blocks;
  slab->info.block_size = block_size;
  slab->info.num_used = 0;
  slab->info.max_used = 0;
  return 0;
}

int k_mem_slab_alloc(struct k_mem_slab *slab, void **mem, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait on a memory slab");
  IrqLock lock;
  char *block = slab->free_list;
  if (likely(block != nullptr)) {
    slab->free_list = *reinterpret_cast<char **>(block);
  } else if (slab->fresh < slab->info.num_blocks) {
    block = slab->buffer + static_cast<size_t>(slab->fresh) * slab->info.block_size;
    slab->fresh++;
  } else {
    *mem = nullptr;
    if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
      return -ENOMEM;
    }
    int rc = PendCurrent(&slab->wait_q, timeout, lock);
    if (rc == 0) {
      *mem = Current()->base.swap_data;  // handed over by k_mem_slab_free(), still counted used
    }
    return rc;
  }
  uint32_t used = ++slab->info.num_used;
  if (used > slab->info.max_used) {
    slab->info.max_used = used;
  }
  *mem = block;
  return 0;
}

void k_mem_slab_free(struct k_mem_slab *slab, void *mem) {
  __ASSERT(
      static_cast<char *>(mem) >= slab->buffer &&
          static_cast<char *>(mem) <
              slab->buffer + static_cast<size_t>(slab->info.num_blocks) * slab->info.block_size,
      "block %p is not from this slab", mem);
  IrqLock lock;
  // Threads wait only when every block is in use.
  if (unlikely(slab->free_list == nullptr) && WaitQueueHead(&slab->wait_q) != nullptr) {
    (void)WakeFirst(&slab->wait_q, 0, mem);
    Reschedule(lock);
    return;
  }
  *static_cast<char **>(mem) = slab->free_list;
  slab->free_list = static_cast<char *>(mem);
  slab->info.num_used--;
}

int k_mem_slab_runtime_stats_get(struct k_mem_slab *slab, struct sys_memory_stats *stats) {
  if (slab == nullptr || stats == nullptr) {
    return -EINVAL;
  }
  IrqLock lock;
  size_t block = slab->info.block_size;
  stats->allocated_bytes = slab->info.num_used * block;
  stats->free_bytes = (slab->info.num_blocks - slab->info.num_used) * block;
  stats->max_allocated_bytes = slab->info.max_used * block;
  return 0;
}

int k_mem_slab_runtime_stats_reset_max(struct k_mem_slab *slab) {
  if (slab == nullptr) {
    return -EINVAL;
  }
  IrqLock lock;
  slab->info.max_used = slab->info.num_used;
  return 0;
}

}  // extern "C"
