// The encodings of the GDB remote serial protocol: packet framing and checksums, run-length
// encoding, binary escaping and hex. Pure functions; Client uses them, tests check them directly.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::gdb {

/// The modulo-256 sum of `bytes`: the two hex digits after '#'.
uint8_t Checksum(std::string_view bytes);

/// "$payload#cs". `payload` is sent as is: binary data in it must already be escaped.
std::string FramePacket(std::string_view payload);

/// Escapes binary data for X packets and binary replies: '$', '#', '}' and '*' become '}'
/// followed by the byte XOR 0x20.
std::string EscapeBinary(std::span<const uint8_t> data);

/// Undoes EscapeBinary. InvalidArgument when the data ends inside an escape.
absl::StatusOr<std::string> UnescapeBinary(std::string_view data);

/// Expands run-length encoding in a received packet body: "c*N" is 'c' followed by N - 29 more
/// copies of 'c'. InvalidArgument for a '*' with nothing before it or without a count.
absl::StatusOr<std::string> ExpandRunLength(std::string_view data);

/// Lower-case hex, two digits a byte.
std::string HexEncode(std::span<const uint8_t> data);
std::string HexEncode(std::string_view data);

/// Two hex digits a byte. InvalidArgument for odd length or a non-hex digit.
absl::StatusOr<std::vector<uint8_t>> HexDecode(std::string_view hex);

/// True for an 'O' console-output packet ("O" and an even number of hex digits); "OK" is not one.
bool IsConsoleOutput(std::string_view payload);

}  // namespace gale::gdb
