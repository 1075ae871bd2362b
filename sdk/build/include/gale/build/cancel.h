// A cancellation flag that a poll() loop can wait on.
#pragma once

#include <atomic>

namespace gale::build {

/// Set once, from any thread, to stop a long operation (a subprocess, a build). Operations given
/// a token wake up as soon as it is cancelled: fd() becomes readable.
class CancelToken {
 public:
  CancelToken();
  ~CancelToken();
  CancelToken(const CancelToken &) = delete;
  CancelToken &operator=(const CancelToken &) = delete;

  /// Cancels; later calls do nothing. @pre any thread, also a signal handler.
  void Cancel();
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  /// An eventfd that is readable once Cancel() was called (never read from it); -1 if the
  /// system had none to give, in which case waiters poll cancelled() every 50 ms.
  int fd() const { return fd_; }

 private:
  std::atomic<bool> cancelled_{false};
  int fd_ = -1;
};

}  // namespace gale::build
