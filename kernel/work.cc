// Work queues. Each queue is a thread that takes items off its pending list one at a time.
// All state (item flags, queue flags, lists) changes with interrupts locked, so submission
// works from any context. A flush queues an internal item right behind the flushed one (or at
// the head, when the flushed one is running): when that item has run, the flushed one is done.
// A synchronous cancel of a running item waits in a list of cancellers that the queue's
// thread walks when the item's handler returns.
#include <gale/kernel.h>

#include <kernel_trace.h>
#include <ksched.h>

using namespace gale::kernel;

namespace {

// Threads waiting in k_work_cancel_sync() and k_work_cancel_delayable_sync().
sys_dlist_t cancellers = SYS_DLIST_STATIC_INIT(&cancellers);

inline uint32_t Busy(const k_work *work) {
  return work->flags & K_WORK_MASK;
}

void NotifyQueue(k_work_q *queue) {
  (void)WakeFirst(&queue->notifyq, 0, nullptr);
}

// Append @p work to @p queue. Returns 1, or a negative errno of k_work_submit_to_queue().
int QueueAppend(k_work_q *queue, k_work *work) {
  if (queue == nullptr) {
    return -EINVAL;
  }
  if ((queue->flags & K_WORK_QUEUE_STARTED) == 0U) {
    return -ENODEV;
  }
  // While draining, only the queue's own items may add work (chained submissions).
  bool draining = (queue->flags & K_WORK_QUEUE_DRAIN) != 0U;
  bool chained = Current() == &queue->thread && !arch_is_in_isr();
  if ((draining && !chained) || (!draining && (queue->flags & K_WORK_QUEUE_PLUGGED) != 0U)) {
    return -EBUSY;
  }
  sys_dlist_append(&queue->pending, &work->node);
  NotifyQueue(queue);
  return 1;
}

// k_work_submit_to_queue() with interrupts locked; *@p queuep is the queue it went to.
int SubmitLocked(k_work *work, k_work_q **queuep) {
  if ((work->flags & K_WORK_CANCELING) != 0U) {
    return -EBUSY;
  }
  if ((work->flags & K_WORK_QUEUED) != 0U) {
    return 0;
  }
  int ret = 1;
  k_work_q *queue = *queuep != nullptr ? *queuep : work->queue;
  if ((work->flags & K_WORK_RUNNING) != 0U) {
    // Back on the queue running it, so that it never runs on two queues at once.
    queue = work->queue;
    ret = 2;
  }
  int rc = QueueAppend(queue, work);
  if (rc < 0) {
    return rc;
  }
  work->flags |= K_WORK_QUEUED;
  work->queue = queue;
  *queuep = queue;
  return ret;
}

// Take @p work off its queue if it is queued; mark a running one as cancelling. Returns the
// busy state afterwards.
int CancelLocked(k_work *work) {
  if ((work->flags & K_WORK_QUEUED) != 0U) {
    sys_dlist_remove(&work->node);
    work->flags &= ~K_WORK_QUEUED;
  }
  if ((work->flags & K_WORK_RUNNING) != 0U) {
    work->flags |= K_WORK_CANCELING;
  }
  return static_cast<int>(Busy(work));
}

// Wait, unlocking @p lock, until a cancelled item's handler has returned.
void WaitCancelled(k_work *work, k_work_sync *sync, IrqLock &lock) {
  z_work_canceller *canceller = &sync->canceller;
  canceller->work = work;
  WaitQueueInit(&canceller->wait_q);
  sys_dlist_append(&cancellers, &canceller->node);
  (void)PendCurrent(&canceller->wait_q, K_FOREVER, lock);
}

// The handler of a cancelled item returned: its cancellers go on.
void FinishCancel(k_work *work) {
  work->flags &= ~K_WORK_CANCELING;
  sys_dnode_t *node;
  sys_dnode_t *next;
  SYS_DLIST_FOR_EACH_NODE_SAFE(&cancellers, node, next) {
    z_work_canceller *canceller = CONTAINER_OF(node, z_work_canceller, node);
    if (canceller->work == work) {
      sys_dlist_remove(node);
      (void)WakeFirst(&canceller->wait_q, 0, nullptr);
    }
  }
}

void FlushHandler(k_work *) {}

// Queue a flusher behind @p work (queued or running) and wait, unlocking @p lock, until it
// has run.
void WaitFlushed(k_work *work, k_work_sync *sync, IrqLock &lock) {
  z_work_flusher *flusher = &sync->flusher;
  k_work_init(&flusher->work, FlushHandler);
  WaitQueueInit(&flusher->wait_q);
  flusher->work.flags = K_WORK_QUEUED | K_WORK_FLUSHING;
  k_work_q *queue = work->queue;
  flusher->work.queue = queue;
  if ((work->flags & K_WORK_QUEUED) != 0U) {
    // Right behind it: sys_dlist_insert() puts a node before its successor.
    sys_dnode_t *after = sys_dlist_peek_next(&queue->pending, &work->node);
    if (after != nullptr) {
      sys_dlist_insert(after, &flusher->work.node);
    } else {
      sys_dlist_append(&queue->pending, &flusher->work.node);
    }
  } else {
    // Running: next in line.
    sys_dlist_prepend(&queue->pending, &flusher->work.node);
  }
  NotifyQueue(queue);
  (void)PendCurrent(&flusher->wait_q, K_FOREVER, lock);
}

bool Flush(k_work *work, k_work_sync *sync, IrqLock &lock) {
  if ((work->flags & (K_WORK_QUEUED | K_WORK_RUNNING)) == 0U) {
    return false;
  }
  WaitFlushed(work, sync, lock);
  return true;
}

void WorkQueueMain(void *p1, void *, void *) {
  auto *queue = static_cast<k_work_q *>(p1);
  for (;;) {
    k_work *work;
    k_work_handler_t handler;
    {
      IrqLock lock;
      sys_dnode_t *node = sys_dlist_get(&queue->pending);
      if (node == nullptr) {
        if ((queue->flags & K_WORK_QUEUE_DRAIN) != 0U) {
          queue->flags &= ~K_WORK_QUEUE_DRAIN;
          (void)WakeAll(&queue->drainq, 1);
        }
        (void)PendCurrent(&queue->notifyq, K_FOREVER, lock);
        continue;
      }
      work = CONTAINER_OF(node, k_work, node);
      work->flags = (work->flags & ~K_WORK_QUEUED) | K_WORK_RUNNING;
      queue->flags |= K_WORK_QUEUE_BUSY;
      handler = work->handler;
    }
    SYS_TRACE_OBJECT(GALE_TRACE_WORK_RUN, work);
    handler(work);
    bool yield;
    {
      IrqLock lock;
      work->flags &= ~K_WORK_RUNNING;
      if ((work->flags & K_WORK_FLUSHING) != 0U) {
        // A flusher lives in its waiter's k_work_sync: this is the last use of it.
        (void)WakeFirst(&CONTAINER_OF(work, z_work_flusher, work)->wait_q, 0, nullptr);
      } else if ((work->flags & K_WORK_CANCELING) != 0U) {
        FinishCancel(work);
      }
      queue->flags &= ~K_WORK_QUEUE_BUSY;
      yield = (queue->flags & K_WORK_QUEUE_NO_YIELD) == 0U;
      Reschedule(lock);
    }
    if (yield) {
      k_yield();
    }
  }
}

void DelayExpired(_timeout *timeout) {
  k_work_delayable *dwork = CONTAINER_OF(timeout, k_work_delayable, timeout);
  if ((dwork->work.flags & K_WORK_DELAYED) == 0U) {
    return;
  }
  dwork->work.flags &= ~K_WORK_DELAYED;
  k_work_q *queue = dwork->queue;
  (void)SubmitLocked(&dwork->work, &queue);
}

// Stop a delay in progress.
void Unschedule(k_work_delayable *dwork) {
  if ((dwork->work.flags & K_WORK_DELAYED) != 0U) {
    (void)AbortTimeout(&dwork->timeout);
    dwork->work.flags &= ~K_WORK_DELAYED;
  }
}

int ScheduleLocked(k_work_q *queue, k_work_delayable *dwork, k_timeout_t delay) {
  if (K_TIMEOUT_EQ(delay, K_NO_WAIT)) {
    return SubmitLocked(&dwork->work, &queue);
  }
  dwork->work.flags |= K_WORK_DELAYED;
  dwork->queue = queue;
  AddTimeout(&dwork->timeout, DelayExpired, delay);
  return 1;
}

}  // namespace

