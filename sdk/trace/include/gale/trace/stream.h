// The trace stream of subsys/tracing (docs/tracing.md): its header, its records, a decoder that
// takes the stream in pieces as they arrive, and an encoder (for tests and tools that make
// streams). No target types: addresses are plain integers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gale::trace {

inline constexpr uint8_t kFormatVersion = 1;
inline constexpr char kMagic[4] = {'G', 'T', 'R', 'C'};

/// Record types (the first byte of a record). Values are the format's.
enum class RecordType : uint8_t {
  kSwitch = 0x01,       ///< thread: the thread that runs from now on
  kReady = 0x02,        ///< thread
  kPend = 0x03,         ///< thread, object (the wait queue; 0: sleep)
  kCreate = 0x04,       ///< thread, number (priority)
  kName = 0x05,         ///< thread, text
  kExit = 0x06,         ///< thread
  kIsrEnter = 0x07,     ///< value (exception number)
  kIsrExit = 0x08,      ///<
  kIdle = 0x09,         ///<
  kObject = 0x0A,       ///< op (ObjectOp), object
  kMark = 0x0B,         ///< op (MarkKind), value (id or name address)
  kCounter = 0x0C,      ///< op (0: id, 1: named), value (id or name address), number
  kDropped = 0x0D,      ///< value (records lost before this one)
  kThreadInfo = 0x0E,   ///< thread, number (priority), text (name): the start snapshot
  kSnapshotEnd = 0x0F,  ///< value (threads in the snapshot)
  kStop = 0x10,         ///< the host stopped the capture
};

/// Kernel object operations (kObject's op), as kernel/include/kernel_trace.h numbers them.
enum class ObjectOp : uint8_t {
  kSemGive = 1,
  kSemTake = 2,
  kMutexLock = 3,
  kMutexUnlock = 4,
  kMsgqPut = 5,
  kMsgqGet = 6,
  kQueuePut = 7,
  kQueueGet = 8,
  kTimerStart = 9,
  kTimerStop = 10,
  kTimerExpiry = 11,
  kWorkSubmit = 12,
  kWorkRun = 13,
};
/// "sem_give", ...; "op N" for an unknown value.
std::string ObjectOpName(uint8_t op);

enum class MarkKind : uint8_t { kId = 0, kNamed = 1, kBegin = 2, kEnd = 3 };

struct Header {
  uint8_t version = kFormatVersion;
  uint32_t frequency = 0;     ///< timestamp ticks per second
  uint32_t start_cycles = 0;  ///< the target clock when the capture started
  uint32_t id_base = 0;       ///< thread and object ids are zigzag offsets from this address
  std::vector<uint8_t> build_id;
  /// Lower-case hex of build_id ("" when the image sent none).
  std::string BuildIdHex() const;
};

struct Event {
  RecordType type = RecordType::kSwitch;
  uint64_t cycles = 0;  ///< target clock ticks since the first header's start_cycles
  uint32_t thread = 0;  ///< target address of the k_thread
  uint32_t object = 0;  ///< target address of the object / wait queue
  uint8_t op = 0;
  uint32_t value = 0;
  int32_t number = 0;
  std::string text;
};

/// Decodes a stream given in any pieces. Bytes before the first header are skipped (counted in
/// skipped_bytes()); a later header (a new capture) continues the same time line.
class Decoder {
 public:
  /// Decodes the complete records in `bytes` (with what an earlier call left over) into `out`.
  /// @retval DataLoss a corrupt record (unknown type, oversized field), naming its offset;
  ///         decoding cannot go on after it (call Reset()).
  /// @retval FailedPrecondition a header of an unsupported format version
  absl::Status Feed(std::span<const uint8_t> bytes, std::vector<Event> *out);
  /// The end of the input: DataLoss when a record was cut off (the events before it stand),
  /// NotFound when no header was ever seen.
  absl::Status Finish() const;
  /// The first header, once seen.
  const std::optional<Header> &header() const { return header_; }
  uint64_t skipped_bytes() const { return skipped_; }
  uint64_t offset() const { return offset_; }
  void Reset();

 private:
  absl::Status DecodeOne(std::span<const uint8_t> in, size_t *used, std::vector<Event> *out);

  std::vector<uint8_t> pending_;
  std::optional<Header> header_;
  bool in_stream_ = false;
  uint32_t last_raw_ = 0;
  uint32_t id_base_current_ = 0;
  uint64_t cycles_ = 0;
  uint64_t skipped_ = 0;
  uint64_t offset_ = 0;  ///< stream offset of pending_[0]
  absl::Status error_;
};

/// A whole stream at once: the header and every event.
struct DecodedStream {
  Header header;
  std::vector<Event> events;
};
/// @retval NotFound no header (not a trace, or an image without CONFIG_TRACING)
/// @retval DataLoss corrupt or truncated
absl::StatusOr<DecodedStream> DecodeStream(std::span<const uint8_t> bytes);

/// Builds streams the way the target does (tests, tools).
class Encoder {
 public:
  explicit Encoder(const Header &header);
  /// A record `cycles` ticks after the previous one (raw target time wraps at 2^32 as the
  /// target's does).
  void Add(const Event &event, uint32_t delta_cycles);
  void AddHeader(const Header &header);
  const std::vector<uint8_t> &bytes() const { return bytes_; }

 private:
  void Var(uint32_t v);
  void Zig(int32_t v);
  void Id(uint32_t address);
  std::vector<uint8_t> bytes_;
  uint32_t id_base_ = 0;
};

}  // namespace gale::trace
