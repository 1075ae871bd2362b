// The OpenOCD runner: one persistent OpenOCD process per physical device, bound to loopback and
// driven over its Tcl RPC port; flash (erase, write, verify, reset), reset, halt/resume, memory
// access (also as an rtt::MemoryAccess), and its GDB server port for debuggers.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gale/boards/catalog.h"
#include "gale/rtt/memory_access.h"
#include "gale/runners/child_process.h"
#include "gale/runners/gdbremote.h"
#include "gale/runners/openocd_errors.h"
#include "gale/runners/openocd_tcl.h"

namespace gale::runners {

struct OpenOcdOptions {
  std::string binary = "openocd";  ///< looked up in PATH
  /// Scripts, each passed as `-f FILE` in this order (interface first, then target).
  std::vector<std::string> configs;
  /// Extra commands, each passed as `-c CMD` after the configs (before OpenOCD's `init`).
  std::vector<std::string> commands;
  std::string serial;              ///< `adapter serial` (empty: any probe the interface finds)
  std::string transport;           ///< `transport select` (empty: the interface's default)
  uint32_t adapter_speed_khz = 0;  ///< `adapter speed` (0: the scripts' choice)
  /// Folder for openocd.log (OpenOCD's whole output); created 0700 if missing.
  std::string run_dir;
  /// Names the device in messages: "bench-1 (serial 0669FF...)". Empty: "OpenOCD".
  std::string label;
  /// From start to a served Tcl command: OpenOCD has examined the target by then.
  absl::Duration start_timeout = absl::Seconds(20);
  absl::Duration command_timeout = absl::Seconds(10);  ///< reset, halt, memory, verify
  absl::Duration flash_timeout = absl::Minutes(5);     ///< erase and write
};

/// The options for `board` and the probe `serial`: its `openocd:` settings, a relative config
/// that exists in the board's folder becoming that path (others are OpenOCD's own scripts).
/// FailedPrecondition when the board has no `openocd:` settings (naming the board).
absl::StatusOr<OpenOcdOptions> OpenOcdOptionsForBoard(const boards::Board &board,
                                                      const std::string &serial);

/// The argv Start() runs, for logs and docs:
/// `openocd -c "bindto 127.0.0.1" -c "tcl_port 0" -c "gdb_port 0" -c "telnet_port disabled"
///  -f IFACE [-c "transport select T"] -f TARGET... [-c "adapter serial S"]
///  [-c "adapter speed K"] [-c CMD]...`
/// (`transport select` right after the first `interface/` script, else after the first script,
/// so that the target scripts see it; speed last, to override the target script's default.)
std::vector<std::string> OpenOcdCommandLine(const OpenOcdOptions &options);

/// One running OpenOCD and a Tcl RPC connection to it. Thread-safe: commands are serialised.
///
/// Ports are chosen by OpenOCD (`tcl_port 0`, `gdb_port 0`) and read from its output, so two
/// servers never race for one. The process gets PR_SET_PDEATHSIG (ChildProcess): it dies with
/// the daemon.
class OpenOcdServer {
 public:
  /// Starts OpenOCD and waits until it serves Tcl commands (it has then initialised the probe
  /// and examined the target). A process that exits meanwhile gives its classified error
  /// (see openocd_errors.h), e.g. Unavailable "bench-1 (serial 0669FF...): no probe found: ...
  /// (OpenOCD exited with status 1; log: RUN_DIR/openocd.log)"; one that does not become ready
  /// in options.start_timeout is killed (DeadlineExceeded, class timeout unless its output says
  /// more). NotFound when openocd is not installed; InvalidArgument without configs or run_dir.
  static absl::StatusOr<std::unique_ptr<OpenOcdServer>> Start(const OpenOcdOptions &options);

  /// Asks OpenOCD to shut down, then kills it if it has not ended within a second.
  ~OpenOcdServer();
  OpenOcdServer(const OpenOcdServer &) = delete;
  OpenOcdServer &operator=(const OpenOcdServer &) = delete;

  const OpenOcdOptions &options() const { return options_; }
  int tcl_port() const { return tcl_port_; }
  /// The first target's GDB server port; 0 when OpenOCD opened none (no target configured).
  int gdb_port() const { return gdb_port_; }
  /// "tcp:127.0.0.1:PORT", or empty without a GDB port.
  std::string gdb_address() const;
  const std::string &log_path() const { return log_path_; }
  /// The whole log so far.
  std::string LogText() const;
  bool running() const { return process_->running(); }
  ChildProcess &process() { return *process_; }

  /// Runs one command (`timeout` 0: options.command_timeout) and returns its result text.
  /// A failing command gives its classified error: the message is one line with OpenOCD's own
  /// message (or the Error line it logged) and the log path; the output the command produced is
  /// the status's payload (OpenOcdOutputOf). A timeout kills OpenOCD (it is stuck in the
  /// command; the stream is out of step): DeadlineExceeded, class timeout. Unavailable when
  /// OpenOCD has exited (with its exit status and classified last words). A server that timed
  /// out or exited stays unusable: start a new one.
  absl::StatusOr<std::string> Command(std::string_view command,
                                      absl::Duration timeout = absl::ZeroDuration());

  /// Flashes `image` (ELF or Intel HEX, detected from its content): `reset init` (phase
  /// "connect"), `flash write_image erase` ("write": erase and write), `verify_image`
  /// ("verify", with options.verify), `reset run` or, without options.run, `reset halt`
  /// ("reset"). Progress is reported at the start (done 0) and end (done 1) of each phase, out
  /// of 1. InvalidArgument for a missing file or another format; errors as Command().
  absl::StatusOr<FlashResult> Flash(const std::string &image, const FlashOptions &options);
  /// `reset init`, then every sector of every flash bank erased.
  absl::Status Erase();
  /// `reset halt` or `reset run`.
  absl::Status Reset(bool halt);
  absl::Status Halt();
  absl::Status Resume();
  /// `read_memory ADDR 8 N` in pieces of 16 KiB (OpenOCD reads a running Cortex-M through
  /// its debug port without halting it).
  absl::StatusOr<std::vector<uint8_t>> ReadMemory(uint64_t address, size_t length);
  absl::Status WriteMemory(uint64_t address, std::span<const uint8_t> data);

  /// Kills OpenOCD and returns how it ended.
  ExitStatus Stop();

 private:
  OpenOcdServer() = default;
  std::string Label() const;
  std::string ReasonSerial() const;
  absl::Status CommandError(const absl::Status &cause, std::string_view command,
                            std::string_view output);

  OpenOcdOptions options_;
  std::string log_path_;
  int tcl_port_ = 0;
  int gdb_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
  std::mutex mu_;  ///< one command at a time; guards client_
  std::unique_ptr<OpenOcdTclClient> client_;
};

/// rtt::MemoryAccess over a server: RTT control block search and ring buffers through OpenOCD.
class OpenOcdMemoryAccess final : public rtt::MemoryAccess {
 public:
  explicit OpenOcdMemoryAccess(OpenOcdServer &server) : server_(server) {}
  absl::StatusOr<std::vector<uint8_t>> Read(uint64_t address, size_t length) override {
    return server_.ReadMemory(address, length);
  }
  absl::Status Write(uint64_t address, std::span<const uint8_t> data) override {
    return server_.WriteMemory(address, data);
  }

 private:
  OpenOcdServer &server_;
};

}  // namespace gale::runners
