// Threads: creation, start, exit and abort, join, names, custom data, stack information and
// the statically defined threads (K_THREAD_DEFINE) started at boot.
#include <string.h>

#include <gale/arch.h>
#include <gale/kernel.h>
#include <gale/sys/iterable_sections.h>

#include <kernel_internal.h>
#include <kernel_trace.h>
#include <ksched.h>

namespace gale::kernel {
namespace {

constexpr uint8_t kStackFill = 0xaa;
constexpr uint32_t kStackSentinel = 0xf0f0f0f0U;

void DelayedStart(_timeout *timeout) {
  k_thread *thread = CONTAINER_OF(timeout, k_thread, base.timeout);
  thread->base.thread_state &= ~_THREAD_PRESTART;
  ReadyThread(thread);
}

void ListAdd(k_thread *thread) {
  thread->next_thread = _kernel.threads;
  _kernel.threads = thread;
}

void ListRemove(k_thread *thread) {
  for (k_thread **link = &_kernel.threads; *link != nullptr; link = &(*link)->next_thread) {
    if (*link == thread) {
      *link = thread->next_thread;
      return;
    }
  }
}

}  // namespace

// Set up @p thread without starting it (the state is PRESTART). k_thread_create() does the work:
// the public call is the one to keep fast.
void PrepareThread(k_thread *thread, k_thread_stack_t *stack, size_t stack_size,
                   k_thread_entry_t entry, void *p1, void *p2, void *p3, int prio,
                   uint32_t options) {
  (void)k_thread_create(thread, stack, stack_size, entry, p1, p2, p3, prio, options, K_FOREVER);
}

void StartThread(k_thread *thread, k_timeout_t delay) {
  if (K_TIMEOUT_EQ(delay, K_NO_WAIT)) {
    thread->base.thread_state &= ~_THREAD_PRESTART;
    ReadyThread(thread);
  } else if (!K_TIMEOUT_EQ(delay, K_FOREVER)) {
    AddTimeout(&thread->base.timeout, DelayedStart, delay);
  }
}

bool StackSentinelIntact(const k_thread *thread) {
#ifdef CONFIG_STACK_SENTINEL
  return *reinterpret_cast<const uint32_t *>(thread->stack_info.start) == kStackSentinel;
#else
  (void)thread;
  return true;
#endif
}

}  // namespace gale::kernel

using namespace gale::kernel;

// Start the K_THREAD_DEFINE threads. The scheduler is locked meanwhile so that they start in
// priority order once the caller unlocks, not in link order. (At global scope: the linker's
// section symbols have C linkage.)
static void StartStaticThreads() {
  STRUCT_SECTION_FOREACH(_static_thread_data, data) {
    PrepareThread(data->init_thread, data->init_stack, data->init_stack_size, data->init_entry,
                  data->init_p1, data->init_p2, data->init_p3, data->init_prio,
                  data->init_options);
#ifdef CONFIG_THREAD_NAME
    k_thread_name_set(data->init_thread, data->init_name);
#endif
    if (data->init_delay_ms != SYS_FOREVER_MS) {
      IrqLock lock;
      StartThread(data->init_thread, data->init_delay_ms == 0 ? K_NO_WAIT
                                                              : K_MSEC(data->init_delay_ms));
    }
  }
}

void gale::kernel::InitStaticThreads() {
  k_sched_lock();
  StartStaticThreads();
  k_sched_unlock();
}


