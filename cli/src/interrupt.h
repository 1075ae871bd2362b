// Ctrl-C, SIGINT and SIGTERM: a call in flight is cancelled (the daemon then cancels its job)
// and the command ends with 128 + the signal's number; with no call in flight gale exits at
// once with that code.
//
// InstallInterruptHandling() must run first in main(), before gRPC starts threads: it blocks
// the signals in every thread and waits for them on a thread of its own.
#pragma once

#include <functional>

#include <grpcpp/client_context.h>

namespace gale::cli {

void InstallInterruptHandling();

/// The signal received (SIGINT, SIGTERM, SIGHUP), or 0.
int InterruptSignal();

/// While alive, an interrupt cancels `context` instead of exiting.
class CancelOnInterrupt {
 public:
  explicit CancelOnInterrupt(grpc::ClientContext *context);
  ~CancelOnInterrupt();
  CancelOnInterrupt(const CancelOnInterrupt &) = delete;
  CancelOnInterrupt &operator=(const CancelOnInterrupt &) = delete;

 private:
  grpc::ClientContext *context_;
};

/// Runs `cleanup` (for example, restoring the terminal) before gale exits on an interrupt, or
/// at the end of the scope.
class AtInterrupt {
 public:
  explicit AtInterrupt(std::function<void()> cleanup);
  ~AtInterrupt();
  AtInterrupt(const AtInterrupt &) = delete;
  AtInterrupt &operator=(const AtInterrupt &) = delete;

 private:
  int id_;
};

/// Also called when an interrupt arrives (after the contexts are cancelled). Used by the
/// console to wake its stdin reader. Runs on the signal thread; keep it short.
class OnInterrupt {
 public:
  explicit OnInterrupt(std::function<void()> notify);
  ~OnInterrupt();
  OnInterrupt(const OnInterrupt &) = delete;
  OnInterrupt &operator=(const OnInterrupt &) = delete;

 private:
  int id_;
};

}  // namespace gale::cli
