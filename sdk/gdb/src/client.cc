#include "gale/gdb/client.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "gale/gdb/packet.h"

namespace gale::gdb {
namespace {

// gdb's own assumption when a server does not say (qSupported without PacketSize).
constexpr size_t kDefaultPacketSize = 400;
constexpr size_t kMinPacketSize = 64;
constexpr size_t kMaxPacketSize = 1 << 20;
// Room kept in every packet we size by PacketSize: servers differ on whether the figure counts
// the "$", "#xx" framing and a terminating NUL.
constexpr size_t kPacketMargin = 32;
// A reply this large without a '#' means the stream is not RSP (or is garbage).
constexpr size_t kMaxBuffered = 4 * kMaxPacketSize;
// The signal number of a stop at a breakpoint or after a step (gdb's SIGTRAP).
constexpr int kSigTrap = 5;

// Debian's Abseil has its own string_view type; this bridges std::string_view into StrCat.
absl::string_view Av(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

// Shortens a request for error messages (an M packet can hold kilobytes of hex).
std::string Brief(std::string_view payload) {
  constexpr size_t kMax = 48;
  std::string out;
  for (char c : payload.substr(0, std::min(payload.size(), kMax))) {
    out += absl::ascii_isprint(static_cast<unsigned char>(c)) ? c : '.';
  }
  if (payload.size() > kMax) {
    absl::StrAppend(&out, "... (", payload.size(), " bytes)");
  }
  return out;
}

bool IsErrorReply(std::string_view reply) {
  if (reply.size() == 3 && reply[0] == 'E' && absl::ascii_isxdigit(reply[1]) &&
      absl::ascii_isxdigit(reply[2])) {
    return true;
  }
  return absl::StartsWith(Av(reply), "E.");  // the textual error form
}

bool ParseHex(std::string_view text, uint64_t &value) {
  if (text.empty() || text.size() > 16) {
    return false;
  }
  value = 0;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
    value = value << 4 | static_cast<uint64_t>(
                             absl::ascii_isdigit(c) ? c - '0' : absl::ascii_tolower(c) - 'a' + 10);
  }
  return true;
}

absl::StatusOr<StopReply> ParseStopReply(std::string_view reply) {
  StopReply stop;
  stop.raw = std::string(reply);
  uint64_t value = 0;
  if (reply.size() >= 3 && ParseHex(reply.substr(1, 2), value)) {
    switch (reply[0]) {
      case 'S':
      case 'T':
        stop.kind = StopReply::Kind::kSignal;
        stop.signal = static_cast<int>(value);
        return stop;
      case 'W':
        stop.kind = StopReply::Kind::kExited;
        stop.exit_code = static_cast<int>(value);
        return stop;
      case 'X':
        stop.kind = StopReply::Kind::kTerminated;
        stop.signal = static_cast<int>(value);
        return stop;
      default:
        break;
    }
  }
  return absl::InternalError(
      absl::StrCat("expected a stop reply (S, T, W or X), got \"", Brief(reply), "\""));
}

}  // namespace

struct Client::Impl {
  std::unique_ptr<Transport> transport;
  ClientOptions options;
  std::string rx;        // received bytes not yet consumed
  bool ack_mode = true;  // until the server accepts QStartNoAckMode
  size_t packet_size = kDefaultPacketSize;
  std::map<std::string, std::string, std::less<>> features;  // qSupported: name -> "+", value
  std::optional<bool> binary_write;  // unknown until the first X packet is answered
  bool running = false;
  bool closed = false;  // after Kill() or a lost connection
  std::string console;
  std::string *capture = nullptr;  // Monitor() output goes here instead of `console`
  std::optional<TargetDescription> description;
  std::map<int, size_t> register_bytes;
  struct Breakpoint {
    uint64_t address;
    bool hardware;
    int kind;
  };
  std::vector<Breakpoint> breakpoints;    // inserted through this client
  std::optional<StopReply> pending_stop;  // a stop that came while stepping off a breakpoint

  std::string Peer() const { return transport->Describe(); }

