#include "auth.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gale/host/address.h"
#include "gale/host/paths.h"

namespace gale::daemon {
namespace {

// Debian's absl has a string_view of its own, which does not convert from std::string_view.
absl::string_view Av(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}
std::string Rn(Role role) {
  return std::string(RoleName(role));
}

}  // namespace

// --- Listeners ------------------------------------------------------------------------------

absl::StatusOr<Listener> ParseListenAddress(std::string_view address_in) {
  const absl::string_view address = Av(address_in);
  constexpr absl::string_view kForms =
      "use unix:PATH, a path, or tcp://HOST:PORT (tcp://[::1]:PORT for IPv6)";
  Listener listener;
  if (const std::optional<std::string> path = host::UnixSocketPath(address_in)) {
    if (path->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("listen address '", address, "' names no socket path; ", kForms));
    }
    listener.kind = Listener::Kind::kUnix;
    listener.address = "unix:" + *path;
    listener.target = listener.address;
    return listener;
  }
  if (!absl::StartsWith(address, "tcp://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot listen on '", address, "': unknown address form; ", kForms));
  }
  const std::optional<host::TcpAddress> tcp = host::ParseTcpAddress(address_in);
  if (!tcp) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot listen on '", address,
        "': expected tcp://HOST:PORT with a host (tcp://0.0.0.0:PORT for every interface, "
        "tcp://[::1]:PORT for IPv6) and a port number 0..65535"));
  }
  listener.kind = Listener::Kind::kTcp;
  listener.host = tcp->host;
  listener.port = tcp->port;
  listener.loopback = tcp->loopback;
  listener.target = tcp->target;
  listener.address = absl::StrCat("tcp://", listener.target);
  return listener;
}

// --- Tokens ---------------------------------------------------------------------------------

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kReadOnly, Role::kDeveloper, Role::kAdmin}) {
    if (name == RoleName(role)) {
      return role;
    }
  }
  return std::nullopt;
}

absl::StatusOr<std::vector<Token>> ParseTokens(std::string_view text_in,
                                               std::string_view source_in) {
  const absl::string_view text = Av(text_in);
  const absl::string_view source = Av(source_in);
  std::vector<Token> tokens;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto error = [&](const std::string &what) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", number, ": ", what));
    };
    if (fields.size() != 3) {
      return error(absl::StrCat("expected `TOKEN ROLE NAME` (3 fields), found ", fields.size(),
                                fields.size() > 3 ? " (a name cannot contain spaces)" : ""));
    }
    // A token travels in an HTTP/2 header: visible ASCII only.
    for (char c : fields[0]) {
      if (c < 0x21 || c > 0x7e) {
        return error("the token has a character other than visible ASCII");
      }
    }
    const std::optional<Role> role =
        ParseRole(std::string_view(fields[1].data(), fields[1].size()));
    if (!role) {
      return error(
          absl::StrCat("unknown role '", fields[1], "' (roles: read-only, developer, admin)"));
    }
    for (const Token &other : tokens) {
      if (other.token == fields[0]) {
        return error(absl::StrCat("this token is already given on line ", other.line,
                                  " (each token must be unique)"));
      }
    }
    tokens.push_back(Token{.token = std::string(fields[0]),
                           .role = *role,
                           .name = std::string(fields[2]),
                           .line = number});
  }
  if (tokens.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": no tokens (one `TOKEN ROLE NAME` per line; make a token with "
                     "`openssl rand -hex 32`)"));
  }
  return tokens;
}

namespace {

absl::StatusOr<std::vector<Token>> ReadTokenFile(const std::string &path,
                                                 std::vector<std::string> *warnings) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the tokens file ", path, ": ", std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::vector<Token>> tokens = ParseTokens(text.str(), path);
  if (!tokens.ok()) {
    return tokens.status();
  }
  struct stat st {};
  if (warnings != nullptr && stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    warnings->push_back(
        absl::StrCat("the tokens file ", path, " can be read by other users: chmod 600 it"));
  }
  for (const Token &token : *tokens) {
    if (warnings != nullptr && token.token.size() < 16) {
      warnings->push_back(absl::StrCat(path, ":", token.line, ": the token of '", token.name,
                                       "' is short (", token.token.size(),
                                       " characters); use `openssl rand -hex 32`"));
    }
  }
  return tokens;
}

