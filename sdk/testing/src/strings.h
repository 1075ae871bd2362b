// String helpers for std::string_view: Debian's Abseil has its own absl::string_view, which
// std::string_view does not convert to.
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace gale::testing {

inline absl::string_view Absl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}
inline std::string_view Std(absl::string_view s) {
  return std::string_view(s.data(), s.size());
}

inline bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

inline bool ConsumePrefix(std::string_view *text, std::string_view prefix) {
  if (!text->starts_with(prefix)) {
    return false;
  }
  text->remove_prefix(prefix.size());
  return true;
}

inline bool ConsumeSuffix(std::string_view *text, std::string_view suffix) {
  if (!text->ends_with(suffix)) {
    return false;
  }
  text->remove_suffix(suffix.size());
  return true;
}

inline bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

inline std::string_view StripLeading(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) {
    text.remove_prefix(1);
  }
  return text;
}

}  // namespace gale::testing
