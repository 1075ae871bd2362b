#include "gale/jobs/cancel.h"

#include <condition_variable>
#include <mutex>
#include <utility>

namespace gale::jobs {

struct CancelToken::State {
  std::stop_source source;
  mutable std::mutex mu;
  mutable std::condition_variable_any cv;  // only for WaitFor's interruptible wait
  std::string reason;                      // guarded by mu
};

CancelToken::CancelToken() : state_(std::make_shared<State>()) {}

void CancelToken::Cancel(std::string reason) {
  {
    std::lock_guard lock(state_->mu);
    if (state_->source.stop_requested()) {
      return;
    }
    // Set before the callbacks run, so they and the work see why.
    if (state_->reason.empty()) {
      state_->reason = reason.empty() ? "cancelled" : std::move(reason);
    }
  }
  state_->source.request_stop();  // runs the callbacks and wakes WaitFor
}

bool CancelToken::cancelled() const {
  return state_->source.stop_requested();
}

std::string CancelToken::reason() const {
  std::lock_guard lock(state_->mu);
  return cancelled() ? state_->reason : std::string();
}

bool CancelToken::WaitFor(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mu);
  state_->cv.wait_for(lock, state_->source.get_token(), timeout, [] { return false; });
  return cancelled();
}

std::stop_token CancelToken::stop_token() const {
  return state_->source.get_token();
}

CancelCallback::CancelCallback(const CancelToken &token, std::function<void()> fn)
    : callback_(token.stop_token(), std::move(fn)) {}

CancelCallback::~CancelCallback() = default;

}  // namespace gale::jobs
