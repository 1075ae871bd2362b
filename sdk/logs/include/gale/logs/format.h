// A printf-style formatter over arguments captured on the target (dictionary records).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/types/span.h"

namespace gale::logs {

/// One argument of a dictionary record.
struct FormatArg {
  enum class Kind : uint8_t { kU32, kU64, kDouble, kString };
  Kind kind = Kind::kU32;
  uint64_t integer = 0;  ///< kU32 (zero-extended) and kU64
  double real = 0;       ///< kDouble
  std::string text;      ///< kString

  static FormatArg U32(uint32_t v) { return {Kind::kU32, v, 0, {}}; }
  static FormatArg U64(uint64_t v) { return {Kind::kU64, v, 0, {}}; }
  static FormatArg Double(double v) { return {Kind::kDouble, 0, v, {}}; }
  static FormatArg String(std::string v) { return {Kind::kString, 0, 0, std::move(v)}; }
};

/// Formats `fmt` with `args` as the target's printf would: conversions d i u x X o c s p f e g
/// and %%, flags - 0 + space #, width and precision (digits or *), lengths hh h l ll z j t
/// (the argument's captured size decides, not the length). Never fails: a missing argument
/// prints "<missing>", a string where a number is expected (or the reverse) "<bad arg>", an
/// unknown conversion is copied as is.
std::string FormatPrintf(std::string_view fmt, absl::Span<const FormatArg> args);

}  // namespace gale::logs
