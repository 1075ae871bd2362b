// k_poll() and poll signals. A polling thread that has to wait registers each event in its
// object's list of poll events, ordered by the poller's priority, and waits on a wait queue
// of its own (z_poller, on its stack). An object that becomes available takes the first
// event off its list and wakes that poller; the poller unregisters its other events when it
// runs again. Everything happens with interrupts locked, so registration and the check that
// nothing is ready yet are atomic.
#include <gale/kernel.h>

#include <kernel_poll.h>
#include <ksched.h>

using namespace gale::kernel;

// Queues (k_fifo, k_lifo) and message queues are polled when the image's kernel has them:
// their headers (included by kernel.h) define these guards.

namespace {

// Whether @p event's object is available now; if so, *@p state is the state to report.
bool ConditionMet(const k_poll_event *event, uint32_t *state) {
  switch (event->type) {
    case K_POLL_TYPE_SEM_AVAILABLE:
      *state = K_POLL_STATE_SEM_AVAILABLE;
      return event->sem->count > 0U;
    case K_POLL_TYPE_SIGNAL:
      *state = K_POLL_STATE_SIGNALED;
      return event->signal->signaled != 0U;
#ifdef GALE_KERNEL_QUEUE_H_
    case K_POLL_TYPE_DATA_AVAILABLE:
      *state = K_POLL_STATE_DATA_AVAILABLE;
      return k_queue_is_empty(event->queue) == 0;
#endif
#ifdef GALE_KERNEL_MSGQ_H_
    case K_POLL_TYPE_MSGQ_DATA_AVAILABLE:
      *state = K_POLL_STATE_MSGQ_DATA_AVAILABLE;
      return event->msgq->used_msgs > 0U;
#endif
#ifdef CONFIG_PIPES
    case K_POLL_TYPE_PIPE_DATA_AVAILABLE:
      *state = K_POLL_STATE_PIPE_DATA_AVAILABLE;
      return event->pipe->bytes_used > 0U || WaitQueueHead(&event->pipe->wait_q.writers) != nullptr;
#endif
    case K_POLL_TYPE_IGNORE:
      return false;
    default:
      __ASSERT(false, "k_poll(): event type %u is not supported", event->type);
      return false;
  }
}

// The list of poll events of @p event's object.
sys_dlist_t *EventList(k_poll_event *event) {
  switch (event->type) {
    case K_POLL_TYPE_SEM_AVAILABLE:
      return &event->sem->poll_events;
    case K_POLL_TYPE_SIGNAL:
      return &event->signal->poll_events;
#ifdef GALE_KERNEL_QUEUE_H_
    case K_POLL_TYPE_DATA_AVAILABLE:
      return &event->queue->poll_events;
#endif
#ifdef GALE_KERNEL_MSGQ_H_
    case K_POLL_TYPE_MSGQ_DATA_AVAILABLE:
      return &event->msgq->poll_events;
#endif
#ifdef CONFIG_PIPES
    case K_POLL_TYPE_PIPE_DATA_AVAILABLE:
      return &event->pipe->poll_events;
#endif
    default:
      return nullptr;
  }
}

inline int PollerPriority(const z_poller *poller) {
  return poller->thread->base.prio;
}

// Add @p event to its object's list behind the events of pollers of higher or equal priority,
// so that the most urgent poller is told first.
void Register(k_poll_event *event, z_poller *poller) {
  sys_dlist_t *list = EventList(event);
  event->poller = poller;
  int prio = PollerPriority(poller);
  sys_dnode_t *tail = sys_dlist_peek_tail(list);
  if (tail == nullptr || PollerPriority(CONTAINER_OF(tail, k_poll_event, _node)->poller) <= prio) {
    sys_dlist_append(list, &event->_node);
    return;
  }
  sys_dnode_t *node;
  SYS_DLIST_FOR_EACH_NODE(list, node) {
    if (PollerPriority(CONTAINER_OF(node, k_poll_event, _node)->poller) > prio) {
      sys_dlist_insert(node, &event->_node);
      return;
    }
  }
}

// @p event (already off its object's list) is ready with @p state. Returns whether it woke its
// poller: false when the poller was no longer waiting (woken by another event, or timed out).
bool Signal(k_poll_event *event, uint32_t state) {
  event->state |= state;
  z_poller *poller = event->poller;
  event->poller = nullptr;
  return WakeFirst(&poller->wait_q, state == K_POLL_STATE_CANCELLED ? -EINTR : 0, nullptr) !=
         nullptr;
}

}  // namespace

