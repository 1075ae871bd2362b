#include "gale/trace/stream.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gale::trace {
namespace {

constexpr size_t kMaxText = 64;
constexpr size_t kFixedHeader = 6;  // magic, version, length of the rest

// A bounded reader over the bytes of one record. Every read reports running out (the record is
// not all there yet) separately from corruption.
class Cursor {
 public:
  explicit Cursor(std::span<const uint8_t> in) : in_(in) {}
  bool U8(uint8_t *v) {
    if (pos_ >= in_.size()) {
      return false;
    }
    *v = in_[pos_++];
    return true;
  }
  // false: out of bytes; sets *bad for a varint longer than 5 bytes.
  bool Var(uint32_t *v, bool *bad) {
    uint64_t result = 0;
    for (int i = 0; i < 5; ++i) {
      uint8_t b = 0;
      if (!U8(&b)) {
        return false;
      }
      result |= static_cast<uint64_t>(b & 0x7fU) << (7 * i);
      if ((b & 0x80U) == 0) {
        if (result > 0xffffffffULL) {
          *bad = true;
        }
        *v = static_cast<uint32_t>(result);
        return true;
      }
    }
    *bad = true;
    return true;
  }
  bool Zig(int32_t *v, bool *bad) {
    uint32_t u = 0;
    if (!Var(&u, bad)) {
      return false;
    }
    *v = static_cast<int32_t>((u >> 1) ^ (~(u & 1U) + 1U));
    return true;
  }
  bool Text(std::string *s, bool *bad) {
    uint8_t len = 0;
    if (!U8(&len)) {
      return false;
    }
    if (len > kMaxText) {
      *bad = true;
      return true;
    }
    if (in_.size() - pos_ < len) {
      return false;
    }
    s->assign(reinterpret_cast<const char *>(in_.data() + pos_), len);
    pos_ += len;
    return true;
  }
  size_t pos() const { return pos_; }

