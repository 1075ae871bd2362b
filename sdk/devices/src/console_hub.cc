#include "gale/devices/console_hub.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace gale::devices {

namespace {

constexpr size_t kMaxChunk = 16 * 1024;
constexpr size_t kMaxLine = 4 * 1024;
constexpr size_t kMaxMarkers = 256;

struct Marker {
  enum class Kind { kStarted, kExited, kStopped, kClosed };
  uint64_t seq = 0;
  uint64_t pos = 0;  ///< stream position: the event comes after the bytes before it
  Kind kind = Kind::kStarted;
  int exit_code = 0;
  std::string reason;
};

struct Listener {
  std::function<void(std::string_view)> bytes;
  std::function<void(std::string_view)> line;
  std::string partial;
};

void EmitLine(Listener &listener, std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  listener.line(line);
}

}  // namespace

struct ConsoleReader::State {
  uint64_t pos = 0;
  uint64_t replay_end = 0;  ///< output before this position was retained, not live
  uint64_t next_seq = 0;    ///< the first marker not yet delivered
  uint64_t attach_seq = 0;  ///< markers before this one happened before the reader attached
  uint64_t dropped = 0;     ///< lost bytes not yet reported
  bool cancelled = false;
  bool finished = false;
};

struct ConsoleReader::Shared {
  explicit Shared(size_t cap) : capacity(std::max<size_t>(cap, 1)), ring(capacity) {}

  uint64_t Oldest() const { return total - std::min<uint64_t>(total, capacity); }

  mutable std::mutex mu;
  std::condition_variable cv;
  const size_t capacity;
  std::vector<char> ring;
  uint64_t total = 0;
  std::deque<Marker> markers;
  uint64_t next_seq = 0;
  bool closed = false;

  std::mutex input_mu;
  std::function<absl::Status(std::string_view)> input_sink;

  std::mutex listeners_mu;
  std::map<uint64_t, Listener> listeners;
  uint64_t next_listener = 1;

  void AddMarker(Marker marker) {
    std::lock_guard lock(mu);
    if (closed) {
      return;
    }
    marker.seq = next_seq++;
    marker.pos = total;
    if (marker.kind == Marker::Kind::kClosed) {
      closed = true;
    }
    markers.push_back(std::move(marker));
    while (markers.size() > kMaxMarkers) {
      markers.pop_front();
    }
    cv.notify_all();
  }
};

ConsoleReader::ConsoleReader(std::shared_ptr<Shared> shared, std::shared_ptr<State> state)
    : shared_(std::move(shared)), state_(std::move(state)) {}

ConsoleReader::~ConsoleReader() = default;

void ConsoleReader::Cancel() {
  std::lock_guard lock(shared_->mu);
  state_->cancelled = true;
  shared_->cv.notify_all();
}

