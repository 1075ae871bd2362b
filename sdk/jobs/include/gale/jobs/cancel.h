// Cancellation of a job: a token its work polls, sleeps on, or hangs callbacks on (to kill a
// child process group, close a socket, interrupt a GDB session).
#ifndef GALE_JOBS_CANCEL_H_
#define GALE_JOBS_CANCEL_H_

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>

namespace gale::jobs {

/// A shared cancellation flag. Copies share the flag: cancelling one cancels all. Thread-safe.
class CancelToken {
 public:
  /// A new token, not cancelled.
  CancelToken();

  /// Cancels, once: the first call records `reason` and runs every registered callback on the
  /// calling thread before returning; later calls do nothing.
  /// @pre any thread, not from inside one of this token's callbacks.
  void Cancel(std::string reason = "cancelled");
  bool cancelled() const;
  /// Why it was cancelled; empty while it is not.
  std::string reason() const;
  /// Sleeps until cancelled or `timeout` passes. @returns cancelled().
  bool WaitFor(std::chrono::milliseconds timeout) const;
  /// The standard token underneath, for std::condition_variable_any waits and std::jthread.
  std::stop_token stop_token() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

/// Runs a function when a token is cancelled, for as long as this object lives: immediately (on
/// the constructing thread) when the token is already cancelled, otherwise on the thread that
/// cancels. The destructor unregisters it and, when the function is running on another thread,
/// waits for it to return; so the function may use anything that outlives this object.
class CancelCallback {
 public:
  CancelCallback(const CancelToken &token, std::function<void()> fn);
  ~CancelCallback();
  CancelCallback(const CancelCallback &) = delete;
  CancelCallback &operator=(const CancelCallback &) = delete;

 private:
  std::stop_callback<std::function<void()>> callback_;
};

}  // namespace gale::jobs

#endif  // GALE_JOBS_CANCEL_H_
