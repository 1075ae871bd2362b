// Who is calling: the identity and role a call is made with, and the lease token it carries.
//
// Calls on the unix socket come from the local user (the socket's file permissions are the
// authentication) and have the admin role. Calls on a TCP listener carry a bearer token; the
// listener's authentication (auth.cc) records the token's name and role in the call's auth
// context under the properties below, and CallerOf reads them back.
//
// gRPC keeps one auth context per connection, not per call, so the properties of every call made
// on a connection pile up there. A client that sends different tokens on one connection would
// leave several names; so the authentication also records "ROLE NAME" under a property named
// after the token (TokenPropertyName), and CallerOf picks the entry of the token this very call
// carries.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <string_view>

namespace gale::daemon {

enum class Role { kReadOnly = 0, kDeveloper = 1, kAdmin = 2 };

/// "read-only", "developer", "admin".
std::string_view RoleName(Role role);

struct Caller {
  std::string name;  // token name (TCP) or local user name (unix socket)
  Role role = Role::kAdmin;
  bool remote = false;  // came through a TCP listener
};

/// Auth-context properties set for token-authenticated calls.
inline constexpr char kCallerNameProperty[] = "gale.caller_name";
inline constexpr char kCallerRoleProperty[] = "gale.caller_role";
/// Request metadata key carrying a lease token (Farm service).
inline constexpr char kLeaseMetadataKey[] = "gale-lease";

/// The caller of a call being served.
Caller CallerOf(const grpc::ServerContextBase &context);

/// The auth-context property under which the authentication records "ROLE NAME" for a token
/// (derived from a hash of the token: the token itself is not stored there).
std::string TokenPropertyName(std::string_view token);
/// The bearer token of `authorization` metadata ("Bearer TOKEN"), or "" when it is not one.
std::string_view BearerToken(std::string_view authorization);
/// The lease token the call carries in its metadata, or "" without one.
std::string LeaseTokenOf(const grpc::ServerContext &context);

}  // namespace gale::daemon