  absl::Status CheckUsable(std::string_view what) const {
    if (closed) {
      return absl::UnavailableError(absl::StrCat("cannot send ", Av(what), ": the connection to ",
                                                 Peer(), " is closed; connect again"));
    }
    return absl::OkStatus();
  }

  absl::Status Fill(absl::Time deadline) {
    auto bytes = transport->Read(std::max(deadline - absl::Now(), absl::ZeroDuration()));
    if (!bytes.ok()) {
      if (absl::IsUnavailable(bytes.status())) {
        closed = true;
      }
      return bytes.status();
    }
    rx += *bytes;
    if (rx.size() > kMaxBuffered) {
      rx.clear();
      return absl::DataLossError(
          absl::StrCat(Peer(), " sent more than ", kMaxBuffered, " bytes without a packet end"));
    }
    return absl::OkStatus();
  }

  absl::Status WriteRaw(std::string_view bytes) {
    absl::Status status = transport->Write(bytes);
    if (absl::IsUnavailable(status)) {
      closed = true;
    }
    return status;
  }

  // Sends one packet; in ack mode, waits for '+' and resends on '-'.
  absl::Status Send(std::string_view payload, absl::Time deadline) {
    const std::string frame = FramePacket(payload);
    for (int attempt = 0;; ++attempt) {
      if (absl::Status status = WriteRaw(frame); !status.ok()) {
        return status;
      }
      if (!ack_mode) {
        return absl::OkStatus();
      }
      bool nak = false;
      while (!nak) {
        if (rx.empty()) {
          if (absl::Status status = Fill(deadline); !status.ok()) {
            return status;
          }
        }
        const char c = rx[0];
        if (c == '$') {
          return absl::OkStatus();  // a reply without an ack: the ack was lost or never sent
        }
        rx.erase(0, 1);
        if (c == '+') {
          return absl::OkStatus();
        }
        nak = c == '-';
      }
      if (attempt >= options.max_retransmits) {
        return absl::DataLossError(absl::StrCat(Peer(), " rejected \"", Brief(payload), "\" ",
                                                attempt + 1, " times (bad checksum on the link?)"));
      }
    }
  }

  // Receives one packet body (run-length encoding expanded, binary escapes kept).
  absl::StatusOr<std::string> Receive(absl::Time deadline) {
    int bad_checksums = 0;
    while (true) {
      const size_t start = rx.find('$');
      if (start == std::string::npos) {
        rx.clear();  // stray acks or line noise between packets
        if (absl::Status status = Fill(deadline); !status.ok()) {
          return status;
        }
        continue;
      }
      const size_t hash = rx.find('#', start + 1);
      if (hash == std::string::npos || rx.size() < hash + 3) {
        if (start > 0) {
          rx.erase(0, start);
        }
        if (absl::Status status = Fill(deadline); !status.ok()) {
          return status;
        }
        continue;
      }
      const std::string body = rx.substr(start + 1, hash - start - 1);
      const std::string sent_sum = rx.substr(hash + 1, 2);
      rx.erase(0, hash + 3);
      uint64_t sum = 0;
      if (!ParseHex(sent_sum, sum) || sum != Checksum(body)) {
        const std::string problem =
            absl::StrFormat("packet \"%s\" from %s has checksum %s, expected %02x", Brief(body),
                            Peer(), Brief(sent_sum), Checksum(body));
        if (!ack_mode) {
          return absl::DataLossError(problem);
        }
        if (++bad_checksums > options.max_retransmits) {
          return absl::DataLossError(absl::StrCat(problem, " (", bad_checksums, " times)"));
        }
        if (absl::Status status = WriteRaw("-"); !status.ok()) {
          return status;
        }
        continue;
      }
      if (ack_mode) {
        // A failed ack does not lose the packet: a server that ends (QEMU after the target's
        // semihosting exit) sends its last packet, W, and closes before the ack arrives. The
        // broken connection shows on the next exchange.
        WriteRaw("+").IgnoreError();
      }
      auto expanded = ExpandRunLength(body);
      if (!expanded.ok()) {
        return absl::DataLossError(absl::StrCat("packet \"", Brief(body), "\" from ", Peer(), ": ",
                                                expanded.status().message()));
      }
      return *std::move(expanded);
    }
  }

