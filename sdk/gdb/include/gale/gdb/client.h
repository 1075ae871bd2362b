// A client of the GDB remote serial protocol (RSP): what a host tool needs to load, inspect and
// run a target through any gdbserver (QEMU's gdbstub, OpenOCD, J-Link, pyOCD).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gale/gdb/target_description.h"

namespace gale::gdb {

/// A byte stream to a gdbserver. Implementations: unix and TCP sockets; tests add recorded
/// exchanges.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual absl::Status Write(std::string_view bytes) = 0;
  /// Reads at least one byte, waiting at most `timeout`. DeadlineExceeded on timeout,
  /// Unavailable when the peer closed the connection.
  virtual absl::StatusOr<std::string> Read(absl::Duration timeout) = 0;
  /// Names the peer in error messages: "gdbserver at unix:/tmp/x/gdb.sock".
  virtual std::string Describe() const { return "gdbserver"; }
};

/// Connects to "unix:/path", "tcp:HOST:PORT" or "HOST:PORT" ("[::1]:1234" for IPv6).
/// InvalidArgument for a malformed address, Unavailable (naming the address and the system's
/// reason) when nothing accepts the connection within `timeout`.
absl::StatusOr<std::unique_ptr<Transport>> Connect(const std::string &address,
                                                   absl::Duration timeout = absl::Seconds(5));

/// Why the target stopped (a stop-reply packet: S, T, W, X).
struct StopReply {
  enum class Kind { kSignal, kExited, kTerminated };
  Kind kind = Kind::kSignal;
  int signal = 0;     ///< for kSignal / kTerminated
  int exit_code = 0;  ///< for kExited
  std::string raw;    ///< the packet as received
};

struct ClientOptions {
  absl::Duration reply_timeout = absl::Seconds(10);
  bool no_ack = true;  ///< use QStartNoAckMode when the server supports it
  /// How often a packet is resent after the server NAKs it ('-') before giving up (ack mode).
  int max_retransmits = 3;
  /// Receives the target's console output ('O' packets) as it arrives, outside Monitor().
  /// When unset, the output is kept for TakeConsoleOutput().
  std::function<void(std::string_view)> console_output;
};

/// Progress of a long memory transfer: bytes done of total.
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

/// One connection to a gdbserver. Not thread-safe: one caller at a time (the device that owns it
/// serialises access). Every error names the request that failed and the server's reply.
class Client {
 public:
  explicit Client(std::unique_ptr<Transport> transport, ClientOptions options = {});
  ~Client();

  /// qSupported exchange (learns PacketSize, binary upload, no-ack), then QStartNoAckMode, then
  /// the target description when the server offers one (QEMU answers `p`/`P` only after it).
  /// Call once, first.
  absl::Status Handshake();
  /// Sends one packet and returns the reply payload. Error replies ("Exx") become errors.
  absl::StatusOr<std::string> Request(std::string_view payload);

  size_t packet_size() const;
  bool no_ack() const;
  /// True after Continue() until a stop reply arrives: only Interrupt/WaitStop/Kill are valid.
  bool running() const;
  /// True when qSupported listed `feature` as supported ("name+" or "name=value").
  bool Supports(std::string_view feature) const;
  /// The value of a "name=value" qSupported feature ("" when absent).
  std::string Feature(std::string_view name) const;
  /// Console output ('O' packets) received so far and not yet taken (when no console_output
  /// callback is set).
  std::string TakeConsoleOutput();

  /// Memory, split into packets sized by PacketSize. Writes use binary `X` when the server
  /// accepts it, else hex `M`.
  absl::StatusOr<std::vector<uint8_t>> ReadMemory(uint64_t address, size_t length,
                                                  const ProgressFn &progress = {});
  absl::Status WriteMemory(uint64_t address, std::span<const uint8_t> data,
                           const ProgressFn &progress = {});

  /// All general registers as the `g` packet gives them (target byte order).
  absl::StatusOr<std::vector<uint8_t>> ReadRegisters();
  /// One register by its gdb number (`p`), little-endian value.
  absl::StatusOr<uint64_t> ReadRegister(int number);
  /// `P`, at the register's size (from the target description, else from reading it once).
  absl::Status WriteRegister(int number, uint64_t value);

  /// qXfer:features:read of one document ("target.xml"). Unimplemented when the server offers
  /// no target description.
  absl::StatusOr<std::string> ReadFeatureDocument(std::string_view annex);
  /// The server's target description (target.xml with its includes), read once and cached.
  absl::StatusOr<TargetDescription> ReadTargetDescription();
  /// A register looked up by name in the target description. NotFound names the registers the
  /// target has; Unimplemented when the server has no target description.
  absl::StatusOr<RegisterInfo> FindRegister(std::string_view name);

  /// Z0/z0 software and Z1/z1 hardware breakpoints.
  absl::Status InsertBreakpoint(uint64_t address, bool hardware = false, int kind = 2);
  absl::Status RemoveBreakpoint(uint64_t address, bool hardware = false, int kind = 2);

  /// `c`: resumes and returns at once; call WaitStop for the stop reply. A target stopped at a
  /// breakpoint this client inserted first steps off it with the breakpoint lifted (as gdb
  /// does; QEMU would otherwise report the same breakpoint again at once).
  absl::Status Continue();
  /// `s`: one instruction; returns the stop reply.
  absl::StatusOr<StopReply> Step();
  /// Waits for a stop reply after Continue. DeadlineExceeded when none arrives in `timeout`
  /// (the target is still running); a zero timeout polls. Unavailable when the server closed the
  /// connection without one.
  absl::StatusOr<StopReply> WaitStop(absl::Duration timeout);
  /// Sends the interrupt byte (0x03) and waits for the stop reply. A stop reply that already
  /// arrived (the target hit a breakpoint or exited) is returned without interrupting. A target
  /// that is not running is left as it is and its halt reason (`?`) returned.
  absl::StatusOr<StopReply> Interrupt(absl::Duration timeout = absl::Seconds(5));
  /// `?`: why the target is stopped now.
  absl::StatusOr<StopReply> QueryHalt();
  /// `qRcmd`: a monitor command; returns its console output.
  absl::StatusOr<std::string> Monitor(std::string_view command);
  /// `vKill` (falls back to `k`): ends the debugged process. For QEMU this ends the emulator;
  /// the connection is closed afterwards and the client unusable.
  absl::Status Kill();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gale::gdb
