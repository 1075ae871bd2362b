// A real QEMU for tests: qemu-system-arm started halted (-S) with its gdbstub and first UART on
// sockets in a fresh temporary folder, killed (and its folder removed) when the object goes.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gale/gdb/client.h"

namespace gale::gdb::testing {

/// The full path of `program` found on PATH, or nullopt.
std::optional<std::string> FindProgram(std::string_view program);

class QemuGdbstub {
 public:
  struct Options {
    std::string program = "qemu-system-arm";
    std::string machine = "lm3s6965evb";
    std::vector<std::string> extra_args;  ///< e.g. {"-bios", "none"} for RISC-V virt
    bool tcp = false;  ///< gdbstub on a TCP port of 127.0.0.1 instead of a unix socket
  };

  /// Starts QEMU (qemu-system-arm by default) as Gale's emulated devices run it:
  ///   -M MACHINE -nographic -monitor none -S -gdb unix:DIR/gdb.sock,server=on,wait=off
  ///   -chardev socket,id=ser0,path=DIR/uart.sock,server=on,wait=off -serial chardev:ser0
  ///   -icount shift=0,align=off,sleep=off -semihosting-config enable=on,target=native
  /// and waits for both sockets. FailedPrecondition when the QEMU program is not installed.
  static absl::StatusOr<std::unique_ptr<QemuGdbstub>> Start(const Options &options);
  static absl::StatusOr<std::unique_ptr<QemuGdbstub>> Start() { return Start(Options{}); }
  ~QemuGdbstub();

  /// "unix:DIR/gdb.sock" or "tcp:127.0.0.1:PORT".
  const std::string &gdb_address() const { return gdb_address_; }
  const std::string &uart_path() const { return uart_path_; }
  pid_t pid() const { return pid_; }

  /// Connects to the gdbstub and handshakes.
  absl::StatusOr<std::unique_ptr<Client>> Attach(ClientOptions options = {});

  /// Waits up to `timeout` for QEMU to end; its exit status, or 128 + signal when killed by one.
  std::optional<int> WaitExit(absl::Duration timeout);
  /// Kills QEMU now (SIGKILL) and reaps it.
  void Kill();
  /// What QEMU printed (stdout and stderr).
  std::string Log() const;

 private:
  QemuGdbstub() = default;

  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  std::string dir_;
  std::string gdb_address_;
  std::string uart_path_;
};

/// The far end of a QEMU UART socket: collects what the target prints.
class UartReader {
 public:
  static absl::StatusOr<std::unique_ptr<UartReader>> Connect(const std::string &path);

  /// Reads until the output so far contains `needle` `count` times; DeadlineExceeded (with what
  /// was read) when it does not within `timeout`.
  absl::Status WaitFor(std::string_view needle, absl::Duration timeout, int count = 1);
  const std::string &text() const { return text_; }

 private:
  explicit UartReader(std::unique_ptr<Transport> stream) : stream_(std::move(stream)) {}
  std::unique_ptr<Transport> stream_;
  std::string text_;
};

}  // namespace gale::gdb::testing