 private:
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
};

uint32_t Le32(const uint8_t *p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

void PutLe32(std::vector<uint8_t> *out, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out->push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
}

}  // namespace

std::string ObjectOpName(uint8_t op) {
  switch (static_cast<ObjectOp>(op)) {
    case ObjectOp::kSemGive:
      return "sem_give";
    case ObjectOp::kSemTake:
      return "sem_take";
    case ObjectOp::kMutexLock:
      return "mutex_lock";
    case ObjectOp::kMutexUnlock:
      return "mutex_unlock";
    case ObjectOp::kMsgqPut:
      return "msgq_put";
    case ObjectOp::kMsgqGet:
      return "msgq_get";
    case ObjectOp::kQueuePut:
      return "queue_put";
    case ObjectOp::kQueueGet:
      return "queue_get";
    case ObjectOp::kTimerStart:
      return "timer_start";
    case ObjectOp::kTimerStop:
      return "timer_stop";
    case ObjectOp::kTimerExpiry:
      return "timer_expiry";
    case ObjectOp::kWorkSubmit:
      return "work_submit";
    case ObjectOp::kWorkRun:
      return "work_run";
  }
  return absl::StrCat("op ", op);
}

std::string Header::BuildIdHex() const {
  std::string hex;
  for (uint8_t b : build_id) {
    absl::StrAppendFormat(&hex, "%02x", b);
  }
  return hex;
}

void Decoder::Reset() {
  *this = Decoder();
}

absl::Status Decoder::Feed(std::span<const uint8_t> bytes, std::vector<Event> *out) {
  if (!error_.ok()) {
    return error_;
  }
  pending_.insert(pending_.end(), bytes.begin(), bytes.end());
  size_t pos = 0;
  while (pos < pending_.size()) {
    if (!in_stream_) {
      // Look for the first header; everything before it is not ours.
      auto it = std::search(pending_.begin() + static_cast<ptrdiff_t>(pos), pending_.end(),
                            std::begin(kMagic), std::end(kMagic));
      size_t found = static_cast<size_t>(it - pending_.begin());
      if (it == pending_.end()) {
        // Keep a possible start of the magic for the next piece.
        size_t keep = std::min<size_t>(pending_.size() - pos, sizeof(kMagic) - 1);
        skipped_ += pending_.size() - pos - keep;
        pos = pending_.size() - keep;
        break;
      }
      skipped_ += found - pos;
      pos = found;
    }
    size_t used = 0;
    absl::Status status =
        DecodeOne(std::span<const uint8_t>(pending_).subspan(pos), &used, out);
    if (!status.ok()) {
      error_ = status;
      return status;
    }
    if (used == 0) {
      break;  // the record is not complete yet
    }
    pos += used;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(pos));
  offset_ += pos;
  return absl::OkStatus();
}

absl::Status Decoder::DecodeOne(std::span<const uint8_t> in, size_t *used,
                                std::vector<Event> *out) {
  const uint64_t at = offset_ + static_cast<uint64_t>(in.data() - pending_.data());
  auto corrupt = [at](std::string_view what) {
    return absl::DataLossError(absl::StrCat("trace stream corrupt at byte ", at, ": ", std::string(what),
                                            "; the capture cannot be decoded past it"));
  };
  *used = 0;
  if (in[0] == static_cast<uint8_t>(kMagic[0])) {
    if (in.size() < kFixedHeader) {
      return absl::OkStatus();
    }
    if (std::memcmp(in.data(), kMagic, sizeof(kMagic)) != 0) {
      return corrupt("a record starts with 'G' but is not a header");
    }
    if (in[4] != kFormatVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat("the trace stream has format version ", in[4], "; this gale reads version ",
                       kFormatVersion, ": use the gale that matches the image's Gale version"));
    }
    size_t rest = in[5];
    if (rest < 13) {
      return corrupt(absl::StrCat("header of ", rest, " bytes is too short"));
    }
    if (in.size() < kFixedHeader + rest) {
      return absl::OkStatus();
    }
    const uint8_t *p = in.data() + kFixedHeader;
    Header h;
    h.version = in[4];
    h.frequency = Le32(p);
    h.start_cycles = Le32(p + 4);
    h.id_base = Le32(p + 8);
    size_t id_len = p[12];
    if (13 + id_len > rest) {
      return corrupt("build id longer than the header");
    }
    if (h.frequency == 0) {
      return corrupt("timestamp frequency 0");
    }
    h.build_id.assign(p + 13, p + 13 + id_len);
    if (header_.has_value() && in_stream_) {
      // A new capture on the same stream: time goes on from the last record.
      cycles_ += static_cast<uint32_t>(h.start_cycles - last_raw_);
    } else if (!header_.has_value()) {
      cycles_ = 0;
    }
    if (!header_.has_value()) {
      header_ = h;
    }
    id_base_current_ = h.id_base;
    last_raw_ = h.start_cycles;
    in_stream_ = true;
    *used = kFixedHeader + rest;
    return absl::OkStatus();
  }
  Cursor c(in);
  bool bad = false;
  uint8_t type = 0;
  uint32_t delta = 0;
  c.U8(&type);
  if (type < static_cast<uint8_t>(RecordType::kSwitch) ||
      type > static_cast<uint8_t>(RecordType::kStop)) {
    return corrupt(absl::StrFormat("unknown record type 0x%02x", type));
  }
  if (!c.Var(&delta, &bad)) {
    return absl::OkStatus();
  }
  if (bad) {
    return corrupt("time delta longer than 32 bits");
  }
  Event e;
  e.type = static_cast<RecordType>(type);
  auto id = [&](uint32_t *address) {
    int32_t offset = 0;
    if (!c.Zig(&offset, &bad)) {
      return false;
    }
    *address = id_base_current_ + static_cast<uint32_t>(offset);
    return true;
  };
  bool complete = true;
  switch (e.type) {
    case RecordType::kSwitch:
    case RecordType::kReady:
    case RecordType::kExit:
      complete = id(&e.thread);
      break;
    case RecordType::kPend:
      complete = id(&e.thread) && id(&e.object);
      break;
    case RecordType::kCreate:
      complete = id(&e.thread) && c.Zig(&e.number, &bad);
      break;
    case RecordType::kName:
      complete = id(&e.thread) && c.Text(&e.text, &bad);
      break;
    case RecordType::kThreadInfo:
      complete = id(&e.thread) && c.Zig(&e.number, &bad) && c.Text(&e.text, &bad);
      break;
    case RecordType::kIsrEnter:
    case RecordType::kDropped:
    case RecordType::kSnapshotEnd:
      complete = c.Var(&e.value, &bad);
      break;
    case RecordType::kIsrExit:
    case RecordType::kIdle:
    case RecordType::kStop:
      break;
    case RecordType::kObject:
      complete = c.U8(&e.op) && id(&e.object);
      break;
    case RecordType::kMark:
      complete = c.U8(&e.op) && c.Var(&e.value, &bad);
      if (complete && e.op > static_cast<uint8_t>(MarkKind::kEnd)) {
        bad = true;
      }
      break;
    case RecordType::kCounter:
      complete = c.U8(&e.op) && c.Var(&e.value, &bad) && c.Zig(&e.number, &bad);
      break;
  }
  if (bad) {
    return corrupt(absl::StrFormat("bad field in a record of type 0x%02x", type));
  }
  if (!complete) {
    return absl::OkStatus();
  }
  last_raw_ += delta;
  cycles_ += delta;
  e.cycles = cycles_;
  out->push_back(std::move(e));
  *used = c.pos();
  return absl::OkStatus();
}

