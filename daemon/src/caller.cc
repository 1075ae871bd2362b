#include "caller.h"

#include <pwd.h>
#include <unistd.h>

namespace gale::daemon {
namespace {

std::string LocalUserName() {
  const uid_t uid = getuid();
  if (const passwd *pw = getpwuid(uid); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return "uid " + std::to_string(uid);
}

std::string Property(const grpc::AuthContext &auth, const char *name) {
  const std::vector<grpc::string_ref> values = auth.FindPropertyValues(name);
  if (values.empty()) return {};
  return std::string(values.front().data(), values.front().size());
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

Caller CallerOf(const grpc::ServerContext &context) {
  static const std::string local_user = LocalUserName();
  Caller caller{.name = local_user, .role = Role::kAdmin, .remote = false};
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) return caller;
  const std::string name = Property(*auth, kCallerNameProperty);
  if (name.empty()) return caller;
  const std::string role = Property(*auth, kCallerRoleProperty);
  caller.name = name;
  caller.remote = true;
  caller.role = role == "admin"       ? Role::kAdmin
                : role == "developer" ? Role::kDeveloper
                                      : Role::kReadOnly;
  return caller;
}

std::string LeaseTokenOf(const grpc::ServerContext &context) {
  const auto &metadata = context.client_metadata();
  const auto it = metadata.find(kLeaseMetadataKey);
  if (it == metadata.end()) return {};
  return std::string(it->second.data(), it->second.size());
}

}  // namespace gale::daemon
