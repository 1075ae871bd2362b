#include "gale/logs/format.h"

#include <cstdio>
#include <string>

namespace gale::logs {
namespace {

// snprintf into a string, for one conversion whose spec was rebuilt from the target's format.
template <typename T>
std::string Printf(const std::string &spec, T value) {
  char small[64];
  const int n = std::snprintf(small, sizeof(small), spec.c_str(), value);
  if (n < 0) {
    return "<bad format>";
  }
  if (static_cast<size_t>(n) < sizeof(small)) {
    return std::string(small, static_cast<size_t>(n));
  }
  std::string big(static_cast<size_t>(n) + 1, '\0');
  std::snprintf(big.data(), big.size(), spec.c_str(), value);
  big.resize(static_cast<size_t>(n));
  return big;
}

bool IsInteger(const FormatArg &arg) {
  return arg.kind == FormatArg::Kind::kU32 || arg.kind == FormatArg::Kind::kU64;
}

// The argument as a signed value of the size it had on the target.
long long Signed(const FormatArg &arg) {
  if (arg.kind == FormatArg::Kind::kU32) {
    return static_cast<int32_t>(static_cast<uint32_t>(arg.integer));
  }
  return static_cast<long long>(arg.integer);
}

}  // namespace

std::string FormatPrintf(std::string_view fmt, absl::Span<const FormatArg> args) {
  std::string out;
  size_t next = 0;
  auto take = [&]() -> const FormatArg * { return next < args.size() ? &args[next++] : nullptr; };
  size_t i = 0;
  while (i < fmt.size()) {
    const char c = fmt[i];
    if (c != '%') {
      out += c;
      ++i;
      continue;
    }
    const size_t start = i++;
    if (i < fmt.size() && fmt[i] == '%') {
      out += '%';
      ++i;
      continue;
    }
    std::string spec = "%";
    while (i < fmt.size() && std::string_view("-0+ #").find(fmt[i]) != std::string_view::npos) {
      spec += fmt[i++];
    }
    // Width and precision: digits, or '*' taking an int argument.
    for (int part = 0; part < 2; ++part) {
      if (part == 1) {
        if (i >= fmt.size() || fmt[i] != '.') {
          break;
        }
        spec += fmt[i++];
      }
      if (i < fmt.size() && fmt[i] == '*') {
        ++i;
        const FormatArg *arg = take();
        spec += std::to_string(arg != nullptr && IsInteger(*arg) ? Signed(*arg) : 0);
      } else {
        while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9') {
          spec += fmt[i++];
        }
      }
    }
    while (i < fmt.size() && std::string_view("hlzjtL").find(fmt[i]) != std::string_view::npos) {
      ++i;  // the captured size of the argument decides, not the length modifier
    }
    if (i >= fmt.size()) {
      out.append(fmt.substr(start));
      break;
    }
    const char conv = fmt[i++];
    if (std::string_view("diuxXocspfFeEgGaA").find(conv) == std::string_view::npos) {
      out.append(fmt.substr(start, i - start));  // unknown: copied as is
      continue;
    }
    const FormatArg *arg = take();
    if (arg == nullptr) {
      out += "<missing>";
      continue;
    }
    switch (conv) {
      case 'd':
      case 'i':
        out += IsInteger(*arg) ? Printf(spec + "lld", Signed(*arg)) : "<bad arg>";
        break;
      case 'u':
      case 'x':
      case 'X':
      case 'o':
        if (!IsInteger(*arg)) {
          out += "<bad arg>";
          break;
        }
        out += Printf(spec + "ll" + conv, static_cast<unsigned long long>(arg->integer));
        break;
      case 'c':
        out += IsInteger(*arg) ? Printf(spec + "c", static_cast<int>(arg->integer & 0xFF))
                               : "<bad arg>";
        break;
      case 'p':
        out +=
            IsInteger(*arg)
                ? Printf(spec + "s", ("0x" + Printf(std::string("%llx"),
                                                    static_cast<unsigned long long>(arg->integer)))
                                         .c_str())
                : "<bad arg>";
        break;
      case 's':
        out += arg->kind == FormatArg::Kind::kString ? Printf(spec + "s", arg->text.c_str())
                                                     : "<bad arg>";
        break;
      default:  // floating point
        out += arg->kind == FormatArg::Kind::kDouble ? Printf(spec + conv, arg->real) : "<bad arg>";
        break;
    }
  }
  return out;
}

}  // namespace gale::logs
