// A client of OpenOCD's Tcl RPC server: one TCP connection to 127.0.0.1:PORT, each script sent
// terminated by 0x1a and each reply read up to the 0x1a that ends it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gale::runners {

/// Quotes `text` as one Tcl word (a double-quoted string with `\ $ [ ] " { }` escaped), so
/// that file names and user commands reach OpenOCD unchanged.
std::string TclQuote(std::string_view text);

/// One connection to an OpenOCD Tcl RPC port. One script at a time: not thread-safe (the
/// server in openocd.h serialises its callers).
///
/// The protocol has no error marker (a failing command's reply is its error message, like any
/// result), so Run() evaluates each command inside `catch` and gets the Tcl return code with the
/// text. After a timeout or a lost connection the stream is out of step (a late reply would be
/// read as the next one): the client refuses further scripts and must be replaced.
class OpenOcdTclClient {
 public:
  /// Connects to `host`:`port` (numeric IPv4/IPv6), waiting at most `timeout`.
  /// @retval Unavailable nothing accepts connections there (the message names the address)
  /// @retval InvalidArgument a malformed host or port
  static absl::StatusOr<std::unique_ptr<OpenOcdTclClient>> Connect(
      int port, absl::Duration timeout = absl::Seconds(5), const std::string &host = "127.0.0.1");

  ~OpenOcdTclClient();
  OpenOcdTclClient(const OpenOcdTclClient &) = delete;
  OpenOcdTclClient &operator=(const OpenOcdTclClient &) = delete;

  /// Sends `script` as is and returns the reply without its 0x1a terminator. A script that fails
  /// in OpenOCD still succeeds here (the reply is the error message): use Run() for commands.
  /// @retval InvalidArgument `script` contains 0x1a
  /// @retval DeadlineExceeded no complete reply within `timeout` (the client is then broken)
  /// @retval Unavailable OpenOCD closed the connection (it exited) or the socket failed
  /// @retval FailedPrecondition the client is broken by an earlier timeout or loss
  absl::StatusOr<std::string> Eval(std::string_view script, absl::Duration timeout);

  /// Runs one OpenOCD command (any Tcl script) and returns its result text.
  /// @retval FailedPrecondition the command failed (a Tcl error, or one of OpenOCD's negative
  ///         error codes): the message is "OpenOCD: <command>: <OpenOCD's message>" (e.g.
  ///         `invalid command name "foo"`), "failed" when OpenOCD gave no text
  /// Transport errors as Eval().
  absl::StatusOr<std::string> Run(std::string_view command, absl::Duration timeout);

  /// "OpenOCD Tcl RPC at 127.0.0.1:6666"
  const std::string &address() const { return address_; }
  /// False after a timeout or a lost connection.
  bool usable() const { return !broken_; }

 private:
  OpenOcdTclClient(int fd, std::string address) : fd_(fd), address_(std::move(address)) {}
  absl::Status Broken(absl::Status status);
  /// Eval() naming `what` (the command, not its wrapper) in errors.
  absl::StatusOr<std::string> Exchange(std::string_view script, std::string_view what,
                                       absl::Duration timeout);

  int fd_ = -1;
  std::string address_;
  std::string pending_;  ///< bytes received after the last reply's terminator
  bool broken_ = false;
  std::string broken_reason_;
};

}  // namespace gale::runners
