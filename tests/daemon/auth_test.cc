// Remote access building blocks: the tokens file, listen addresses, and the role table, which
// must classify every rpc of every service in proto/ (so a new rpc cannot slip through
// unclassified: on TCP an unclassified method is refused).
#include "auth.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "caller.h"

namespace gale::daemon {
namespace {
namespace fs = std::filesystem;

TEST(TokensTest, ParsesLinesCommentsAndBlankLines) {
  absl::StatusOr<std::vector<Token>> tokens = ParseTokens(
      "# token role name\n\n  devtok developer ci-dev\nrotok\tread-only viewer  \n"
      "   # indented comment\nroot-secret admin ops\n",
      "tokens");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->size(), 3u);
  EXPECT_EQ(tokens->at(0).token, "devtok");
  EXPECT_EQ(tokens->at(0).role, Role::kDeveloper);
  EXPECT_EQ(tokens->at(0).name, "ci-dev");
  EXPECT_EQ(tokens->at(0).line, 3);
  EXPECT_EQ(tokens->at(1).role, Role::kReadOnly);
  EXPECT_EQ(tokens->at(1).name, "viewer");
  EXPECT_EQ(tokens->at(2).role, Role::kAdmin);
  EXPECT_EQ(tokens->at(2).line, 6);
}

TEST(TokensTest, MalformedLinesNameFileAndLine) {
  auto error = [](std::string_view text) {
    absl::StatusOr<std::vector<Token>> tokens = ParseTokens(text, "/etc/gale/tokens");
    EXPECT_FALSE(tokens.ok());
    return std::string(tokens.status().message());
  };
  std::string m = error("a developer x\nb developer\n");
  EXPECT_NE(m.find("/etc/gale/tokens:2:"), std::string::npos) << m;
  EXPECT_NE(m.find("TOKEN ROLE NAME"), std::string::npos) << m;
  m = error("# c\nb developer two words\n");
  EXPECT_NE(m.find("/etc/gale/tokens:2:"), std::string::npos) << m;
  EXPECT_NE(m.find("spaces"), std::string::npos) << m;
  m = error("a root ops\n");
  EXPECT_NE(m.find(":1: unknown role 'root'"), std::string::npos) << m;
  EXPECT_NE(m.find("read-only, developer, admin"), std::string::npos) << m;
  m = error("same developer a\nsame admin b\n");
  EXPECT_NE(m.find(":2:"), std::string::npos) << m;
  EXPECT_NE(m.find("line 1"), std::string::npos) << m;
  m = error("# only comments\n\n");
  EXPECT_NE(m.find("no tokens"), std::string::npos) << m;
  m = error("t\x01k developer a\n");
  EXPECT_NE(m.find(":1:"), std::string::npos) << m;
  // The same name with two tokens is how a token is rotated: allowed.
  EXPECT_TRUE(ParseTokens("old developer ci\nnew developer ci\n", "t").ok());
}

TEST(TokensTest, StoreFindsAndReloadsKeepingTokensOnError) {
  char tmpl[] = "/tmp/gale-auth-test.XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string path = std::string(tmpl) + "/tokens";
  std::ofstream(path) << "first-token-0123456789 developer ci\n";
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  std::vector<std::string> warnings;
  absl::StatusOr<std::unique_ptr<TokenStore>> store = TokenStore::Load(path, &warnings);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE(warnings.empty());
  ASSERT_TRUE((*store)->Find("first-token-0123456789").has_value());
  EXPECT_EQ((*store)->Find("first-token-0123456789")->name, "ci");
  EXPECT_FALSE((*store)->Find("first-token-012345678").has_value());
  EXPECT_FALSE((*store)->Find("").has_value());

  std::ofstream(path) << "broken\n";
  absl::Status bad = (*store)->Reload(&warnings);
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find(path + ":1:"), std::string::npos) << bad;
  EXPECT_TRUE((*store)->Find("first-token-0123456789").has_value());