extern "C" {

FUNC_NORETURN void z_thread_entry(k_thread_entry_t entry, void *p1, void *p2, void *p3) {
  entry(p1, p2, p3);
  k_thread_abort(_kernel.current);
  __builtin_unreachable();
}

k_tid_t k_thread_create(struct k_thread *new_thread, k_thread_stack_t *stack, size_t stack_size,
                        k_thread_entry_t entry, void *p1, void *p2, void *p3, int prio,
                        uint32_t options, k_timeout_t delay) {
  __ASSERT(!arch_is_in_isr(), "threads cannot be created from an interrupt handler");
  __ASSERT(prio >= K_HIGHEST_THREAD_PRIO && prio <= K_IDLE_PRIO, "priority %d out of range", prio);
  k_thread *thread = new_thread;
  char *buffer = reinterpret_cast<char *>(stack) + K_THREAD_STACK_RESERVED;
  size_t size = ROUND_DOWN(stack_size, ARCH_STACK_PTR_ALIGN);
  thread->stack_info.start = reinterpret_cast<uintptr_t>(buffer);
  thread->stack_info.size = size;
#if defined(CONFIG_INIT_STACKS) && !defined(CONFIG_THREAD_STACK_ON_HOST)
  memset(buffer, kStackFill, size);
#endif
#ifdef CONFIG_STACK_SENTINEL
  *reinterpret_cast<uint32_t *>(buffer) = kStackSentinel;
#endif
  sys_dnode_init(&thread->base.qnode_dlist);
  TimeoutInit(&thread->base.timeout);
  WaitQueueInit(&thread->join_queue);
  thread->base.pended_on = nullptr;
  thread->base.user_options = static_cast<uint8_t>(options);
  thread->base.thread_state = _THREAD_PRESTART;
  thread->base.prio = static_cast<int8_t>(prio);
  thread->base.sched_locked = 0;
  thread->base.swap_retval = 0;
  thread->base.swap_data = nullptr;
#ifdef CONFIG_SCHED_DEADLINE
  thread->base.prio_deadline = 0;
#endif
  thread->entry = entry;
  thread->p1 = p1;
  thread->p2 = p2;
  thread->p3 = p3;
#ifdef CONFIG_THREAD_CUSTOM_DATA
  thread->custom_data = nullptr;
#endif
#ifdef CONFIG_THREAD_NAME
  thread->name[0] = '\0';
#endif
#if defined(CONFIG_ERRNO) && !defined(CONFIG_THREAD_LOCAL_STORAGE)
  thread->errno_var = 0;
#endif
  // A thread allocates from its creator's pool (k_thread_heap_assign()) until given its own.
  // The creator is a thread (never an interrupt handler); at boot, the start-up context (the
  // idle thread's object, before it is set up) has no pool.
  thread->resource_pool = _kernel.current->resource_pool;
  arch_new_thread(thread, stack, buffer + size, entry, p1, p2, p3);
  IrqLock lock;
  ListAdd(thread);
  SYS_TRACE_THREAD_CREATE(thread);
  if (!K_TIMEOUT_EQ(delay, K_FOREVER)) {
    StartThread(thread, delay);
    Reschedule(lock);
  }
  return thread;
}

void k_thread_start(k_tid_t thread) {
  IrqLock lock;
  if ((thread->base.thread_state & _THREAD_PRESTART) == 0U) {
    return;
  }
  if (TimeoutPending(&thread->base.timeout)) {  // a delayed start
    AbortTimeout(&thread->base.timeout);
  }
  thread->base.thread_state &= ~_THREAD_PRESTART;
  ReadyThread(thread);
  Reschedule(lock);
}

void k_thread_abort(k_tid_t thread) {
  IrqLock lock;
  if ((thread->base.thread_state & _THREAD_DEAD) != 0U) {
    return;
  }
  __ASSERT((thread->base.user_options & K_ESSENTIAL) == 0U, "essential thread %p aborted",
           (void *)thread);
  if (thread->base.pended_on != nullptr) {
    UnpendThread(thread);
  }
  if (TimeoutPending(&thread->base.timeout)) {
    AbortTimeout(&thread->base.timeout);
  }
  thread->base.thread_state |= _THREAD_DEAD;
  thread->base.thread_state &= ~(_THREAD_SLEEPING | _THREAD_SUSPENDED | _THREAD_PRESTART);
  ListRemove(thread);
  SYS_TRACE_THREAD_EXIT(thread);
  // Dead before its joiners wake, so that no choice of the next thread picks it.
  UnreadyThread(thread);
  if (!sys_dlist_is_empty(&thread->join_queue.waitq)) {
    WakeAll(&thread->join_queue, 0);
  }
  if (thread == _kernel.current && !arch_is_in_isr()) {
    (void)arch_swap(lock.Release());
    __ASSERT(false, "aborted thread %p switched back in", (void *)thread);
  }
  Reschedule(lock);
}

int k_thread_join(struct k_thread *thread, k_timeout_t timeout) {
  IrqLock lock;
  if ((thread->base.thread_state & _THREAD_DEAD) != 0U) {
    return 0;
  }
  if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
    return -EBUSY;
  }
  k_thread *current = _kernel.current;
  if (thread == current || (current->base.pended_on == &thread->join_queue) ||
      (thread->base.pended_on == &current->join_queue)) {
    return -EDEADLK;
  }
  return PendCurrent(&thread->join_queue, timeout, lock);
}