absl::StatusOr<ConsoleChunk> ConsoleReader::Read(absl::Duration timeout) {
  Shared &sh = *shared_;
  State &st = *state_;
  auto deadline = std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(timeout);
  std::unique_lock lock(sh.mu);
  bool timed_out = false;
  while (true) {
    if (st.cancelled) {
      return absl::CancelledError("console reader cancelled");
    }
    if (st.finished) {
      return absl::OutOfRangeError("the console is closed");
    }
    uint64_t oldest = sh.Oldest();
    if (st.pos < oldest) {
      st.dropped += oldest - st.pos;
      st.pos = oldest;
    }
    const Marker *marker = nullptr;
    for (const Marker &m : sh.markers) {
      if (m.seq >= st.next_seq && m.kind != Marker::Kind::kStarted) {
        marker = &m;
        break;
      }
    }
    // Output up to the next event, then the event.
    uint64_t limit = sh.total;
    if (marker != nullptr) {
      limit = std::min(limit, std::max(marker->pos, st.pos));
    }
    ConsoleChunk chunk;
    if (st.pos < limit) {
      uint64_t end = std::min<uint64_t>(limit, st.pos + kMaxChunk);
      if (st.pos < st.replay_end) {
        end = std::min(end, st.replay_end);
        chunk.replayed = true;
      }
      chunk.data.reserve(end - st.pos);
      for (uint64_t p = st.pos; p < end;) {
        size_t index = p % sh.capacity;
        size_t n = std::min<uint64_t>(end - p, sh.capacity - index);
        chunk.data.append(sh.ring.data() + index, n);
        p += n;
      }
      chunk.dropped = st.dropped;
      st.dropped = 0;
      st.pos = end;
      return chunk;
    }
    if (marker != nullptr) {
      chunk.dropped = st.dropped;
      st.dropped = 0;
      chunk.replayed = marker->seq < st.attach_seq;
      st.next_seq = marker->seq + 1;
      switch (marker->kind) {
        case Marker::Kind::kExited:
          chunk.exited = true;
          chunk.exit_code = marker->exit_code;
          break;
        case Marker::Kind::kStopped:
          chunk.stopped = marker->reason;
          break;
        case Marker::Kind::kClosed:
          chunk.closed = true;
          chunk.stopped = marker->reason;
          st.finished = true;
          break;
        case Marker::Kind::kStarted:
          break;
      }
      return chunk;
    }
    if (timed_out) {
      return absl::DeadlineExceededError("no console output yet");
    }
    // After a timeout, one more look: output may have come with it.
    timed_out = sh.cv.wait_until(lock, deadline) == std::cv_status::timeout;
  }
}

ConsoleHub::ConsoleHub(size_t capacity)
    : shared_(std::make_shared<ConsoleReader::Shared>(capacity)) {}

ConsoleHub::~ConsoleHub() {
  Close("the console was closed");
}

std::unique_ptr<ConsoleReader> ConsoleHub::Attach(bool replay) {
  auto state = std::make_shared<ConsoleReader::State>();
  ConsoleReader::Shared &sh = *shared_;
  std::lock_guard lock(sh.mu);
  state->attach_seq = sh.next_seq;
  state->replay_end = sh.total;
  if (replay) {
    state->pos = sh.Oldest();
    // Exits of runs that a later flash or reset superseded are history: a reader waiting for
    // "the" exit must not stop at them. Events before the retained output are gone with it.
    uint64_t first = 0;
    for (const Marker &m : sh.markers) {
      if (m.kind == Marker::Kind::kStarted || m.pos < state->pos) {
        first = m.seq + 1;
      }
    }
    state->next_seq = std::max(first, sh.markers.empty() ? sh.next_seq : sh.markers.front().seq);
  } else {
    state->pos = sh.total;
    state->replay_end = sh.total;
    state->next_seq = sh.next_seq;
    if (!sh.markers.empty() && sh.markers.back().kind != Marker::Kind::kStarted) {
      state->next_seq = sh.markers.back().seq;
    }
  }
  return std::unique_ptr<ConsoleReader>(new ConsoleReader(shared_, std::move(state)));
}

absl::Status ConsoleHub::SendInput(std::string_view bytes) {
  std::lock_guard lock(shared_->input_mu);
  if (!shared_->input_sink) {
    return absl::FailedPreconditionError(
        "nothing runs on the device to take console input; flash or reset it first");
  }
  return shared_->input_sink(bytes);
}

void ConsoleHub::SetInputSink(std::function<absl::Status(std::string_view)> sink) {
  std::lock_guard lock(shared_->input_mu);
  shared_->input_sink = std::move(sink);
}

