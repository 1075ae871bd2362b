#include "gale/gdb/packet.h"

#include "absl/strings/str_format.h"

namespace gale::gdb {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Run-length counts are printable characters: the repeat count plus 29.
constexpr int kRunLengthBias = 29;

}  // namespace

uint8_t Checksum(std::string_view bytes) {
  uint8_t sum = 0;
  for (char c : bytes) {
    sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
  }
  return sum;
}

std::string FramePacket(std::string_view payload) {
  const uint8_t sum = Checksum(payload);
  std::string packet;
  packet.reserve(payload.size() + 4);
  packet += '$';
  packet += payload;
  packet += '#';
  packet += kHexDigits[sum >> 4];
  packet += kHexDigits[sum & 0xf];
  return packet;
}

std::string EscapeBinary(std::span<const uint8_t> data) {
  std::string out;
  out.reserve(data.size() + data.size() / 16);
  for (uint8_t byte : data) {
    if (byte == '$' || byte == '#' || byte == '}' || byte == '*') {
      out += '}';
      out += static_cast<char>(byte ^ 0x20);
    } else {
      out += static_cast<char>(byte);
    }
  }
  return out;
}

absl::StatusOr<std::string> UnescapeBinary(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '}') {
      out += data[i];
      continue;
    }
    if (i + 1 == data.size()) {
      return absl::InvalidArgumentError("binary data ends inside an escape ('}' is last)");
    }
    out += static_cast<char>(data[++i] ^ 0x20);
  }
  return out;
}

absl::StatusOr<std::string> ExpandRunLength(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '*') {
      out += data[i];
      continue;
    }
    if (out.empty()) {
      return absl::InvalidArgumentError("run-length encoding '*' with no character to repeat");
    }
    if (i + 1 == data.size()) {
      return absl::InvalidArgumentError("run-length encoding '*' without a count");
    }
    const int repeat = static_cast<uint8_t>(data[++i]) - kRunLengthBias;
    if (repeat < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("run-length count 0x%02x is below the minimum", data[i]));
    }
    out.append(static_cast<size_t>(repeat), out.back());
  }
  return out;
}

std::string HexEncode(std::span<const uint8_t> data) {
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t byte : data) {
    out += kHexDigits[byte >> 4];
    out += kHexDigits[byte & 0xf];
  }
  return out;
}

std::string HexEncode(std::string_view data) {
  return HexEncode(std::span(reinterpret_cast<const uint8_t *>(data.data()), data.size()));
}

absl::StatusOr<std::vector<uint8_t>> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return absl::InvalidArgumentError(absl::StrFormat("odd number of hex digits (%u)", hex.size()));
  }
  std::vector<uint8_t> out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = HexValue(hex[i]);
    const int low = HexValue(hex[i + 1]);
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("'%s' at offset %u is not a hex byte", hex.substr(i, 2), i));
    }
    out.push_back(static_cast<uint8_t>(high << 4 | low));
  }
  return out;
}

bool IsConsoleOutput(std::string_view payload) {
  if (payload.size() < 3 || payload[0] != 'O' || (payload.size() - 1) % 2 != 0) {
    return false;
  }
  for (char c : payload.substr(1)) {
    if (HexValue(c) < 0) {
      return false;
    }
  }
  return true;
}

}  // namespace gale::gdb
