#include "caller.h"

#include <pwd.h>
#include <unistd.h>

#include <functional>

#include <strings.h>

#include "absl/strings/str_cat.h"

namespace gale::daemon {
namespace {

std::string LocalUserName() {
  const uid_t uid = getuid();
  if (const passwd *pw = getpwuid(uid); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return "uid " + std::to_string(uid);
}

// The last value: the newest call on the connection that set it.
std::string Property(const grpc::AuthContext &auth, const std::string &name) {
  const std::vector<grpc::string_ref> values = auth.FindPropertyValues(name);
  if (values.empty())
    return {};
  return std::string(values.back().data(), values.back().size());
}

Role RoleFromName(std::string_view role) {
  return role == "admin" ? Role::kAdmin : role == "developer" ? Role::kDeveloper : Role::kReadOnly;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kReadOnly:
      return "read-only";
    case Role::kDeveloper:
      return "developer";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::string TokenPropertyName(std::string_view token) {
  return absl::StrCat("gale.token.",
                      absl::Hex(std::hash<std::string_view>{}(token), absl::kZeroPad16));
}

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      strncasecmp(authorization.data(), kBearer.data(), kBearer.size()) != 0) {
    return {};
  }
  std::string_view token = authorization.substr(kBearer.size());
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!token.empty() && space(token.front()))
    token.remove_prefix(1);
  while (!token.empty() && space(token.back()))
    token.remove_suffix(1);
  return token;
}

Caller CallerOf(const grpc::ServerContextBase &context) {
  static const std::string local_user = LocalUserName();
  Caller caller{.name = local_user, .role = Role::kAdmin, .remote = false};
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr)
    return caller;
  const std::string name = Property(*auth, kCallerNameProperty);
  if (name.empty())
    return caller;
  caller.name = name;
  caller.remote = true;
  caller.role = RoleFromName(Property(*auth, kCallerRoleProperty));
  // The entry of this call's own token (see the header): exact even when the connection has
  // carried calls with other tokens.
  const auto &metadata = context.client_metadata();
  if (const auto it = metadata.find("authorization"); it != metadata.end()) {
    const std::string_view token =
        BearerToken(std::string_view(it->second.data(), it->second.size()));
    const std::string entry =
        token.empty() ? std::string() : Property(*auth, TokenPropertyName(token));
    if (const size_t space = entry.find(' '); space != std::string::npos) {
      caller.role = RoleFromName(std::string_view(entry).substr(0, space));
      caller.name = entry.substr(space + 1);
    }
  }
  return caller;
}

std::string LeaseTokenOf(const grpc::ServerContext &context) {
  const auto &metadata = context.client_metadata();
  const auto it = metadata.find(kLeaseMetadataKey);
  if (it == metadata.end())
    return {};
  return std::string(it->second.data(), it->second.size());
}

}  // namespace gale::daemon
