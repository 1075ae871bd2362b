// Console input into an emulator's UART pipe or a native program's stdin socket.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace gale::devices {

/// Sends all of `bytes` on the stream socket or non-blocking pipe `fd`: never raises SIGPIPE on
/// a socket (the program may be gone: Unavailable; a pipe must keep a reader of its own), and gives up with ResourceExhausted when the device has not taken input
/// for 5 s (its UART buffer is full because the image does not read it), rather than blocking
/// the caller forever. `what` names the destination in errors.
absl::Status SendInputBytes(int fd, std::string_view bytes, const std::string &what);

}  // namespace gale::devices
