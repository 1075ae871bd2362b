/*
 * native_sim per-thread state (part of the port contract, see gale/arch.h). Each Gale thread
 * runs on a host stack the port maps with a guard page; the thread's own stack object only
 * sizes it.
 */
#ifndef GALE_ARCH_POSIX_THREAD_H_
#define GALE_ARCH_POSIX_THREAD_H_

struct _thread_arch {
  void *host;            /* the port's host context (arch/posix/thread.cc) */
  unsigned int irq_key;  /* interrupt lock state at arch_swap() */
};

#define ARCH_STACK_PTR_ALIGN 16
#define ARCH_THREAD_STACK_RESERVED 0
#define ARCH_STACK_OBJ_ALIGN 16

#endif /* GALE_ARCH_POSIX_THREAD_H_ */
