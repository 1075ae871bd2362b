// Stacks. A push finds waiters only when the stack is empty (a waiter means nothing was left to
// pop), so a push onto a non-empty stack skips the wait queue altogether.
#include <gale/kernel.h>

#include <kernel_internal.h>
#include <ksched.h>

using namespace gale::kernel;

extern "C" {

void k_stack_init(struct k_stack *stack, stack_data_t *buffer, uint32_t num_entries) {
  WaitQueueInit(&stack->wait_q);
  stack->base = buffer;
  stack->next = buffer;
  stack->top = buffer + num_entries;
  stack->flags = 0;
}

int32_t k_stack_alloc_init(struct k_stack *stack, uint32_t num_entries) {
  size_t bytes;
  if (__builtin_mul_overflow(static_cast<size_t>(num_entries), sizeof(stack_data_t), &bytes)) {
    return -ENOMEM;
  }
  auto *buffer = bytes != 0U ? static_cast<stack_data_t *>(z_thread_malloc(bytes)) : nullptr;
  if (buffer == nullptr) {
    return -ENOMEM;
  }
  k_stack_init(stack, buffer, num_entries);
  stack->flags = K_STACK_FLAG_ALLOC;
  return 0;
}

int k_stack_cleanup(struct k_stack *stack) {
  {
    IrqLock lock;
    if (WaitQueueHead(&stack->wait_q) != nullptr) {
      return -EAGAIN;
    }
  }
  if ((stack->flags & K_STACK_FLAG_ALLOC) != 0U) {
    k_free(stack->base);
    stack->base = nullptr;
    stack->next = nullptr;
    stack->top = nullptr;
    stack->flags &= static_cast<uint8_t>(~K_STACK_FLAG_ALLOC);
  }
  return 0;
}

int k_stack_push(struct k_stack *stack, stack_data_t data) {
  IrqLock lock;
  stack_data_t *next = stack->next;
  if (unlikely(next == stack->base) && WaitQueueHead(&stack->wait_q) != nullptr) {
    (void)WakeFirst(&stack->wait_q, 0, reinterpret_cast<void *>(data));
    Reschedule(lock);
    return 0;
  }
  if (unlikely(next == stack->top)) {
    return -ENOMEM;
  }
  *next = data;
  stack->next = next + 1;
  return 0;
}

int k_stack_pop(struct k_stack *stack, stack_data_t *data, k_timeout_t timeout) {
  __ASSERT(!arch_is_in_isr() || K_TIMEOUT_EQ(timeout, K_NO_WAIT),
           "an interrupt handler cannot wait on a stack");
  IrqLock lock;
  stack_data_t *next = stack->next;
  if (likely(next != stack->base)) {
    next--;
    *data = *next;
    stack->next = next;
    return 0;
  }
  if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
    return -EBUSY;
  }
  int rc = PendCurrent(&stack->wait_q, timeout, lock);
  if (rc == 0) {
    *data = reinterpret_cast<stack_data_t>(Current()->base.swap_data);
  }
  return rc;
}

}  // extern "C"