extern "C" {

void k_work_init(struct k_work *work, k_work_handler_t handler) {
  sys_dnode_init(&work->node);
  work->handler = handler;
  work->queue = nullptr;
  work->flags = 0;
}

int k_work_busy_get(const struct k_work *work) {
  IrqLock lock;
  return static_cast<int>(Busy(work));
}

int k_work_submit_to_queue(struct k_work_q *queue, struct k_work *work) {
  SYS_TRACE_OBJECT(GALE_TRACE_WORK_SUBMIT, work);
  IrqLock lock;
  int ret = SubmitLocked(work, &queue);
  if (ret > 0) {
    Reschedule(lock);
  }
  return ret;
}

int k_work_submit(struct k_work *work) {
  return k_work_submit_to_queue(&k_sys_work_q, work);
}

bool k_work_flush(struct k_work *work, struct k_work_sync *sync) {
  __ASSERT(!arch_is_in_isr(), "k_work_flush() from an interrupt handler");
  IrqLock lock;
  return Flush(work, sync, lock);
}

int k_work_cancel(struct k_work *work) {
  IrqLock lock;
  return CancelLocked(work);
}

bool k_work_cancel_sync(struct k_work *work, struct k_work_sync *sync) {
  __ASSERT(!arch_is_in_isr(), "k_work_cancel_sync() from an interrupt handler");
  IrqLock lock;
  if (Busy(work) == 0U) {
    return false;
  }
  if (CancelLocked(work) != 0) {
    WaitCancelled(work, sync, lock);
  }
  return true;
}

void k_work_queue_init(struct k_work_q *queue) {
  sys_dlist_init(&queue->pending);
  WaitQueueInit(&queue->notifyq);
  WaitQueueInit(&queue->drainq);
  queue->flags = 0;
}

void k_work_queue_start(struct k_work_q *queue, k_thread_stack_t *stack, size_t stack_size,
                        int prio, const struct k_work_queue_config *cfg) {
  __ASSERT((queue->flags & K_WORK_QUEUE_STARTED) == 0U, "work queue started twice");
  k_work_queue_init(queue);
  uint32_t flags = K_WORK_QUEUE_STARTED;
  if (cfg != nullptr && cfg->no_yield) {
    flags |= K_WORK_QUEUE_NO_YIELD;
  }
  queue->flags = flags;
  (void)k_thread_create(&queue->thread, stack, stack_size, WorkQueueMain, queue, nullptr, nullptr,
                        prio, cfg != nullptr && cfg->essential ? K_ESSENTIAL : 0, K_FOREVER);
  if (cfg != nullptr && cfg->name != nullptr) {
    (void)k_thread_name_set(&queue->thread, cfg->name);
  }
  k_thread_start(&queue->thread);
}

int k_work_queue_drain(struct k_work_q *queue, bool plug) {
  __ASSERT(!arch_is_in_isr(), "k_work_queue_drain() from an interrupt handler");
  IrqLock lock;
  // Plugging always waits for the queue's thread to see the plug.
  if (!plug && (queue->flags & (K_WORK_QUEUE_BUSY | K_WORK_QUEUE_DRAIN)) == 0U &&
      sys_dlist_is_empty(&queue->pending)) {
    return 0;
  }
  queue->flags |= K_WORK_QUEUE_DRAIN;
  if (plug) {
    queue->flags |= K_WORK_QUEUE_PLUGGED;
  }
  NotifyQueue(queue);
  // The queue's thread wakes its drainers with 1 once nothing is left.
  return PendCurrent(&queue->drainq, K_FOREVER, lock);
}

int k_work_queue_unplug(struct k_work_q *queue) {
  IrqLock lock;
  if ((queue->flags & K_WORK_QUEUE_PLUGGED) == 0U) {
    return -EALREADY;
  }
  queue->flags &= ~K_WORK_QUEUE_PLUGGED;
  return 0;
}

void k_work_init_delayable(struct k_work_delayable *dwork, k_work_handler_t handler) {
  k_work_init(&dwork->work, handler);
  dwork->work.flags = K_WORK_DELAYABLE;
  TimeoutInit(&dwork->timeout);
  dwork->queue = nullptr;
}

int k_work_delayable_busy_get(const struct k_work_delayable *dwork) {
  IrqLock lock;
  return static_cast<int>(Busy(&dwork->work));
}

k_ticks_t k_work_delayable_expires_get(const struct k_work_delayable *dwork) {
  IrqLock lock;
  return TimeoutPending(&dwork->timeout) ? TimeoutExpires(&dwork->timeout) : UptimeTicksLocked();
}

k_ticks_t k_work_delayable_remaining_get(const struct k_work_delayable *dwork) {
  IrqLock lock;
  return TimeoutRemaining(&dwork->timeout);
}

int k_work_schedule_for_queue(struct k_work_q *queue, struct k_work_delayable *dwork,
                              k_timeout_t delay) {
  IrqLock lock;
  // Only an idle (or merely running) item is scheduled.
  if ((Busy(&dwork->work) & ~static_cast<uint32_t>(K_WORK_RUNNING)) != 0U) {
    return 0;
  }
  int ret = ScheduleLocked(queue, dwork, delay);
  if (ret > 0) {
    Reschedule(lock);
  }
  return ret;
}

int k_work_schedule(struct k_work_delayable *dwork, k_timeout_t delay) {
  return k_work_schedule_for_queue(&k_sys_work_q, dwork, delay);
}

int k_work_reschedule_for_queue(struct k_work_q *queue, struct k_work_delayable *dwork,
                                k_timeout_t delay) {
  IrqLock lock;
  Unschedule(dwork);
  int ret = ScheduleLocked(queue, dwork, delay);
  if (ret > 0) {
    Reschedule(lock);
  }
  return ret;
}

int k_work_reschedule(struct k_work_delayable *dwork, k_timeout_t delay) {
  return k_work_reschedule_for_queue(&k_sys_work_q, dwork, delay);
}

bool k_work_flush_delayable(struct k_work_delayable *dwork, struct k_work_sync *sync) {
  __ASSERT(!arch_is_in_isr(), "k_work_flush_delayable() from an interrupt handler");
  IrqLock lock;
  if ((dwork->work.flags & K_WORK_DELAYED) != 0U) {
    Unschedule(dwork);
    k_work_q *queue = dwork->queue;
    (void)SubmitLocked(&dwork->work, &queue);
  }
  return Flush(&dwork->work, sync, lock);
}

int k_work_cancel_delayable(struct k_work_delayable *dwork) {
  IrqLock lock;
  Unschedule(dwork);
  return CancelLocked(&dwork->work);
}

bool k_work_cancel_delayable_sync(struct k_work_delayable *dwork, struct k_work_sync *sync) {
  __ASSERT(!arch_is_in_isr(), "k_work_cancel_delayable_sync() from an interrupt handler");
  IrqLock lock;
  if (Busy(&dwork->work) == 0U) {
    return false;
  }
  Unschedule(dwork);
  if (CancelLocked(&dwork->work) != 0) {
    WaitCancelled(&dwork->work, sync, lock);
  }
  return true;
}

}  // extern "C"