void ConsoleHub::Write(std::string_view bytes) {
  if (bytes.empty()) {
    return;
  }
  ConsoleReader::Shared &sh = *shared_;
  {
    std::lock_guard lock(sh.mu);
    std::string_view kept = bytes;
    if (kept.size() > sh.capacity) {
      kept.remove_prefix(kept.size() - sh.capacity);
    }
    uint64_t pos = sh.total + (bytes.size() - kept.size());
    while (!kept.empty()) {
      size_t index = pos % sh.capacity;
      size_t n = std::min(kept.size(), sh.capacity - index);
      std::copy_n(kept.data(), n, sh.ring.data() + index);
      kept.remove_prefix(n);
      pos += n;
    }
    sh.total += bytes.size();
    sh.cv.notify_all();
  }
  std::lock_guard lock(sh.listeners_mu);
  for (auto &[id, listener] : sh.listeners) {
    if (listener.bytes) {
      listener.bytes(bytes);
      continue;
    }
    std::string_view rest = bytes;
    while (!rest.empty()) {
      size_t nl = rest.find('\n');
      if (nl == std::string_view::npos) {
        size_t room = kMaxLine - listener.partial.size();
        listener.partial.append(rest.substr(0, room));
        rest.remove_prefix(std::min(room, rest.size()));
        if (listener.partial.size() >= kMaxLine) {
          EmitLine(listener, listener.partial);
          listener.partial.clear();
        }
        continue;
      }
      if (listener.partial.empty()) {
        EmitLine(listener, rest.substr(0, nl));
      } else {
        listener.partial.append(rest.substr(0, nl));
        EmitLine(listener, listener.partial);
        listener.partial.clear();
      }
      rest.remove_prefix(nl + 1);
    }
  }
}

void ConsoleHub::FlushLines() {
  std::lock_guard lock(shared_->listeners_mu);
  for (auto &[id, listener] : shared_->listeners) {
    if (listener.line && !listener.partial.empty()) {
      EmitLine(listener, listener.partial);
      listener.partial.clear();
    }
  }
}

void ConsoleHub::MarkStarted() {
  shared_->AddMarker(Marker{0, 0, Marker::Kind::kStarted, 0, {}});
}

void ConsoleHub::MarkExited(int exit_code) {
  FlushLines();
  shared_->AddMarker(Marker{0, 0, Marker::Kind::kExited, exit_code, {}});
}

void ConsoleHub::MarkStopped(const std::string &reason) {
  FlushLines();
  shared_->AddMarker(Marker{0, 0, Marker::Kind::kStopped, 0, reason});
}

void ConsoleHub::Close(const std::string &reason) {
  FlushLines();
  SetInputSink(nullptr);
  shared_->AddMarker(Marker{0, 0, Marker::Kind::kClosed, 0, reason});
}

ConsoleHub::ListenerId ConsoleHub::AddOutputListener(
    std::function<void(std::string_view bytes)> listener) {
  std::lock_guard lock(shared_->listeners_mu);
  ListenerId id = shared_->next_listener++;
  shared_->listeners[id].bytes = std::move(listener);
  return id;
}

ConsoleHub::ListenerId ConsoleHub::AddLineListener(
    std::function<void(std::string_view line)> listener) {
  std::lock_guard lock(shared_->listeners_mu);
  ListenerId id = shared_->next_listener++;
  shared_->listeners[id].line = std::move(listener);
  return id;
}

void ConsoleHub::RemoveListener(ListenerId id) {
  std::lock_guard lock(shared_->listeners_mu);
  shared_->listeners.erase(id);
}

std::string ConsoleHub::Retained() const {
  const ConsoleReader::Shared &sh = *shared_;
  std::lock_guard lock(sh.mu);
  std::string out;
  for (uint64_t p = sh.Oldest(); p < sh.total;) {
    size_t index = p % sh.capacity;
    size_t n = std::min<uint64_t>(sh.total - p, sh.capacity - index);
    out.append(sh.ring.data() + index, n);
    p += n;
  }
  return out;
}

uint64_t ConsoleHub::total_bytes() const {
  std::lock_guard lock(shared_->mu);
  return shared_->total;
}

size_t ConsoleHub::capacity() const {
  return shared_->capacity;
}

}  // namespace gale::devices
