// Small text helpers shared by the sources of sdk/build (internal).
#pragma once

#include <cctype>
#include <string_view>

namespace gale::build::internal {

/// `s` without leading and trailing white space.
inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace gale::build::internal