extern "C" {

void z_handle_obj_poll_events(sys_dlist_t *events, uint32_t state) {
  sys_dnode_t *node;
  while ((node = sys_dlist_get(events)) != nullptr) {
    if (Signal(CONTAINER_OF(node, k_poll_event, _node), state)) {
      return;
    }
  }
}

void k_poll_event_init(struct k_poll_event *event, uint32_t type, int mode, void *obj) {
  __ASSERT(mode == K_POLL_MODE_NOTIFY_ONLY, "k_poll(): only K_POLL_MODE_NOTIFY_ONLY exists");
  __ASSERT(type == K_POLL_TYPE_IGNORE || obj != nullptr, "k_poll(): event without an object");
  sys_dnode_init(&event->_node);
  event->poller = nullptr;
  event->type = type & ((1U << _POLL_NUM_TYPES) - 1U);
  event->state = K_POLL_STATE_NOT_READY;
  event->mode = static_cast<uint32_t>(mode) & 1U;
  event->unused = 0;
  event->obj = obj;
}

int k_poll(struct k_poll_event *events, int num_events, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait in k_poll()");
  __ASSERT(num_events >= 0, "k_poll(): negative number of events");
  z_poller poller;
  int rc;
  {
    IrqLock lock;
    bool ready = false;
    for (int i = 0; i < num_events; i++) {
      uint32_t state;
      if (ConditionMet(&events[i], &state)) {
        events[i].state |= state;
        ready = true;
      }
    }
    if (ready) {
      return 0;
    }
    if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
      return -EAGAIN;
    }
    WaitQueueInit(&poller.wait_q);
    poller.thread = Current();
    poller.is_polling = true;
    poller.mode = K_POLL_MODE_NOTIFY_ONLY;
    for (int i = 0; i < num_events; i++) {
      if (EventList(&events[i]) != nullptr) {
        Register(&events[i], &poller);
      }
    }
    rc = PendCurrent(&poller.wait_q, timeout, lock);
  }
  IrqLock lock;
  poller.is_polling = false;
  for (int i = 0; i < num_events; i++) {
    if (EventList(&events[i]) != nullptr && events[i].poller == &poller) {
      sys_dlist_remove(&events[i]._node);
      events[i].poller = nullptr;
    }
  }
  return rc;
}

void k_poll_signal_init(struct k_poll_signal *sig) {
  sys_dlist_init(&sig->poll_events);
  sig->signaled = 0;
  sig->result = 0;
}

void k_poll_signal_reset(struct k_poll_signal *sig) {
  sig->signaled = 0;
}

void k_poll_signal_check(struct k_poll_signal *sig, unsigned int *signaled, int *result) {
  IrqLock lock;
  *signaled = sig->signaled;
  *result = sig->result;
}

int k_poll_signal_raise(struct k_poll_signal *sig, int result) {
  IrqLock lock;
  sig->result = result;
  sig->signaled = 1;
  // The signal stays raised, so every poller may proceed: wake them all.
  bool woke = false;
  sys_dnode_t *node;
  while ((node = sys_dlist_get(&sig->poll_events)) != nullptr) {
    woke |= Signal(CONTAINER_OF(node, k_poll_event, _node), K_POLL_STATE_SIGNALED);
  }
  if (woke) {
    Reschedule(lock);
  }
  return 0;
}

}  // extern "C"