  std::ofstream(path) << "short admin ops\n";
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  ASSERT_TRUE((*store)->Reload(&warnings).ok());
  EXPECT_FALSE((*store)->Find("first-token-0123456789").has_value());
  ASSERT_TRUE((*store)->Find("short").has_value());
  EXPECT_EQ((*store)->Find("short")->role, Role::kAdmin);
  ASSERT_EQ(warnings.size(), 2u);  // readable by others; a short token
  EXPECT_NE(warnings[0].find("chmod 600"), std::string::npos) << warnings[0];

  EXPECT_EQ(TokenStore::Load(std::string(tmpl) + "/missing", nullptr).status().code(),
            absl::StatusCode::kNotFound);
  fs::remove_all(tmpl);
}

TEST(ListenTest, ParsesUnixAndTcpAndKnowsLoopback) {
  absl::StatusOr<Listener> unix_socket = ParseListenAddress("unix:/run/g.sock");
  ASSERT_TRUE(unix_socket.ok());
  EXPECT_EQ(unix_socket->kind, Listener::Kind::kUnix);
  EXPECT_EQ(unix_socket->target, "unix:/run/g.sock");
  ASSERT_TRUE(ParseListenAddress("/run/g.sock").ok());
  EXPECT_EQ(ParseListenAddress("/run/g.sock")->address, "unix:/run/g.sock");

  absl::StatusOr<Listener> v4 = ParseListenAddress("tcp://127.0.0.1:7000");
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(v4->kind, Listener::Kind::kTcp);
  EXPECT_EQ(v4->target, "127.0.0.1:7000");
  EXPECT_EQ(v4->port, 7000);
  EXPECT_TRUE(v4->loopback);
  absl::StatusOr<Listener> v6 = ParseListenAddress("tcp://[::1]:7001");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->target, "[::1]:7001");
  EXPECT_TRUE(v6->loopback);
  EXPECT_TRUE(ParseListenAddress("tcp://localhost:0")->loopback);
  EXPECT_TRUE(ParseListenAddress("tcp://127.8.9.10:1")->loopback);
  EXPECT_FALSE(ParseListenAddress("tcp://0.0.0.0:7000")->loopback);
  EXPECT_FALSE(ParseListenAddress("tcp://[::]:7000")->loopback);
  EXPECT_FALSE(ParseListenAddress("tcp://10.0.0.5:7000")->loopback);
  EXPECT_FALSE(ParseListenAddress("tcp://bench.lab:7000")->loopback);

  for (const char *bad : {"tcp://127.0.0.1", "tcp://:7000", "tcp://127.0.0.1:port",
                          "tcp://127.0.0.1:70000", "http://x:1", "host:7000", "tcp://::1:7000"}) {
    absl::StatusOr<Listener> listener = ParseListenAddress(bad);
    EXPECT_FALSE(listener.ok()) << bad;
    EXPECT_NE(listener.status().message().find(bad), std::string::npos) << listener.status();
  }
}

TEST(CallerTest, BearerTokensAndTokenProperties) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer  abc "), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer "), "");
  EXPECT_NE(TokenPropertyName("a"), TokenPropertyName("b"));
  EXPECT_EQ(TokenPropertyName("a"), TokenPropertyName("a"));
  EXPECT_EQ(TokenPropertyName("secret").find("secret"), std::string::npos);
}

// Every `rpc` of every `service` in proto/gale/v1/*.proto, as "/gale.v1.Service/Method".
std::set<std::string> ProtoMethods() {
  std::set<std::string> methods;
  const std::regex service_re(R"(^\s*service\s+(\w+)\s*\{)");
  const std::regex rpc_re(R"(^\s*rpc\s+(\w+)\s*\()");
  for (const auto &entry : fs::directory_iterator(GALE_PROTO_DIR)) {
    if (entry.path().extension() != ".proto") {
      continue;
    }
    std::ifstream in(entry.path());
    std::string line;
    std::string service;
    std::smatch match;
    while (std::getline(in, line)) {
      if (std::regex_search(line, match, service_re)) {
        service = match[1];
      } else if (std::regex_search(line, match, rpc_re)) {
        EXPECT_FALSE(service.empty()) << entry.path() << ": rpc outside a service: " << line;
        methods.insert("/gale.v1." + service + "/" + std::string(match[1]));
      }
    }
  }
  return methods;
}

