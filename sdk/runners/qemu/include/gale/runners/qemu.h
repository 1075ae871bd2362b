// The QEMU runner: one emulator process for an emulated board, started blank and held at reset,
// with its gdbstub and first UART on unix sockets in a private run folder.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gale/boards/catalog.h"
#include "gale/runners/child_process.h"

namespace gale::runners {

struct QemuOptions {
  std::string binary;   ///< e.g. "qemu-system-arm" (looked up in PATH)
  std::string machine;  ///< -M, e.g. "lm3s6965evb"
  std::string arch;     ///< the board's arch: "arm", "riscv", "riscv64"
  /// -icount shift=N,align=off,sleep=off (deterministic virtual time: N=0 is one instruction
  /// per virtual nanosecond). nullopt: no -icount (virtual time follows the host clock).
  std::optional<int> icount_shift = 0;
  /// -semihosting-config enable=on,target=native: a test image's exit() ends QEMU with the
  /// image's status.
  bool semihosting = true;
  std::vector<std::string> extra_args;  ///< appended to the command line
  /// Folder for gdb.sock, the UART pipes uart.in and uart.out, and qemu.log; created with mode 0700 (parents too) if
  /// missing. Unix socket paths are limited to 107 bytes, so keep it short.
  std::string run_dir;
  /// How long QEMU may take to open its sockets.
  absl::Duration start_timeout = absl::Seconds(10);
};

/// The emulator settings of `board` (from its board.yaml): FailedPrecondition when the board is
/// not emulated by QEMU (naming the board and its emulator), InvalidArgument when it has no
/// qemu_machine or an arch with no QEMU. `run_dir` is left empty.
absl::StatusOr<QemuOptions> QemuOptionsForBoard(const boards::Board &board);

/// The command line Start() runs (argv, binary first), for logs and documentation.
std::vector<std::string> QemuCommandLine(const QemuOptions &options);

/// One QEMU process. The CPU is held at reset (`-S`) with nothing loaded; a gdb client loads and
/// starts an image. The UART is a pair of FIFOs that Start() creates and QEMU holds open
/// read-write, so output waits in the pipe (64 KiB) until it is read and nothing is lost before
/// the reader comes; Start() keeps the read end of uart.out (`uart_fd()`) and the write end of
/// uart.in (`uart_input_fd()`) for the instance's life.
///
/// Note on the gdbstub: connecting to it pauses the VM; closing the connection leaves the VM as
/// it was (paused, or running after a `c`); a `D` (detach) resumes it. A reset without the
/// monitor is `qRcmd system_reset` through the gdbstub (QEMU hands qRcmd to an internal HMP
/// monitor even with `-monitor none`).
///
/// Thread-safe for the const accessors; Stop() may be called from any thread.
class QemuInstance {
 public:
  /// Starts QEMU and waits (up to options.start_timeout) for its sockets. On failure the process
  /// is killed and the error quotes the end of QEMU's output, e.g.
  /// "qemu-system-arm -M foo exited with status 1 at start-up: qemu-system-arm: unsupported
  /// machine type; ...". NotFound when the binary is not installed.
  static absl::StatusOr<std::unique_ptr<QemuInstance>> Start(const QemuOptions &options);

  /// Kills QEMU (SIGKILL), reaps it, closes the UART connection and removes the sockets.
  ~QemuInstance();

  const QemuOptions &options() const { return options_; }
  /// The program name, e.g. "qemu-system-arm", for messages.
  const std::string &binary() const { return options_.binary; }
  /// "unix:<run_dir>/gdb.sock"
  std::string gdb_address() const { return "unix:" + gdb_path_; }
  const std::string &gdb_path() const { return gdb_path_; }
  /// "pipe:<run_dir>/uart" in QEMU's notation: uart.in and uart.out (held by this instance).
  std::string uart_address() const { return "pipe:" + uart_path_; }
  /// The UART's output (blocking, close-on-exec), owned by the instance. A read returns 0 once
  /// QEMU has ended: Stop() before joining a reader thread.
  int uart_fd() const { return uart_fd_; }
  /// The UART's input (non-blocking, close-on-exec), owned by the instance. Writing never
  /// raises SIGPIPE; once QEMU has ended, the pipe fills and a write fails with EAGAIN.
  int uart_input_fd() const { return uart_input_fd_; }

  ChildProcess &process() { return *process_; }
  const ChildProcess &process() const { return *process_; }

  /// The last `max_bytes` of QEMU's stdout and stderr (the log file), without QEMU's start-up
  /// chatter, as one line ("; " between lines).
  std::string OutputTail(size_t max_bytes = 1500) const;

  /// Kills QEMU and waits for it; returns how it ended (its real status if it had already ended).
  ExitStatus Stop();

 private:
  QemuInstance() = default;
  void RemoveRunFiles() const;

  QemuOptions options_;
  std::string gdb_path_;
  std::string uart_path_;
  std::string log_path_;
  int uart_fd_ = -1;
  int uart_input_fd_ = -1;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace gale::runners
