// Small helpers of the store's implementation: early returns on error (absl has none public) and
// string concatenation that takes std::string_view (Debian's absl::string_view is its own type,
// so absl::StrCat does not).
#ifndef GALE_STORE_SRC_UTIL_H_
#define GALE_STORE_SRC_UTIL_H_

#include <string>
#include <string_view>
#include <type_traits>

namespace gale::store {

template <typename T>
void AppendPiece(std::string &out, const T &piece) {
  if constexpr (std::is_convertible_v<const T &, std::string_view>) {
    out.append(std::string_view(piece));
  } else if constexpr (std::is_arithmetic_v<T>) {
    out.append(std::to_string(piece));
  } else {
    out.append(piece.data(), piece.size());  // absl::string_view and the like
  }
}

/// Concatenates strings, string views and numbers.
template <typename... Pieces>
std::string Cat(const Pieces &...pieces) {
  std::string out;
  (AppendPiece(out, pieces), ...);
  return out;
}

}  // namespace gale::store

#define GALE_STORE_CONCAT_INNER(a, b) a##b
#define GALE_STORE_CONCAT(a, b) GALE_STORE_CONCAT_INNER(a, b)

#define GALE_STORE_RETURN_IF_ERROR(expr) \
  do {                                   \
    absl::Status gale_status_ = (expr);  \
    if (!gale_status_.ok()) {            \
      return gale_status_;               \
    }                                    \
  } while (0)

#define GALE_STORE_ASSIGN_OR_RETURN_IMPL(var, lhs, expr) \
  auto var = (expr);                                     \
  if (!var.ok()) {                                       \
    return var.status();                                 \
  }                                                      \
  lhs = std::move(*var)

#define GALE_STORE_ASSIGN_OR_RETURN(lhs, expr) \
  GALE_STORE_ASSIGN_OR_RETURN_IMPL(GALE_STORE_CONCAT(gale_or_, __LINE__), lhs, expr)

#endif  // GALE_STORE_SRC_UTIL_H_
