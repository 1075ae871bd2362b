// A device's console: the output of its UART (or native program) kept in a bounded ring and
// fanned out to any number of readers, and the way back for input.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gale::devices {

/// What a reader receives: output bytes, or one event. Maps 1:1 onto gale.v1.ConsoleOutput
/// (plus `ended`, which the daemon turns into the end of the stream).
struct ConsoleChunk {
  std::string data;
  /// This output was retained from before the reader attached.
  bool replayed = false;
  /// Bytes this reader lost just before this chunk: it fell more than the ring's capacity
  /// behind, or attached after that much more output than the ring holds.
  uint64_t dropped = 0;
  /// The image exited with `exit_code` (data is empty). Output of a later run may follow.
  bool exited = false;
  int exit_code = 0;
  /// Non-empty: output stopped for this reason (the emulator died; data is empty). A flash or
  /// reset may bring the device back and output may follow.
  std::string stopped;
  /// The console is gone for good (its device was deleted): the last chunk. `stopped` says why.
  bool closed = false;
};

class ConsoleHub;

/// One reader of a console, with its own position. Made by ConsoleHub::Attach(). Read() may be
/// called from one thread at a time; Cancel() from any thread.
class ConsoleReader {
 public:
  ~ConsoleReader();
  ConsoleReader(const ConsoleReader &) = delete;
  ConsoleReader &operator=(const ConsoleReader &) = delete;

  /// The next chunk: output (at most 16 KiB) or an event. Waits up to `timeout` for one.
  /// @retval DeadlineExceeded nothing came within `timeout` (call again)
  /// @retval Cancelled Cancel() was called
  /// After a chunk with `closed`, every call returns OutOfRange.
  absl::StatusOr<ConsoleChunk> Read(absl::Duration timeout);
  /// Wakes a blocked Read() (and fails later ones) with Cancelled: for a client that went away.
  void Cancel();

 private:
  friend class ConsoleHub;
  struct State;
  struct Shared;
  ConsoleReader(std::shared_ptr<Shared> shared, std::shared_ptr<State> state);
  std::shared_ptr<Shared> shared_;
  std::shared_ptr<State> state_;
};

/// The console of one device. The producer (the device's UART reader thread) never blocks on
/// readers: a reader that falls behind by more than the ring's capacity is told how many bytes
/// it lost (`dropped`) and continues with the oldest retained output. Thread-safe.
class ConsoleHub {
 public:
  static constexpr size_t kDefaultCapacity = 64 * 1024;

  explicit ConsoleHub(size_t capacity = kDefaultCapacity);
  /// Closes the console: readers receive `closed` after their remaining output.
  ~ConsoleHub();
  ConsoleHub(const ConsoleHub &) = delete;
  ConsoleHub &operator=(const ConsoleHub &) = delete;

  /// A new reader. With `replay`, it first receives the retained output (chunks marked
  /// `replayed`, and the exit/stop events among it), then live output. Without, only what comes
  /// after this call; if the device has already exited or stopped (and not been restarted since),
  /// that event comes first so a reader waiting for the exit does not wait forever.
  std::unique_ptr<ConsoleReader> Attach(bool replay = true);

  /// Input for the device (a client typing). FailedPrecondition when the device has nothing
  /// running that could take it.
  absl::Status SendInput(std::string_view bytes);

  /// Called by the device with output. Never blocks on readers; calls the listeners (below) on
  /// this thread.
  void Write(std::string_view bytes);
  /// Called by the device: a new run of an image begins (after a flash or a reset). A reader
  /// attaching without replay no longer receives the previous run's exit.
  void MarkStarted();
  /// Called by the device when the image exited.
  void MarkExited(int exit_code);
  /// Called by the device when output stopped for another reason (the emulator died).
  void MarkStopped(const std::string &reason);
  /// Ends the console for good (device deleted); readers receive `closed` with `reason`.
  void Close(const std::string &reason);
  /// Where input goes: set by the device while an emulator runs, cleared (nullptr) when not.
  void SetInputSink(std::function<absl::Status(std::string_view)> sink);

  /// Listeners see every byte, synchronously on the producer's thread, and must be quick (the
  /// emulator waits for them): for copying a console into a job log or capturing a run's output.
  /// Listener ids are never 0.
  using ListenerId = uint64_t;
  ListenerId AddOutputListener(std::function<void(std::string_view bytes)> listener);
  /// Same, split into lines without their terminator ("\r\n" or "\n"); a partial line is
  /// delivered when the image exits or output stops. Lines longer than 4 KiB are split.
  ListenerId AddLineListener(std::function<void(std::string_view line)> listener);
  /// After this returns the listener is not running and will not be called again. Must not be
  /// called from inside a listener.
  void RemoveListener(ListenerId id);

  /// The output retained now (at most the capacity).
  std::string Retained() const;
  /// Bytes written since the hub was made.
  uint64_t total_bytes() const;
  size_t capacity() const;

 private:
  void FlushLines();
  std::shared_ptr<ConsoleReader::Shared> shared_;
};

}  // namespace gale::devices