  void Console(std::string_view packet) {
    auto bytes = HexDecode(packet.substr(1));
    if (!bytes.ok()) {
      return;  // IsConsoleOutput() checked the digits: unreachable
    }
    const std::string_view text(reinterpret_cast<const char *>(bytes->data()), bytes->size());
    if (capture != nullptr) {
      capture->append(text);
    } else if (options.console_output) {
      options.console_output(text);
    } else {
      console.append(text);
    }
  }

  // Receives the next packet that is not console output.
  absl::StatusOr<std::string> ReceiveReply(absl::Time deadline) {
    while (true) {
      auto packet = Receive(deadline);
      if (!packet.ok() || !IsConsoleOutput(*packet)) {
        return packet;
      }
      Console(*packet);
    }
  }

  absl::Status Annotate(const absl::Status &status, std::string_view payload,
                        std::string_view doing = "waiting for the reply to") const {
    if (absl::IsDeadlineExceeded(status)) {
      return absl::DeadlineExceededError(absl::StrCat(
          Peer(), " did not answer within ", absl::FormatDuration(options.reply_timeout), " (",
          Av(doing), " \"", Brief(payload), "\")"));
    }
    return absl::Status(status.code(), absl::StrCat(status.message(), " (", Av(doing), " \"",
                                                    Brief(payload), "\")"));
  }

  // One request and its reply, whatever the reply is (empty means "not supported").
  absl::StatusOr<std::string> Exchange(std::string_view payload) {
    if (absl::Status status = CheckUsable(Brief(payload)); !status.ok()) {
      return status;
    }
    if (running) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot send \"", Brief(payload), "\" to ", Peer(),
                       ": the target is running; interrupt it first"));
    }
    const absl::Time deadline = absl::Now() + options.reply_timeout;
    if (absl::Status status = Send(payload, deadline); !status.ok()) {
      return Annotate(status, payload, "sending");
    }
    auto reply = ReceiveReply(deadline);
    if (!reply.ok()) {
      return Annotate(reply.status(), payload);
    }
    return reply;
  }

  absl::Status ErrorReply(std::string_view payload, std::string_view reply) const {
    return absl::FailedPreconditionError(
        absl::StrCat(Peer(), " replied ", Av(reply), " to \"", Brief(payload), "\""));
  }

  absl::Status Unsupported(std::string_view payload, std::string_view what) const {
    return absl::UnimplementedError(absl::StrCat(Peer(), " does not support ", Av(what),
                                                 " (empty reply to \"", Brief(payload), "\")"));
  }

  // A request that must be answered "OK".
  absl::Status ExpectOk(std::string_view payload, std::string_view what) {
    auto reply = Exchange(payload);
    if (!reply.ok()) {
      return reply.status();
    }
    if (*reply == "OK") {
      return absl::OkStatus();
    }
    if (reply->empty()) {
      return Unsupported(payload, what);
    }
    if (IsErrorReply(*reply)) {
      return ErrorReply(payload, *reply);
    }
    return absl::InternalError(absl::StrCat(Peer(), " replied \"", Brief(*reply), "\" to \"",
                                            Brief(payload), "\", expected OK"));
  }

  size_t PayloadLimit() const { return packet_size - kPacketMargin; }

  absl::StatusOr<StopReply> AwaitStop(absl::Duration timeout) {
    if (pending_stop.has_value()) {
      running = false;
      return *std::exchange(pending_stop, std::nullopt);
    }
    auto reply = ReceiveReply(absl::Now() + timeout);
    if (!reply.ok()) {
      if (absl::IsDeadlineExceeded(reply.status())) {
        return absl::DeadlineExceededError(
            absl::StrCat("the target did not stop within ", absl::FormatDuration(timeout), " (",
                         Peer(), " sent no stop reply); it is still running"));
      }
      running = false;
      return reply.status();
    }
    running = false;
    auto stop = ParseStopReply(*reply);
    if (!stop.ok()) {
      return absl::InternalError(absl::StrCat(Peer(), ": ", stop.status().message()));
    }
    return stop;
  }
};

