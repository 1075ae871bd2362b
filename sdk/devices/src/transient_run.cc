#include "gale/devices/transient_run.h"

#include <mutex>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"

namespace gale::devices {

std::string_view OutcomeName(TransientRunResult::Outcome outcome) {
  switch (outcome) {
    case TransientRunResult::Outcome::kExited:
      return "exited";
    case TransientRunResult::Outcome::kTimedOut:
      return "timed out";
    case TransientRunResult::Outcome::kCancelled:
      return "cancelled";
    case TransientRunResult::Outcome::kDied:
      return "died";
  }
  return "unknown";
}

absl::StatusOr<TransientRunResult> TransientRun(DeviceManager &manager,
                                                const TransientRunOptions &options) {
  absl::StatusOr<std::shared_ptr<Device>> device = manager.Create(options.board, options.create);
  if (!device.ok()) {
    return device.status();
  }
  const std::string id = (*device)->id();
  absl::Cleanup remove = [&] { (void)manager.Delete(id); };

  TransientRunResult result;
  result.device_id = id;
  if (options.on_device) {
    options.on_device((*device)->Info());
  }
  // A listener, not a reader: it sees every byte, however fast the image prints.
  std::mutex output_mu;
  ConsoleHub::ListenerId listener =
      (*device)->console().AddOutputListener([&](std::string_view bytes) {
        if (options.on_output) {
          options.on_output(bytes);
        }
        std::lock_guard lock(output_mu);
        size_t room = options.max_output - std::min(options.max_output, result.output.size());
        if (bytes.size() > room) {
          result.output_truncated = true;
        }
        result.output.append(bytes.substr(0, room));
      });
  absl::Cleanup unlisten = [&] { (*device)->console().RemoveListener(listener); };

  FlashOptions flash;
  flash.verify = options.verify;
  flash.run = true;
  flash.progress = options.on_progress;
  absl::StatusOr<FlashResult> flashed = (*device)->Flash(options.image, flash);
  if (!flashed.ok()) {
    return flashed.status();
  }
  result.flash = *flashed;

  absl::StatusOr<int> exit_code = (*device)->WaitExit(options.timeout, options.cancel);
  if (exit_code.ok()) {
    result.outcome = TransientRunResult::Outcome::kExited;
    result.exit_code = *exit_code;
  } else if (absl::IsDeadlineExceeded(exit_code.status())) {
    result.outcome = TransientRunResult::Outcome::kTimedOut;
    result.error = std::string(exit_code.status().message());
  } else if (absl::IsCancelled(exit_code.status())) {
    result.outcome = TransientRunResult::Outcome::kCancelled;
    result.error = std::string(exit_code.status().message());
  } else {
    result.outcome = TransientRunResult::Outcome::kDied;
    result.error = std::string(exit_code.status().message());
  }
  // The listener must be gone before `result` is read without the lock.
  std::move(unlisten).Invoke();
  return result;
}

}  // namespace gale::devices