TEST(RoleTableTest, EveryRpcInTheProtosHasARule) {
  const std::set<std::string> methods = ProtoMethods();
  ASSERT_GT(methods.size(), 40u) << "the protos were not found in " << GALE_PROTO_DIR;
  for (const std::string &method : methods) {
    EXPECT_NE(FindMethodRule(method), nullptr)
        << method << " has no entry in the role table (daemon/src/auth.cc): say which role "
        << "it needs and whether it is audited";
  }
  // And no rule for an rpc that no longer exists.
  std::set<std::string> seen;
  for (const MethodRule &rule : MethodRules()) {
    EXPECT_TRUE(seen.insert(std::string(rule.method)).second) << rule.method << " twice";
    if (rule.method.rfind("/gale.v1.", 0) == 0) {
      EXPECT_TRUE(methods.count(std::string(rule.method)) != 0)
          << rule.method << " is in the role table but in no proto";
    }
    EXPECT_GE(rule.input_role, rule.role) << rule.method;
    // Whatever needs more than read-only changes state, and is audited.
    if (rule.role > Role::kReadOnly && rule.method != "/gale.v1.Audit/ListAudit") {
      EXPECT_TRUE(rule.audited) << rule.method;
    }
  }
}

TEST(RoleTableTest, RolesFollowTheContract) {
  auto role = [](const char *method) {
    const MethodRule *rule = FindMethodRule(method);
    EXPECT_NE(rule, nullptr) << method;
    return rule == nullptr ? Role::kAdmin : rule->role;
  };
  for (const char *method :
       {"/gale.v1.Boards/ListBoards", "/gale.v1.Devices/ListDevices", "/gale.v1.Devices/Watch",
        "/gale.v1.Jobs/Watch", "/gale.v1.Logs/Follow", "/gale.v1.Rtt/Stream",
        "/gale.v1.Console/Attach", "/gale.v1.Sdk/GetStatus", "/gale.v1.Farm/ListLeases",
        "/grpc.health.v1.Health/Check"}) {
    EXPECT_EQ(role(method), Role::kReadOnly) << method;
  }
  for (const char *method :
       {"/gale.v1.Builds/Build", "/gale.v1.Flash/Flash", "/gale.v1.Devices/Create",
        "/gale.v1.Tests/Run", "/gale.v1.Farm/Acquire", "/gale.v1.Farm/Release",
        "/gale.v1.Shell/Exec", "/gale.v1.Rtt/Write", "/gale.v1.Devices/Debug"}) {
    EXPECT_EQ(role(method), Role::kDeveloper) << method;
  }
  for (const char *method :
       {"/gale.v1.Devices/Assign", "/gale.v1.Devices/Unassign", "/gale.v1.Farm/SetTags",
        "/gale.v1.Sdk/Shutdown", "/gale.v1.Audit/ListAudit"}) {
    EXPECT_EQ(role(method), Role::kAdmin) << method;
  }
  EXPECT_EQ(FindMethodRule("/gale.v1.Console/Attach")->input_role, Role::kDeveloper);
  EXPECT_EQ(FindMethodRule("/gale.v1.Shell/Session")->input_role, Role::kDeveloper);
  EXPECT_EQ(FindMethodRule("/gale.v1.Nothing/Here"), nullptr);
  EXPECT_EQ(ShortMethodName("/gale.v1.Devices/Create"), "Devices.Create");
}

}  // namespace
}  // namespace gale::daemon