Client::Client(std::unique_ptr<Transport> transport, ClientOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->transport = std::move(transport);
  impl_->options = std::move(options);
}

Client::~Client() = default;

absl::Status Client::Handshake() {
  Impl &d = *impl_;
  // gdb's own offer, minus what this client cannot follow (multiprocess ids, fork events).
  constexpr std::string_view kSupported = "qSupported:swbreak+;hwbreak+;vContSupported+";
  auto reply = d.Exchange(kSupported);
  // A server that stops a running target when a debugger connects (QEMU does) may send that
  // stop reply unasked, before it reads anything. No qSupported reply starts with S or T, so
  // such packets are skipped here; otherwise every later reply would be one behind.
  for (int skipped = 0; reply.ok() && skipped < 4 && !reply->empty() &&
                        ((*reply)[0] == 'S' || (*reply)[0] == 'T');
       ++skipped) {
    reply = d.ReceiveReply(absl::Now() + d.options.reply_timeout);
  }
  if (!reply.ok()) {
    return reply.status();
  }
  if (IsErrorReply(*reply)) {
    return d.ErrorReply(kSupported, *reply);
  }
  d.features.clear();
  for (absl::string_view item : absl::StrSplit(*reply, ';', absl::SkipEmpty())) {
    if (const size_t eq = item.find('='); eq != std::string_view::npos) {
      d.features[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
    } else if (item.back() == '+' || item.back() == '-' || item.back() == '?') {
      d.features[std::string(item.substr(0, item.size() - 1))] = std::string(1, item.back());
    }
  }
  d.packet_size = kDefaultPacketSize;
  if (auto it = d.features.find("PacketSize"); it != d.features.end()) {
    uint64_t size = 0;
    if (!ParseHex(it->second, size)) {
      return absl::InternalError(absl::StrCat(d.Peer(), " sent an invalid PacketSize '", it->second,
                                              "' in its qSupported reply"));
    }
    d.packet_size = static_cast<size_t>(std::clamp<uint64_t>(size, kMinPacketSize, kMaxPacketSize));
  }
  if (d.options.no_ack && d.ack_mode && Supports("QStartNoAckMode")) {
    auto ok = d.Exchange("QStartNoAckMode");
    if (!ok.ok()) {
      return ok.status();
    }
    // Anything but OK leaves the server in ack mode, which works too, only slower.
    d.ack_mode = *ok != "OK";
  }
  if (Supports("qXfer:features:read")) {
    // Read the target description now: besides naming the registers, QEMU answers `p` and `P`
    // only on a connection that has read target.xml. A malformed description is reported by
    // FindRegister(); only a failing connection fails the handshake.
    d.description.reset();
    auto description = ReadTargetDescription();
    if (!description.ok() && (absl::IsUnavailable(description.status()) ||
                              absl::IsDeadlineExceeded(description.status()))) {
      return description.status();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Client::Request(std::string_view payload) {
  auto reply = impl_->Exchange(payload);
  if (reply.ok() && IsErrorReply(*reply)) {
    return impl_->ErrorReply(payload, *reply);
  }
  return reply;
}

size_t Client::packet_size() const {
  return impl_->packet_size;
}
bool Client::no_ack() const {
  return !impl_->ack_mode;
}
bool Client::running() const {
  return impl_->running;
}

bool Client::Supports(std::string_view feature) const {
  auto it = impl_->features.find(feature);
  return it != impl_->features.end() && it->second != "-" && it->second != "?";
}

std::string Client::Feature(std::string_view name) const {
  auto it = impl_->features.find(name);
  return it == impl_->features.end() ? std::string() : it->second;
}

std::string Client::TakeConsoleOutput() {
  return std::exchange(impl_->console, std::string());
}

absl::StatusOr<std::vector<uint8_t>> Client::ReadMemory(uint64_t address, size_t length,
                                                        const ProgressFn &progress) {
  Impl &d = *impl_;
  std::vector<uint8_t> out;
  out.reserve(length);
  const size_t chunk = std::max<size_t>(1, d.PayloadLimit() / 2);
  while (out.size() < length) {
    const uint64_t at = address + out.size();
    const size_t want = std::min(chunk, length - out.size());
    const std::string request = absl::StrFormat("m%x,%x", at, want);
    auto reply = Request(request);
    if (!reply.ok()) {
      return reply.status();
    }
    auto bytes = HexDecode(*reply);
    if (!bytes.ok() || bytes->size() > want) {
      return absl::InternalError(absl::StrCat(d.Peer(), " replied \"", Brief(*reply), "\" to \"",
                                              request, "\", expected ", want, " bytes in hex"));
    }
    if (bytes->empty()) {
      return absl::FailedPreconditionError(
          absl::StrFormat("%s returned no bytes for \"%s\" (memory at 0x%x cannot be read)",
                          d.Peer(), request, at));
    }
    // A server may return fewer bytes than asked (the end of a readable region); ask again for
    // the rest, which either continues or fails with the server's error.
    out.insert(out.end(), bytes->begin(), bytes->end());
    if (progress) {
      progress(out.size(), length);
    }
  }
  return out;
}

absl::Status Client::WriteMemory(uint64_t address, std::span<const uint8_t> data,
                                 const ProgressFn &progress) {
  Impl &d = *impl_;
  size_t done = 0;
  while (done < data.size()) {
    const uint64_t at = address + done;
    const std::span<const uint8_t> rest = data.subspan(done);
    // The header's size with the largest length this packet could carry.
    const size_t header = absl::StrFormat("X%x,%x:", at, rest.size()).size();
    const size_t room = d.PayloadLimit() > header ? d.PayloadLimit() - header : 1;
    size_t count = 0;
    std::string request;
    if (d.binary_write.value_or(true)) {
      // As many bytes as fit once escaped.
      size_t escaped = 0;
      while (count < rest.size()) {
        const uint8_t b = rest[count];
        const size_t cost = (b == '$' || b == '#' || b == '}' || b == '*') ? 2 : 1;
        if (escaped + cost > room) {
          break;
        }
        escaped += cost;
        ++count;
      }
      count = std::max<size_t>(count, 1);
      request = absl::StrFormat("X%x,%x:", at, count);
      request += EscapeBinary(rest.first(count));
      auto reply = d.Exchange(request);
      if (!reply.ok()) {
        return reply.status();
      }
      if (reply->empty() && !d.binary_write.has_value()) {
        d.binary_write = false;  // the server has no X: every write from now on uses M
        continue;
      }
      if (*reply != "OK") {
        return IsErrorReply(*reply) ? d.ErrorReply(request, *reply)
                                    : absl::InternalError(absl::StrCat(
                                          d.Peer(), " replied \"", Brief(*reply), "\" to \"",
                                          Brief(request), "\", expected OK"));
      }
      d.binary_write = true;
    } else {
      count = std::min(rest.size(), std::max<size_t>(1, room / 2));
      request = absl::StrFormat("M%x,%x:", at, count);
      request += HexEncode(rest.first(count));
      if (absl::Status status = d.ExpectOk(request, "memory writes (M)"); !status.ok()) {
        return status;
      }
    }
    done += count;
    if (progress) {
      progress(done, data.size());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<uint8_t>> Client::ReadRegisters() {
  auto reply = Request("g");
  if (!reply.ok()) {
    return reply.status();
  }
  auto bytes = HexDecode(*reply);
  if (!bytes.ok()) {
    return absl::InternalError(absl::StrCat(impl_->Peer(), " replied \"", Brief(*reply),
                                            "\" to \"g\": ", bytes.status().message()));
  }
  return bytes;
}

absl::StatusOr<uint64_t> Client::ReadRegister(int number) {
  Impl &d = *impl_;
  const std::string request = absl::StrFormat("p%x", number);
  auto reply = Request(request);
  if (!reply.ok()) {
    return reply.status();
  }
  if (reply->empty()) {
    return d.Unsupported(request, "reading single registers (p)");
  }
  auto bytes = HexDecode(*reply);
  if (!bytes.ok() || bytes->empty()) {
    // "xx..." marks a register whose value is unavailable.
    return absl::FailedPreconditionError(absl::StrCat(
        d.Peer(), " replied \"", Brief(*reply), "\" to \"", request, "\": no register value"));
  }
  d.register_bytes[number] = bytes->size();
  uint64_t value = 0;
  for (size_t i = std::min<size_t>(bytes->size(), 8); i-- > 0;) {
    value = value << 8 | (*bytes)[i];
  }
  return value;
}

absl::Status Client::WriteRegister(int number, uint64_t value) {
  Impl &d = *impl_;
  size_t size = 0;
  if (auto it = d.register_bytes.find(number); it != d.register_bytes.end()) {
    size = it->second;
  } else if (d.description.has_value()) {
    for (const RegisterInfo &reg : d.description->registers) {
      if (reg.number == number) {
        size = static_cast<size_t>((reg.bitsize + 7) / 8);
      }
    }
  }
  if (size == 0) {
    auto current = ReadRegister(number);  // learns the size
    if (!current.ok()) {
      return current.status();
    }
    size = d.register_bytes[number];
  }
  std::vector<uint8_t> bytes(size, 0);
  for (size_t i = 0; i < size && i < 8; ++i) {
    bytes[i] = static_cast<uint8_t>(value >> (8 * i));
  }
  return d.ExpectOk(absl::StrFormat("P%x=%s", number, HexEncode(bytes)),
                    "writing single registers (P)");
}

absl::StatusOr<std::string> Client::ReadFeatureDocument(std::string_view annex) {
  Impl &d = *impl_;
  std::string document;
  const size_t chunk = std::max<size_t>(kMinPacketSize, d.PayloadLimit());
  while (true) {
    const std::string request =
        absl::StrFormat("qXfer:features:read:%s:%x,%x", annex, document.size(), chunk);
    auto reply = Request(request);
    if (!reply.ok()) {
      return reply.status();
    }
    if (reply->empty()) {
      return d.Unsupported(request, "target descriptions (qXfer:features:read)");
    }
    if ((*reply)[0] != 'm' && (*reply)[0] != 'l') {
      return absl::InternalError(
          absl::StrCat(d.Peer(), " replied \"", Brief(*reply), "\" to \"", request, "\""));
    }
    auto data = UnescapeBinary(std::string_view(*reply).substr(1));
    if (!data.ok()) {
      return absl::InternalError(
          absl::StrCat(d.Peer(), " replied to \"", request,
                       "\" with bad binary data: ", data.status().message()));
    }
    document += *data;
    if ((*reply)[0] == 'l') {
      return document;
    }
    if (data->empty()) {
      return absl::InternalError(
          absl::StrCat(d.Peer(), " replied \"m\" with no data to \"", request, "\""));
    }
  }
}

absl::StatusOr<TargetDescription> Client::ReadTargetDescription() {
  Impl &d = *impl_;
  if (d.description.has_value()) {
    return *d.description;
  }
  auto xml = ReadFeatureDocument("target.xml");
  if (!xml.ok()) {
    return xml.status();
  }
  auto description = ParseTargetDescription(
      *xml, [this](std::string_view annex) { return ReadFeatureDocument(annex); });
  if (!description.ok()) {
    return absl::Status(description.status().code(),
                        absl::StrCat(d.Peer(), ": ", description.status().message()));
  }
  d.description = *std::move(description);
  return *d.description;
}

absl::StatusOr<RegisterInfo> Client::FindRegister(std::string_view name) {
  auto description = ReadTargetDescription();
  if (!description.ok()) {
    return description.status();
  }
  if (const RegisterInfo *reg = description->Find(name)) {
    return *reg;
  }
  std::string names;
  for (const RegisterInfo &reg : description->registers) {
    absl::StrAppend(&names, names.empty() ? "" : " ", reg.name);
  }
  return absl::NotFoundError(absl::StrCat(impl_->Peer(), " has no register named \"", Av(name),
                                          "\"; its registers: ", names));
}

namespace {

std::string BreakpointPacket(char op, uint64_t address, bool hardware, int kind) {
  return absl::StrFormat("%c%d,%x,%x", op, hardware ? 1 : 0, address, kind);
}

std::string_view BreakpointKind(bool hardware) {
  return hardware ? "hardware breakpoints (Z1/z1)" : "software breakpoints (Z0/z0)";
}

}  // namespace

absl::Status Client::InsertBreakpoint(uint64_t address, bool hardware, int kind) {
  Impl &d = *impl_;
  absl::Status status =
      d.ExpectOk(BreakpointPacket('Z', address, hardware, kind), BreakpointKind(hardware));
  if (status.ok()) {
    auto &list = d.breakpoints;
    if (std::none_of(list.begin(), list.end(), [&](const Impl::Breakpoint &b) {
          return b.address == address && b.hardware == hardware;
        })) {
      list.push_back({address, hardware, kind});
    }
  }
  return status;
}

absl::Status Client::RemoveBreakpoint(uint64_t address, bool hardware, int kind) {
  Impl &d = *impl_;
  absl::Status status =
      d.ExpectOk(BreakpointPacket('z', address, hardware, kind), BreakpointKind(hardware));
  if (status.ok()) {
    std::erase_if(d.breakpoints, [&](const Impl::Breakpoint &b) {
      return b.address == address && b.hardware == hardware;
    });
  }
  return status;
}

absl::Status Client::Continue() {
  Impl &d = *impl_;
  if (absl::Status status = d.CheckUsable("c"); !status.ok()) {
    return status;
  }
  if (d.running) {
    return absl::FailedPreconditionError("the target is already running");
  }
  // A target stopped at one of our breakpoints would stop there again at once (QEMU does):
  // step off it with the breakpoint lifted, as gdb does. This needs the pc's number, so only
  // servers with a target description get it.
  if (!d.breakpoints.empty() && Supports("qXfer:features:read")) {
    auto pc_reg = FindRegister("pc");
    if (pc_reg.ok()) {
      auto pc = ReadRegister(pc_reg->number);
      if (!pc.ok()) {
        return pc.status();
      }
      for (const Impl::Breakpoint b : d.breakpoints) {
        if (b.address != *pc) {
          continue;
        }
        if (absl::Status status = d.ExpectOk(BreakpointPacket('z', b.address, b.hardware, b.kind),
                                             BreakpointKind(b.hardware));
            !status.ok()) {
          return status;
        }
        auto stepped = Step();
        if (!stepped.ok()) {
          return stepped.status();
        }
        if (stepped->kind != StopReply::Kind::kSignal) {
          // The program ended during the step: nothing to put the breakpoint back into. That
          // end is the stop the caller's WaitStop() reports.
          d.breakpoints.clear();
          d.pending_stop = *stepped;
          d.running = true;
          return absl::OkStatus();
        }
        if (absl::Status status = d.ExpectOk(BreakpointPacket('Z', b.address, b.hardware, b.kind),
                                             BreakpointKind(b.hardware));
            !status.ok()) {
          return status;
        }
        if (stepped->signal != kSigTrap) {
          // The step stopped for another reason (a fault): report that rather than run on.
          d.pending_stop = *stepped;
          d.running = true;
          return absl::OkStatus();
        }
        break;
      }
    }
  }
  if (absl::Status status = d.Send("c", absl::Now() + d.options.reply_timeout); !status.ok()) {
    return d.Annotate(status, "c", "sending");
  }
  d.running = true;
  return absl::OkStatus();
}

absl::StatusOr<StopReply> Client::Step() {
  Impl &d = *impl_;
  if (absl::Status status = d.CheckUsable("s"); !status.ok()) {
    return status;
  }
  if (d.running) {
    return absl::FailedPreconditionError("cannot step: the target is running; interrupt it first");
  }
  if (absl::Status status = d.Send("s", absl::Now() + d.options.reply_timeout); !status.ok()) {
    return d.Annotate(status, "s", "sending");
  }
  d.running = true;
  return d.AwaitStop(d.options.reply_timeout);
}

absl::StatusOr<StopReply> Client::WaitStop(absl::Duration timeout) {
  Impl &d = *impl_;
  if (!d.running) {
    return absl::FailedPreconditionError(
        "no stop reply to wait for: the target is not running (Continue first)");
  }
  return d.AwaitStop(timeout);
}

absl::StatusOr<StopReply> Client::Interrupt(absl::Duration timeout) {
  Impl &d = *impl_;
  if (!d.running) {
    return QueryHalt();
  }
  // The target may have stopped on its own already (a breakpoint, or an exit after which the
  // server closed the connection): that stop reply is the answer, and writing the interrupt
  // byte to a closed connection would lose it.
  auto early = d.AwaitStop(absl::ZeroDuration());
  if (early.ok() || !absl::IsDeadlineExceeded(early.status())) {
    return early;
  }
  if (absl::Status status = d.WriteRaw("\x03"); !status.ok()) {
    d.running = false;
    return status;
  }
  return d.AwaitStop(timeout);
}

absl::StatusOr<StopReply> Client::QueryHalt() {
  auto reply = Request("?");
  if (!reply.ok()) {
    return reply.status();
  }
  auto stop = ParseStopReply(*reply);
  if (!stop.ok()) {
    return absl::InternalError(absl::StrCat(impl_->Peer(), ": ", stop.status().message()));
  }
  return stop;
}

absl::StatusOr<std::string> Client::Monitor(std::string_view command) {
  Impl &d = *impl_;
  const std::string request = absl::StrCat("qRcmd,", HexEncode(command));
  std::string output;
  d.capture = &output;
  auto reply = d.Exchange(request);
  d.capture = nullptr;
  if (!reply.ok()) {
    return reply.status();
  }
  if (*reply == "OK") {
    return output;
  }
  if (reply->empty()) {
    return d.Unsupported(request, "monitor commands (qRcmd)");
  }
  if (IsErrorReply(*reply)) {
    return absl::FailedPreconditionError(absl::StrCat(d.Peer(), " replied ", *reply,
                                                      " to monitor command \"", Av(command), "\"",
                                                      output.empty() ? "" : ": ", output));
  }
  // Some servers answer with the output itself (hex) instead of O packets and OK.
  auto bytes = HexDecode(*reply);
  if (!bytes.ok()) {
    return absl::InternalError(absl::StrCat(d.Peer(), " replied \"", Brief(*reply),
                                            "\" to monitor command \"", Av(command), "\""));
  }
  output.append(bytes->begin(), bytes->end());
  return output;
}

absl::Status Client::Kill() {
  Impl &d = *impl_;
  if (d.closed) {
    return absl::OkStatus();  // nothing left to kill on this connection
  }
  // QEMU ignores the process id; a multiprocess-aware server would want the real one, but a
  // client that never negotiated multiprocess debugs process 1 by convention.
  d.running = false;
  auto reply = d.Exchange("vKill;1");
  if (!reply.ok()) {
    if (absl::IsUnavailable(reply.status())) {
      return absl::OkStatus();  // the server went away with its target: killed
    }
    return reply.status();
  }
  if (reply->empty()) {
    // No vKill: the old `k`, which has no reply; the server may close the connection.
    if (absl::Status status = d.Send("k", absl::Now() + d.options.reply_timeout);
        !status.ok() && !absl::IsUnavailable(status)) {
      return status;
    }
  } else if (*reply != "OK") {
    return IsErrorReply(*reply) ? d.ErrorReply("vKill;1", *reply)
                                : absl::InternalError(absl::StrCat(
                                      d.Peer(), " replied \"", Brief(*reply), "\" to \"vKill;1\""));
  }
  d.closed = true;
  return absl::OkStatus();
}

}  // namespace gale::gdb
