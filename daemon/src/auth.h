// Remote access: listener addresses, bearer tokens with roles, and the per-method role table.
//
// The unix socket is authenticated by its file permissions (its clients are the local user, with
// the admin role). TCP listeners carry `authorization: Bearer TOKEN` metadata on every call; a
// TokenAuthProcessor installed on their credentials checks the token against the tokens file and
// the method against the role table before any handler runs, and records the caller in the call's
// auth context for CallerOf (caller.h).
#pragma once

#include <grpcpp/security/auth_metadata_processor.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caller.h"
#include "gale/store/records.h"

namespace gale::daemon {

// --- Listeners ------------------------------------------------------------------------------

/// One `--listen` address.
struct Listener {
  enum class Kind { kUnix, kTcp };
  Kind kind = Kind::kUnix;
  std::string address;    ///< as reported: "unix:/path" or "tcp://host:port"
  std::string target;     ///< what gRPC binds: "unix:/path" or "host:port" ("[::1]:port")
  std::string host;       ///< TCP host without brackets ("127.0.0.1", "::1", "0.0.0.0", ...)
  int port = 0;           ///< TCP port (0: any free port)
  bool loopback = false;  ///< TCP on 127.0.0.0/8, ::1 or localhost
};

/// Parses `unix:PATH`, a bare path, or `tcp://HOST:PORT` (IPv6 as `tcp://[::1]:PORT`).
/// @retval InvalidArgument any other form, naming the address and the accepted forms.
absl::StatusOr<Listener> ParseListenAddress(std::string_view address);

// --- Tokens ---------------------------------------------------------------------------------

struct Token {
  std::string token;
  Role role = Role::kReadOnly;
  std::string name;
  int line = 0;  ///< where it is in its file
};

/// "read-only", "developer", "admin" -> Role.
std::optional<Role> ParseRole(std::string_view name);

/// Parses a tokens file's text: one `TOKEN ROLE NAME` per line, blank lines and `#` comment lines
/// ignored. `source` names the file in errors ("FILE:LINE: ...").
/// @retval InvalidArgument a malformed line (field count, unknown role, a token with characters a
///         gRPC header cannot carry), a token given twice, or no token at all.
absl::StatusOr<std::vector<Token>> ParseTokens(std::string_view text, std::string_view source);

/// The tokens of a --tokens file, reloadable (SIGHUP). Thread-safe.
class TokenStore {
 public:
  /// Reads and parses `path`. A file others can read is accepted with a warning in `warnings`.
  static absl::StatusOr<std::unique_ptr<TokenStore>> Load(const std::string &path,
                                                          std::vector<std::string> *warnings);
  /// For tests: tokens without a file.
  explicit TokenStore(std::vector<Token> tokens, std::string path = {});

  /// Reads the file again; on error the tokens in force stay as they were.
  absl::Status Reload(std::vector<std::string> *warnings);
  /// The entry whose token equals `token` (compared in constant time), if any.
  std::optional<Token> Find(std::string_view token) const;
  size_t size() const;
  const std::string &path() const { return path_; }

 private:
  std::string path_;
  mutable std::mutex mu_;
  std::vector<Token> tokens_;
};

// --- Role table -----------------------------------------------------------------------------

/// What a method needs. `input_role` is for bidirectional streams a read-only caller may watch
/// (Console.Attach, Shell.Session): sending input needs that role, checked by the service.
struct MethodRule {
  std::string_view method;  ///< "/gale.v1.Flash/Flash"
  Role role;
  Role input_role;
  bool audited;  ///< a state-changing call: recorded in the audit log
};

/// Every method galed serves, each with the role it needs. A method missing here is refused on
/// TCP listeners (tests/daemon/auth_test.cc checks that every rpc in proto/ has a rule).
std::span<const MethodRule> MethodRules();
/// The rule for a full method name, or nullptr.
const MethodRule *FindMethodRule(std::string_view method);
/// "Devices.Create" from "/gale.v1.Devices/Create".
std::string ShortMethodName(std::string_view method);

/// Where refused calls are recorded (the audit log); may be empty.
using AuditWriter = std::function<void(store::AuditRecord &)>;

/// Authenticates calls on TCP listeners: `authorization: Bearer TOKEN` must name a token of the
/// store (else UNAUTHENTICATED), and its role must cover the method (else PERMISSION_DENIED
/// naming the role needed, recorded through `audit`).
class TokenAuthProcessor final : public grpc::AuthMetadataProcessor {
 public:
  TokenAuthProcessor(std::shared_ptr<TokenStore> tokens, AuditWriter audit);
  bool IsBlocking() const override { return true; }
  grpc::Status Process(const InputMetadata &auth_metadata, grpc::AuthContext *context,
                       OutputMetadata *consumed_auth_metadata,
                       OutputMetadata *response_metadata) override;

 private:
  std::shared_ptr<TokenStore> tokens_;
  AuditWriter audit_;
};

}  // namespace gale::daemon
