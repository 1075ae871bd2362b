// native_sim threads: every Gale thread runs on its own host stack (mmap'd, with a no-access
// guard page below it) and switches with swapcontext(). Only one runs at a time, so the
// kernel's code is the same as on a single-core MCU.
//
// The Gale stack object only sizes the host stack: host code (libc, printf) needs far more
// stack than target code, so the host stack is several times larger. An overflow of the host
// stack hits the guard page; the SIGSEGV handler, on its own signal stack, reports it as a
// stack overflow of that thread.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <gale/arch.h>
#include <gale/fatal.h>
#include <gale/kernel.h>

#include <kernel_trace.h>
#include <ksched.h>

#include "posix_internal.h"

extern "C" void posix_irq_set_locked(bool locked);

namespace {

constexpr size_t kMinHostStack = 64 * 1024;
constexpr size_t kHostStackFactor = 8;

struct HostContext {
  ucontext_t context;
  char *mapping;        // guard page + stack
  size_t mapping_size;
  k_thread *thread;     // the thread this context was last set up for
  HostContext *next;    // every context ever made, for reuse and fault lookup
};

HostContext *contexts;
size_t page_size;

HostContext *ContextOf(const k_thread *thread) {
  for (HostContext *ctx = contexts; ctx != nullptr; ctx = ctx->next) {
    if (ctx->thread == thread) {
      return ctx;
    }
  }
  return nullptr;
}

char *GuardOf(const HostContext *ctx) {
  return ctx->mapping;
}

void Trampoline() {
  k_thread *thread = _kernel.current;
#ifdef CONFIG_ERRNO
  errno = 0;
#endif
  posix_irq_set_locked(false);
  gale::posix::DeliverPending();
  z_thread_entry(thread->entry, thread->p1, thread->p2, thread->p3);
}

void OnFault(int signo, siginfo_t *info, void *) {
  k_thread *thread = _kernel.current;
  HostContext *ctx = thread != nullptr ? ContextOf(thread) : nullptr;
  auto *address = static_cast<char *>(info->si_addr);
  bool overflow = signo == SIGSEGV && ctx != nullptr && address >= GuardOf(ctx) - page_size &&
                  address < GuardOf(ctx) + page_size;
  if (overflow) {
    printk("***** Stack overflow: thread %p ran past its stack (access at %p) *****\n",
           static_cast<void *>(thread), info->si_addr);
  } else {
    printk("***** %s at address %p *****\n", strsignal(signo), info->si_addr);
  }
  z_fatal_error(overflow ? K_ERR_STACK_CHK_FAIL : K_ERR_CPU_EXCEPTION, nullptr);
}

void InstallFaultHandler() {
  static char signal_stack[64 * 1024];
  stack_t ss{};
  ss.ss_sp = signal_stack;
  ss.ss_size = sizeof(signal_stack);
  sigaltstack(&ss, nullptr);
  struct sigaction action {};
  action.sa_sigaction = OnFault;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, nullptr);
  sigaction(SIGBUS, &action, nullptr);
  sigaction(SIGILL, &action, nullptr);
  sigaction(SIGFPE, &action, nullptr);
}

}  // namespace

extern "C" {

void arch_new_thread(struct k_thread *thread, struct z_thread_stack_element *stack,
                     char *stack_ptr, k_thread_entry_t entry, void *p1, void *p2, void *p3) {
  ARG_UNUSED(stack);
  ARG_UNUSED(stack_ptr);
  ARG_UNUSED(entry);
  ARG_UNUSED(p1);
  ARG_UNUSED(p2);
  ARG_UNUSED(p3);
  if (page_size == 0) {
    page_size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    InstallFaultHandler();
  }
  size_t want = thread->stack_info.size * kHostStackFactor;
  if (want < kMinHostStack) {
    want = kMinHostStack;
  }
  want = (want + page_size - 1) / page_size * page_size + page_size;
  // A thread object used again (a test recreating its worker) keeps its host stack.
  HostContext *ctx = ContextOf(thread);
  if (ctx != nullptr && ctx->mapping_size < want) {
    munmap(ctx->mapping, ctx->mapping_size);
    ctx->mapping = nullptr;
  }
  if (ctx == nullptr) {
    ctx = new HostContext{};
    ctx->thread = thread;
    ctx->next = contexts;
    contexts = ctx;
  }
  if (ctx->mapping == nullptr) {
    void *mapping = mmap(nullptr, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                         -1, 0);
    if (mapping == MAP_FAILED) {
      perror("native_sim: cannot map a thread stack");
      arch_system_exit(1);
    }
    mprotect(mapping, page_size, PROT_NONE);
    ctx->mapping = static_cast<char *>(mapping);
    ctx->mapping_size = want;
  }
  getcontext(&ctx->context);
  ctx->context.uc_stack.ss_sp = ctx->mapping + page_size;
  ctx->context.uc_stack.ss_size = ctx->mapping_size - page_size;
  ctx->context.uc_link = nullptr;
  sigemptyset(&ctx->context.uc_sigmask);
  makecontext(&ctx->context, Trampoline, 0);
  thread->arch.host = ctx;
  thread->arch.irq_key = 0;
}

int arch_swap(unsigned int key) {
  k_thread *old = _kernel.current;
  k_thread *next = _kernel.ready_cache;
  old->arch.irq_key = key;
#ifdef CONFIG_ERRNO
  // All Gale threads share the host thread's errno: keep a copy per Gale thread.
  old->errno_var = errno;
#endif
#ifdef CONFIG_TRACING
  gale_trace_hook_switch();  // before the current pointer moves, as the hook expects
#endif
  _kernel.current = next;
  auto *old_ctx = static_cast<HostContext *>(old->arch.host);
  auto *next_ctx = static_cast<HostContext *>(next->arch.host);
  swapcontext(&old_ctx->context, &next_ctx->context);
  // Switched back in: this thread's own interrupt state, then anything that came meanwhile.
  k_thread *self = _kernel.current;
#ifdef CONFIG_ERRNO
  errno = self->errno_var;
#endif
  posix_irq_set_locked(self->arch.irq_key != 0U);
  if (self->arch.irq_key == 0U) {
    gale::posix::DeliverPending();
  }
  return self->base.swap_retval;
}

FUNC_NORETURN void arch_switch_to_main_thread(struct k_thread *main_thread, char *stack_ptr,
                                              k_thread_entry_t entry) {
  ARG_UNUSED(stack_ptr);
  ARG_UNUSED(entry);
  auto *ctx = static_cast<HostContext *>(main_thread->arch.host);
  setcontext(&ctx->context);
  __builtin_unreachable();
}

}  // extern "C"
