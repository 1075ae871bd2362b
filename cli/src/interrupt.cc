#include "interrupt.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace gale::cli {
namespace {

std::atomic<int> g_signal{0};

struct Registry {
  std::mutex mutex;
  std::set<grpc::ClientContext *> contexts;
  std::map<int, std::function<void()>> cleanups;
  std::map<int, std::function<void()>> notifies;
  int next_id = 0;
};

Registry &GetRegistry() {
  static Registry *registry = new Registry;  // never destroyed: the signal thread outlives main
  return *registry;
}

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

void WaitForSignals() {
  const sigset_t set = HandledSignals();
  for (;;) {
    int signo = 0;
    if (sigwait(&set, &signo) != 0) {
      continue;
    }
    Registry &registry = GetRegistry();
    std::unique_lock lock(registry.mutex);
    if (g_signal.load() != 0 || registry.contexts.empty()) {
      // Nothing to cancel, or a second interrupt: leave now.
      for (auto &[id, cleanup] : registry.cleanups) {
        cleanup();
      }
      std::fflush(stdout);
      std::fflush(stderr);
      _exit(128 + signo);
    }
    g_signal.store(signo);
    for (grpc::ClientContext *context : registry.contexts) {
      context->TryCancel();
    }
    for (auto &[id, notify] : registry.notifies) {
      notify();
    }
  }
}

}  // namespace

void InstallInterruptHandling() {
  const sigset_t set = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(WaitForSignals).detach();
}

int InterruptSignal() {
  return g_signal.load();
}

CancelOnInterrupt::CancelOnInterrupt(grpc::ClientContext *context) : context_(context) {
  Registry &registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  registry.contexts.insert(context_);
  if (g_signal.load() != 0) {
    context_->TryCancel();
  }
}

CancelOnInterrupt::~CancelOnInterrupt() {
  Registry &registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  registry.contexts.erase(context_);
}

AtInterrupt::AtInterrupt(std::function<void()> cleanup) {
  Registry &registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  id_ = registry.next_id++;
  registry.cleanups.emplace(id_, std::move(cleanup));
}

AtInterrupt::~AtInterrupt() {
  std::function<void()> cleanup;
  {
    Registry &registry = GetRegistry();
    std::lock_guard lock(registry.mutex);
    auto it = registry.cleanups.find(id_);
    cleanup = std::move(it->second);
    registry.cleanups.erase(it);
  }
  cleanup();
}

OnInterrupt::OnInterrupt(std::function<void()> notify) {
  Registry &registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  id_ = registry.next_id++;
  registry.notifies.emplace(id_, std::move(notify));
}

OnInterrupt::~OnInterrupt() {
  Registry &registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  registry.notifies.erase(id_);
}

}  // namespace gale::cli