absl::Status Decoder::Finish() const {
  if (!error_.ok()) {
    return error_;
  }
  if (!header_.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "no trace header in ", skipped_ + pending_.size(),
        " bytes: the image must be built with CONFIG_TRACING=y and the capture started by galed"));
  }
  if (!pending_.empty()) {
    return absl::DataLossError(absl::StrCat("the trace stream ends inside a record (",
                                            pending_.size(), " bytes at byte ", offset_,
                                            " are not a whole record): it was truncated"));
  }
  return absl::OkStatus();
}

absl::StatusOr<DecodedStream> DecodeStream(std::span<const uint8_t> bytes) {
  Decoder decoder;
  DecodedStream result;
  if (absl::Status s = decoder.Feed(bytes, &result.events); !s.ok()) {
    return s;
  }
  if (absl::Status s = decoder.Finish(); !s.ok()) {
    return s;
  }
  result.header = *decoder.header();
  return result;
}

Encoder::Encoder(const Header &header) {
  AddHeader(header);
}

void Encoder::AddHeader(const Header &header) {
  bytes_.insert(bytes_.end(), std::begin(kMagic), std::end(kMagic));
  bytes_.push_back(header.version);
  bytes_.push_back(static_cast<uint8_t>(13 + header.build_id.size()));
  PutLe32(&bytes_, header.frequency);
  PutLe32(&bytes_, header.start_cycles);
  PutLe32(&bytes_, header.id_base);
  bytes_.push_back(static_cast<uint8_t>(header.build_id.size()));
  bytes_.insert(bytes_.end(), header.build_id.begin(), header.build_id.end());
  id_base_ = header.id_base;
}

void Encoder::Var(uint32_t v) {
  while (v >= 0x80U) {
    bytes_.push_back(static_cast<uint8_t>(v | 0x80U));
    v >>= 7;
  }
  bytes_.push_back(static_cast<uint8_t>(v));
}

void Encoder::Zig(int32_t v) {
  Var((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
}

void Encoder::Id(uint32_t address) {
  Zig(static_cast<int32_t>(address - id_base_));
}

void Encoder::Add(const Event &e, uint32_t delta_cycles) {
  bytes_.push_back(static_cast<uint8_t>(e.type));
  Var(delta_cycles);
  auto text = [&](const std::string &s) {
    bytes_.push_back(static_cast<uint8_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  };
  switch (e.type) {
    case RecordType::kSwitch:
    case RecordType::kReady:
    case RecordType::kExit:
      Id(e.thread);
      break;
    case RecordType::kPend:
      Id(e.thread);
      Id(e.object);
      break;
    case RecordType::kCreate:
      Id(e.thread);
      Zig(e.number);
      break;
    case RecordType::kName:
      Id(e.thread);
      text(e.text);
      break;
    case RecordType::kThreadInfo:
      Id(e.thread);
      Zig(e.number);
      text(e.text);
      break;
    case RecordType::kIsrEnter:
    case RecordType::kDropped:
    case RecordType::kSnapshotEnd:
      Var(e.value);
      break;
    case RecordType::kIsrExit:
    case RecordType::kIdle:
    case RecordType::kStop:
      break;
    case RecordType::kObject:
      bytes_.push_back(e.op);
      Id(e.object);
      break;
    case RecordType::kMark:
      bytes_.push_back(e.op);
      Var(e.value);
      break;
    case RecordType::kCounter:
      bytes_.push_back(e.op);
      Var(e.value);
      Zig(e.number);
      break;
  }
}

}  // namespace gale::trace
