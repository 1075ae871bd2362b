// TCP addresses of galed, as galed listens on them and clients connect to them:
// `tcp://HOST:PORT`, IPv6 as `tcp://[::1]:PORT`. Header-only and free of gRPC and absl, like
// paths.h, so that both sides read an address and decide "loopback or not" the same way: plain
// TCP is allowed only on loopback; anything else is TLS.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace gale::host {

/// "localhost", 127.0.0.0/8 and ::1 (with or without brackets).
inline bool IsLoopbackHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string text(host);
  if (strcasecmp(text.c_str(), "localhost") == 0) {
    return true;
  }
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

struct TcpAddress {
  std::string host;  ///< without brackets: "127.0.0.1", "::1", "bench.lab"
  int port = 0;
  std::string target;  ///< the gRPC target: "127.0.0.1:7000", "[::1]:7000"
  bool loopback = false;
};

/// Parses `tcp://HOST:PORT` (`tcp://[V6]:PORT`). Nothing when `address` does not start with
/// tcp:// or has no host or no port number (0..65535).
inline std::optional<TcpAddress> ParseTcpAddress(std::string_view address) {
  constexpr std::string_view kScheme = "tcp://";
  if (address.substr(0, kScheme.size()) != kScheme) {
    return std::nullopt;
  }
  std::string_view rest = address.substr(kScheme.size());
  std::string_view host;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos || rest.substr(close + 1, 1) != ":") {
      return std::nullopt;
    }
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    const size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos ||
        rest.substr(0, colon).find(':') != std::string_view::npos) {
      return std::nullopt;
    }
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  TcpAddress out;
  out.host = std::string(host);
  out.port = std::atoi(std::string(port).c_str());
  if (out.port > 65535) {
    return std::nullopt;
  }
  const bool v6 = host.find(':') != std::string_view::npos;
  out.target = (v6 ? "[" + out.host + "]" : out.host) + ":" + std::to_string(out.port);
  out.loopback = IsLoopbackHost(host);
  return out;
}

}  // namespace gale::host