// Compares without an early exit, so the time taken does not tell how much of a guess matched.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TokenStore>> TokenStore::Load(const std::string &path,
                                                             std::vector<std::string> *warnings) {
  absl::StatusOr<std::vector<Token>> tokens = ReadTokenFile(path, warnings);
  if (!tokens.ok()) {
    return tokens.status();
  }
  return std::make_unique<TokenStore>(std::move(*tokens), path);
}

TokenStore::TokenStore(std::vector<Token> tokens, std::string path)
    : path_(std::move(path)), tokens_(std::move(tokens)) {}

absl::Status TokenStore::Reload(std::vector<std::string> *warnings) {
  if (path_.empty()) {
    return absl::FailedPreconditionError("these tokens were not read from a file");
  }
  absl::StatusOr<std::vector<Token>> tokens = ReadTokenFile(path_, warnings);
  if (!tokens.ok()) {
    return tokens.status();
  }
  std::lock_guard<std::mutex> lock(mu_);
  tokens_ = std::move(*tokens);
  return absl::OkStatus();
}

std::optional<Token> TokenStore::Find(std::string_view token) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<Token> found;
  for (const Token &entry : tokens_) {
    if (ConstantTimeEquals(entry.token, token) && !found) {
      found = entry;
    }
  }
  return found;
}

size_t TokenStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tokens_.size();
}

// --- Role table -----------------------------------------------------------------------------

