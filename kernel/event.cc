// Events. A waiter describes what it waits for in a record on its own stack, reachable from
// its thread's swap_data while it is pended; a change of the set walks the wait queue once and
// wakes every waiter whose condition holds, handing each the bits that matched.
#include <gale/kernel.h>

#include <ksched.h>

using namespace gale::kernel;

namespace {

struct EventWaiter {
  uint32_t desired;
  bool all;
  // Set by the waker: the desired bits that were set.
  uint32_t matched;
};

inline bool ConditionMet(uint32_t desired, bool all, uint32_t match) {
  return all ? match == desired : match != 0U;
}

uint32_t Change(k_event *event, uint32_t events, uint32_t mask) {
  IrqLock lock;
  uint32_t previous = event->events & mask;
  uint32_t now = (event->events & ~mask) | (events & mask);
  event->events = now;
  bool woke = false;
  sys_dlist_t *list = &event->wait_q.waitq;
  // The list is circular: walk it directly, taking the successor before a waiter leaves.
  for (sys_dnode_t *node = list->head, *next; node != list; node = next) {
    next = node->next;
    k_thread *thread = CONTAINER_OF(node, k_thread, base.qnode_dlist);
    auto *waiter = static_cast<EventWaiter *>(thread->base.swap_data);
    uint32_t match = waiter->desired & now;
    if (ConditionMet(waiter->desired, waiter->all, match)) {
      waiter->matched = match;
      UnpendThread(thread);
      (void)AbortTimeout(&thread->base.timeout);
      thread->base.swap_retval = 0;
      ReadyThread(thread);
      woke = true;
    }
  }
  if (woke) {
    Reschedule(lock);
  }
  return previous;
}

uint32_t Wait(k_event *event, uint32_t events, bool reset, k_timeout_t timeout, bool all) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait for events");
  IrqLock lock;
  if (reset) {
    event->events = 0;
  }
  uint32_t match = event->events & events;
  if (ConditionMet(events, all, match)) {
    return match;
  }
  if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
    return 0;
  }
  EventWaiter waiter{events, all, 0};
  Current()->base.swap_data = &waiter;
  return PendCurrent(&event->wait_q, timeout, lock) == 0 ? waiter.matched : 0U;
}

}  // namespace

extern "C" {

void k_event_init(struct k_event *event) {
  WaitQueueInit(&event->wait_q);
  event->events = 0;
}

uint32_t k_event_post(struct k_event *event, uint32_t events) {
  return Change(event, events, events);
}

uint32_t k_event_set(struct k_event *event, uint32_t events) {
  return Change(event, events, UINT32_MAX);
}

uint32_t k_event_set_masked(struct k_event *event, uint32_t events, uint32_t events_mask) {
  return Change(event, events, events_mask);
}

uint32_t k_event_clear(struct k_event *event, uint32_t events) {
  return Change(event, 0, events);
}

uint32_t k_event_wait(struct k_event *event, uint32_t events, bool reset, k_timeout_t timeout) {
  return Wait(event, events, reset, timeout, false);
}

uint32_t k_event_wait_all(struct k_event *event, uint32_t events, bool reset, k_timeout_t timeout) {
  return Wait(event, events, reset, timeout, true);
}

}  // extern "C"