void k_thread_custom_data_set(void *value) {
#ifdef CONFIG_THREAD_CUSTOM_DATA
  _kernel.current->custom_data = value;
#else
  ARG_UNUSED(value);
#endif
}

void *k_thread_custom_data_get(void) {
#ifdef CONFIG_THREAD_CUSTOM_DATA
  return _kernel.current->custom_data;
#else
  return nullptr;
#endif
}

int k_thread_name_set(k_tid_t thread, const char *str) {
#ifdef CONFIG_THREAD_NAME
  if (thread == nullptr) {
    thread = _kernel.current;
  }
  strncpy(thread->name, str, CONFIG_THREAD_MAX_NAME_LEN - 1);
  thread->name[CONFIG_THREAD_MAX_NAME_LEN - 1] = '\0';
  SYS_TRACE_THREAD_NAME_SET(thread);
  return 0;
#else
  ARG_UNUSED(thread);
  ARG_UNUSED(str);
  return -ENOSYS;
#endif
}

const char *k_thread_name_get(k_tid_t thread) {
#ifdef CONFIG_THREAD_NAME
  return thread->name;
#else
  ARG_UNUSED(thread);
  return nullptr;
#endif
}

int k_thread_name_copy(k_tid_t thread, char *buf, size_t size) {
#ifdef CONFIG_THREAD_NAME
  size_t len = strlen(thread->name);
  if (len + 1 > size) {
    return -ENOSPC;
  }
  memcpy(buf, thread->name, len + 1);
  return 0;
#else
  ARG_UNUSED(thread);
  ARG_UNUSED(buf);
  ARG_UNUSED(size);
  return -ENOSYS;
#endif
}

const char *k_thread_state_str(k_tid_t thread, char *buf, size_t buf_size) {
  static const struct {
    uint8_t bit;
    const char *name;
  } kStates[] = {
      {_THREAD_DUMMY, "dummy"},         {_THREAD_PENDING, "pending"},
      {_THREAD_PRESTART, "prestart"},   {_THREAD_DEAD, "dead"},
      {_THREAD_SUSPENDED, "suspended"}, {_THREAD_SLEEPING, "sleeping"},
      {_THREAD_QUEUED, "queued"},
  };
  if (buf == nullptr || buf_size == 0) {
    return "";
  }
  buf[0] = '\0';
  size_t len = 0;
  uint8_t state = thread->base.thread_state;
  if (state == 0U) {
    state = 0;
    strncpy(buf, "ready", buf_size - 1);
    buf[buf_size - 1] = '\0';
    return buf;
  }
  for (const auto &entry : kStates) {
    if ((state & entry.bit) == 0U) {
      continue;
    }
    size_t name_len = strlen(entry.name);
    size_t sep = len > 0 ? 1 : 0;
    if (len + sep + name_len + 1 > buf_size) {
      break;
    }
    if (sep != 0U) {
      buf[len++] = '+';
    }
    memcpy(buf + len, entry.name, name_len + 1);
    len += name_len;
  }
  return buf;
}

void k_thread_foreach(k_thread_user_cb_t user_cb, void *user_data) {
  IrqLock lock;
  for (k_thread *thread = _kernel.threads; thread != nullptr; thread = thread->next_thread) {
    user_cb(thread, user_data);
  }
}

void k_thread_foreach_unlocked(k_thread_user_cb_t user_cb, void *user_data) {
  unsigned int key = arch_irq_lock();
  for (k_thread *thread = _kernel.threads; thread != nullptr;) {
    k_thread *next = thread->next_thread;
    arch_irq_unlock(key);
    user_cb(thread, user_data);
    key = arch_irq_lock();
    thread = next;
  }
  arch_irq_unlock(key);
}

int k_thread_stack_space_get(const struct k_thread *thread, size_t *unused_ptr) {
#if defined(CONFIG_INIT_STACKS) && !defined(CONFIG_THREAD_STACK_ON_HOST)
  const auto *start = reinterpret_cast<const uint8_t *>(thread->stack_info.start);
  size_t unused = 0;
#ifdef CONFIG_STACK_SENTINEL
  unused = sizeof(uint32_t);  // the sentinel word is never used
#endif
  while (unused < thread->stack_info.size && start[unused] == kStackFill) {
    unused++;
  }
  *unused_ptr = unused;
  return 0;
#else
  ARG_UNUSED(thread);
  ARG_UNUSED(unused_ptr);
  return -ENOTSUP;
#endif
}

}  // extern "C"