namespace {

constexpr Role R = Role::kReadOnly;
constexpr Role D = Role::kDeveloper;
constexpr Role A = Role::kAdmin;

// The one table. Read-only: listing, getting, watching, output streams. Developer: what builds,
// runs, flashes, drives or debugs a device, leases, and input to a device. Admin: device
// bindings and tags, the audit log, shutting the daemon down.
constexpr MethodRule kRules[] = {
    {"/gale.v1.Audit/ListAudit", A, A, false},
    {"/gale.v1.Boards/GetBoard", R, R, false},
    {"/gale.v1.Boards/ListBoards", R, R, false},
    {"/gale.v1.Builds/Build", D, D, true},
    {"/gale.v1.Builds/GetBuild", R, R, false},
    {"/gale.v1.Builds/ListBuilds", R, R, false},
    {"/gale.v1.Builds/Run", D, D, true},
    {"/gale.v1.Config/Get", R, R, false},
    {"/gale.v1.Config/List", R, R, false},
    {"/gale.v1.Config/Set", D, D, true},
    {"/gale.v1.Console/Attach", R, D, false},  // audited when input is sent
    {"/gale.v1.Devices/Assign", A, A, true},
    {"/gale.v1.Devices/Create", D, D, true},
    {"/gale.v1.Devices/Debug", D, D, true},
    {"/gale.v1.Devices/Delete", D, D, true},
    {"/gale.v1.Devices/GetDevice", R, R, false},
    {"/gale.v1.Devices/Halt", D, D, true},
    {"/gale.v1.Devices/ListDevices", R, R, false},
    {"/gale.v1.Devices/ReadMemory", D, D, true},  // a debug access: halts nothing, but reads RAM
    {"/gale.v1.Devices/Reset", D, D, true},
    {"/gale.v1.Devices/Resume", D, D, true},
    {"/gale.v1.Devices/Unassign", A, A, true},
    {"/gale.v1.Devices/Watch", R, R, false},
    {"/gale.v1.Devices/WriteMemory", D, D, true},
    {"/gale.v1.Farm/Acquire", D, D, true},
    {"/gale.v1.Farm/ListLeases", R, R, false},
    {"/gale.v1.Farm/Release", D, D, true},
    {"/gale.v1.Farm/Renew", D, D, true},
    {"/gale.v1.Farm/SetTags", A, A, true},
    {"/gale.v1.Flash/Flash", D, D, true},
    {"/gale.v1.Jobs/Cancel", D, D, true},
    {"/gale.v1.Jobs/GetJob", R, R, false},
    {"/gale.v1.Jobs/ListJobs", R, R, false},
    {"/gale.v1.Jobs/Watch", R, R, false},
    {"/gale.v1.Logs/Follow", R, R, false},
    {"/gale.v1.Logs/Query", R, R, false},
    {"/gale.v1.Rtt/Stream", R, R, false},
    {"/gale.v1.Rtt/Write", D, D, true},
    {"/gale.v1.Sdk/GetStatus", R, R, false},
    {"/gale.v1.Sdk/Shutdown", A, A, true},
    {"/gale.v1.Shell/Exec", D, D, true},
    {"/gale.v1.Shell/Session", R, D, false},  // audited when input is sent
    {"/gale.v1.Tests/Discover", R, R, false},
    {"/gale.v1.Tests/GetRun", R, R, false},
    {"/gale.v1.Tests/ListRuns", R, R, false},
    {"/gale.v1.Tests/Run", D, D, true},
    {"/gale.v1.Trace/Capture", D, D, true},  // writes the start command to the device
    {"/gale.v1.Trace/Export", R, R, false},
    {"/gale.v1.Trace/Stats", D, D, true},  // reads a file on the daemon's host
    {"/gale.v1.Trace/Stop", D, D, true},
    // gRPC's own services that galed enables for generic tools.
    {"/grpc.health.v1.Health/Check", R, R, false},
    {"/grpc.health.v1.Health/Watch", R, R, false},
    {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", R, R, false},
};

}  // namespace

std::span<const MethodRule> MethodRules() {
  return kRules;
}

const MethodRule *FindMethodRule(std::string_view method) {
  for (const MethodRule &rule : kRules) {
    if (rule.method == method) {
      return &rule;
    }
  }
  return nullptr;
}

std::string ShortMethodName(std::string_view method_in) {
  absl::string_view method = Av(method_in);
  absl::ConsumePrefix(&method, "/");
  absl::ConsumePrefix(&method, "gale.v1.");
  std::string out(method);
  std::replace(out.begin(), out.end(), '/', '.');
  return out;
}

// --- Authentication -------------------------------------------------------------------------

TokenAuthProcessor::TokenAuthProcessor(std::shared_ptr<TokenStore> tokens, AuditWriter audit)
    : tokens_(std::move(tokens)), audit_(std::move(audit)) {}

grpc::Status TokenAuthProcessor::Process(const InputMetadata &auth_metadata,
                                         grpc::AuthContext *context, OutputMetadata *,
                                         OutputMetadata *) {
  std::string_view method;
  std::string_view authorization;
  for (const auto &[key, value] : auth_metadata) {
    if (key == ":path") {
      method = std::string_view(value.data(), value.size());
    } else if (key == "authorization") {
      authorization = std::string_view(value.data(), value.size());
    }
  }
  if (authorization.empty()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "this galed listener needs a token: send `authorization: Bearer TOKEN` "
                        "metadata (gale --token TOKEN, or GALE_TOKEN)");
  }
  const std::string_view bearer = BearerToken(authorization);
  if (bearer.empty()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "the authorization metadata is not `Bearer TOKEN`");
  }
  const std::optional<Token> token = tokens_->Find(bearer);
  if (!token) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "unknown token: it is not in galed's tokens file (ask the bench's admin "
                        "for one, or check GALE_TOKEN)");
  }
  const MethodRule *rule = FindMethodRule(method);
  std::string refusal;
  if (rule == nullptr) {
    refusal = absl::StrCat(Av(method), " is not in galed's role table: refused on TCP listeners");
  } else if (token->role < rule->role) {
    refusal = absl::StrCat(ShortMethodName(method), " needs the ", Rn(rule->role),
                           " role; the token of '", token->name, "' has ", Rn(token->role));
  }
  if (!refusal.empty()) {
    if (audit_) {
      store::AuditRecord record;
      record.caller = token->name;
      record.role = Rn(token->role);
      record.remote = true;
      record.method = std::string(method);
      record.code = static_cast<int32_t>(grpc::StatusCode::PERMISSION_DENIED);
      record.message = refusal;
      audit_(record);
    }
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, refusal);
  }
  // The auth context is the connection's: add to it only when this identity is not already the
  // newest there, or a long-lived connection would grow by three properties per call.
  const std::string role(RoleName(token->role));
  const std::string entry = absl::StrCat(role, " ", token->name);
  const std::string property = TokenPropertyName(bearer);
  auto newest = [context](const std::string &name) {
    const std::vector<grpc::string_ref> values = context->FindPropertyValues(name);
    return values.empty() ? std::string() : std::string(values.back().data(), values.back().size());
  };
  if (newest(property) != entry || newest(kCallerNameProperty) != token->name ||
      newest(kCallerRoleProperty) != role) {
    context->AddProperty(kCallerNameProperty, token->name);
    context->AddProperty(kCallerRoleProperty, role);
    context->AddProperty(property, entry);
  }
  return grpc::Status::OK;
}

}  // namespace gale::daemon
