// galed over real TCP: TLS with a self-signed certificate made by `openssl` at test time, bearer
// tokens and roles, mutual TLS, loopback plain TCP, the refusal of plain TCP elsewhere, and the
// audit records of the calls (an emulator started and flashed through QEMU).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gale/daemon/daemon.h"
#include "gale/v1/audit.grpc.pb.h"
#include "gale/v1/boards.grpc.pb.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/flash.grpc.pb.h"
#include "gale/v1/sdk.grpc.pb.h"

namespace gale::daemon {
namespace {
namespace fs = std::filesystem;

std::string ReadAll(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A self-signed certificate for localhost and 127.0.0.1, as a bench admin would make one.
void MakeCert(const std::string &dir, const std::string &name) {
  const std::string cmd =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext "
      "subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
      dir + "/" + name + ".key' -out '" + dir + "/" + name + ".pem' >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

class RemoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gale-remote-test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    MakeCert(dir_, "server");
    MakeCert(dir_, "client");
    std::ofstream(dir_ + "/tokens") << "# token role name\n"
                                       "devtok-0123456789abcdef developer ci-dev\n"
                                       "rotok-0123456789abcdef read-only viewer\n"
                                       "admtok-0123456789abcdef admin ops\n";
    fs::permissions(dir_ + "/tokens", fs::perms::owner_read | fs::perms::owner_write);
  }
  void TearDown() override {
    daemon_.reset();
    fs::remove_all(dir_);
  }

  Options BaseOptions(const std::string &tcp) {
    Options options;
    options.listen = {"unix:" + dir_ + "/run/galed.sock", tcp};
    options.state_dir = dir_ + "/state";
    options.gale_base = GALE_SOURCE_DIR;
    options.tokens_file = dir_ + "/tokens";
    return options;
  }

  // Starts the daemon; returns the gRPC target of its TCP listener (the port it bound).
  std::string Start(Options options) {
    auto daemon = Daemon::Create(options);
    EXPECT_TRUE(daemon.ok()) << daemon.status();
    if (!daemon.ok())
      return {};
    daemon_ = std::move(*daemon);
    absl::Status started = daemon_->Start();
    EXPECT_TRUE(started.ok()) << started;
    for (const std::string &address : daemon_->options().listen) {
      if (address.rfind("tcp://", 0) == 0) {
        EXPECT_NE(address.substr(address.size() - 2), ":0")
            << "the bound port is reported: " << address;
        return address.substr(6);
      }
    }
    ADD_FAILURE() << "no tcp listener";
    return {};
  }

  std::shared_ptr<grpc::Channel> TlsChannel(const std::string &target, bool client_cert = false) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadAll(dir_ + "/server.pem");
    if (client_cert) {
      ssl.pem_cert_chain = ReadAll(dir_ + "/client.pem");
      ssl.pem_private_key = ReadAll(dir_ + "/client.key");
    }
    // Each channel its own connection, so one test's handshake does not reuse another's.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(target, grpc::SslCredentials(ssl), args);
  }

  static void Prepare(grpc::ClientContext *ctx, const std::string &token) {
    if (!token.empty()) {
      ctx->AddMetadata("authorization", "Bearer " + token);
    }
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  }

  static grpc::Status ListBoards(const std::shared_ptr<grpc::Channel> &channel,
                                 const std::string &token) {
    grpc::ClientContext ctx;
    Prepare(&ctx, token);
    v1::ListBoardsResponse response;
    return v1::Boards::NewStub(channel)->ListBoards(&ctx, v1::ListBoardsRequest(), &response);
  }

  std::vector<v1::AuditRecord> Audit(const std::string &method = {}) {
    auto channel =
        grpc::CreateChannel("unix:" + dir_ + "/run/galed.sock", grpc::InsecureChannelCredentials());
    grpc::ClientContext ctx;
    v1::ListAuditRequest request;
    request.set_method(method);
    v1::ListAuditResponse response;
    grpc::Status status = v1::Audit::NewStub(channel)->ListAudit(&ctx, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.records().begin(), response.records().end()};
  }

  std::string dir_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(RemoteTest, TlsTokensRolesAndAudit) {
  Options options = BaseOptions("tcp://127.0.0.1:0");
  options.tls_cert = dir_ + "/server.pem";
  options.tls_key = dir_ + "/server.key";
  const std::string target = Start(options);
  ASSERT_FALSE(target.empty());
  auto channel = TlsChannel(target);

  grpc::Status none = ListBoards(channel, "");
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED) << none.error_message();
  EXPECT_NE(none.error_message().find("token"), std::string::npos) << none.error_message();
  grpc::Status unknown = ListBoards(channel, "not-a-token");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED) << unknown.error_message();
  EXPECT_NE(unknown.error_message().find("unknown token"), std::string::npos);
  grpc::Status read_only = ListBoards(channel, "rotok-0123456789abcdef");
  EXPECT_TRUE(read_only.ok()) << read_only.error_message();

  auto devices = v1::Devices::NewStub(channel);
  {
    grpc::ClientContext ctx;
    Prepare(&ctx, "rotok-0123456789abcdef");
    v1::CreateDeviceRequest request;
    request.set_board("qemu_cortex_m3");
    v1::Device device;
    grpc::Status denied = devices->Create(&ctx, request, &device);
    EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_NE(denied.error_message().find("Devices.Create needs the developer role"),
              std::string::npos)
        << denied.error_message();
    EXPECT_NE(denied.error_message().find("viewer"), std::string::npos);
  }
  {
    grpc::ClientContext ctx;
    Prepare(&ctx, "devtok-0123456789abcdef");
    v1::AssignDeviceRequest request;
    request.set_serial("0669FF01");
    request.set_board("nucleo_f401re");
    request.set_name("bench-1");
    v1::Device device;
    grpc::Status denied = devices->Assign(&ctx, request, &device);
    EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_NE(denied.error_message().find("needs the admin role"), std::string::npos)
        << denied.error_message();
  }
  {
    // The audit log is the admin's: over TCP only with an admin token.
    grpc::ClientContext ctx;
    Prepare(&ctx, "devtok-0123456789abcdef");
    v1::ListAuditResponse response;
    EXPECT_EQ(v1::Audit::NewStub(channel)
                  ->ListAudit(&ctx, v1::ListAuditRequest(), &response)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    grpc::ClientContext admin;
    Prepare(&admin, "admtok-0123456789abcdef");
    EXPECT_TRUE(
        v1::Audit::NewStub(channel)->ListAudit(&admin, v1::ListAuditRequest(), &response).ok());
  }

  // A developer starts an emulator and flashes it, on the same connection the read-only and
  // admin tokens used: each call is attributed to its own token.
  std::string device_id;
  {
    grpc::ClientContext ctx;
    Prepare(&ctx, "devtok-0123456789abcdef");
    v1::CreateDeviceRequest request;
    request.set_board("qemu_cortex_m3");
    v1::Device device;
    grpc::Status created = devices->Create(&ctx, request, &device);
    ASSERT_TRUE(created.ok()) << created.error_message();
    device_id = device.id();
  }
  {
    grpc::ClientContext ctx;
    Prepare(&ctx, "devtok-0123456789abcdef");
    v1::FlashRequest request;
    request.set_device_id(device_id);
    request.set_build_dir(std::string(GALE_TEST_IMAGES) + "/hello_qemu_cortex_m3");
    auto stream = v1::Flash::NewStub(channel)->Flash(&ctx, request);
    v1::JobEvent event;
    v1::JobEvent last;
    while (stream->Read(&event)) {
      last = event;
    }
    ASSERT_TRUE(stream->Finish().ok());
    ASSERT_TRUE(last.has_result());
    EXPECT_EQ(last.result().state(), v1::JOB_STATE_SUCCEEDED) << last.result().error();
  }
  {
    grpc::ClientContext ctx;
    Prepare(&ctx, "devtok-0123456789abcdef");
    v1::FlashRequest request;
    request.set_device_id(device_id);
    request.set_build_dir(dir_ + "/no-such-build");
    auto stream = v1::Flash::NewStub(channel)->Flash(&ctx, request);
    v1::JobEvent event;
    while (stream->Read(&event)) {
    }
    EXPECT_FALSE(stream->Finish().ok());
  }

  std::vector<v1::AuditRecord> flashes = Audit("/gale.v1.Flash/Flash");
  ASSERT_EQ(flashes.size(), 2u);
  EXPECT_EQ(flashes[0].caller(), "ci-dev");  // newest first: the refused one
  EXPECT_NE(flashes[0].code(), 0);
  EXPECT_FALSE(flashes[0].message().empty());
  EXPECT_EQ(flashes[1].caller(), "ci-dev");
  EXPECT_EQ(flashes[1].role(), "developer");
  EXPECT_TRUE(flashes[1].remote());
  EXPECT_EQ(flashes[1].target(), device_id);
  EXPECT_EQ(flashes[1].code(), 0);
  EXPECT_EQ(flashes[1].status(), "OK");
  EXPECT_NE(flashes[1].peer().find("127.0.0.1"), std::string::npos) << flashes[1].peer();

  std::vector<v1::AuditRecord> creates = Audit("/gale.v1.Devices/Create");
  ASSERT_EQ(creates.size(), 2u);
  EXPECT_EQ(creates[0].caller(), "ci-dev");
  EXPECT_EQ(creates[0].code(), 0);
  EXPECT_EQ(creates[0].target(), device_id + " (qemu_cortex_m3)");
  EXPECT_EQ(creates[1].caller(), "viewer");
  EXPECT_EQ(creates[1].role(), "read-only");
  EXPECT_EQ(creates[1].status(), "PERMISSION_DENIED");
  EXPECT_EQ(Audit("/gale.v1.Devices/Assign").size(), 1u);
  // Reading is not audited.
  EXPECT_TRUE(Audit("/gale.v1.Boards/ListBoards").empty());

  // The unix socket needs no token: its user is the admin.
  {
    grpc::ClientContext ctx;
    v1::DeleteDeviceRequest request;
    request.set_id(device_id);
    v1::DeleteDeviceResponse response;
    auto local =
        grpc::CreateChannel("unix:" + dir_ + "/run/galed.sock", grpc::InsecureChannelCredentials());
    ASSERT_TRUE(v1::Devices::NewStub(local)->Delete(&ctx, request, &response).ok());
    std::vector<v1::AuditRecord> deletes = Audit("/gale.v1.Devices/Delete");
    ASSERT_EQ(deletes.size(), 1u);
    EXPECT_FALSE(deletes[0].remote());
    EXPECT_EQ(deletes[0].role(), "admin");
  }
}

TEST_F(RemoteTest, MutualTlsNeedsAClientCertificate) {
  Options options = BaseOptions("tcp://127.0.0.1:0");
  options.tls_cert = dir_ + "/server.pem";
  options.tls_key = dir_ + "/server.key";
  options.client_ca = dir_ + "/client.pem";
  const std::string target = Start(options);
  ASSERT_FALSE(target.empty());
  grpc::Status with_cert =
      ListBoards(TlsChannel(target, /*client_cert=*/true), "rotok-0123456789abcdef");
  EXPECT_TRUE(with_cert.ok()) << with_cert.error_message();
  grpc::Status without = ListBoards(TlsChannel(target, false), "rotok-0123456789abcdef");
  EXPECT_EQ(without.error_code(), grpc::StatusCode::UNAVAILABLE) << without.error_message();
  // A certificate is not a token: both are needed.
  grpc::Status cert_only = ListBoards(TlsChannel(target, true), "");
  EXPECT_EQ(cert_only.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(RemoteTest, LoopbackPlainTcpStillNeedsTokens) {
  const std::string target = Start(BaseOptions("tcp://127.0.0.1:0"));
  ASSERT_FALSE(target.empty());
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  EXPECT_EQ(ListBoards(channel, "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status ok = ListBoards(channel, "rotok-0123456789abcdef");
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  // Sdk.Shutdown is the admin's.
  grpc::ClientContext ctx;
  Prepare(&ctx, "devtok-0123456789abcdef");
  v1::ShutdownResponse response;
  grpc::Status denied = v1::Sdk::NewStub(channel)->Shutdown(&ctx, v1::ShutdownRequest(), &response);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(denied.error_message().find("admin"), std::string::npos);

  // A rotated tokens file takes effect on reload (SIGHUP in galed).
  std::ofstream(dir_ + "/tokens") << "newtok-0123456789abcdef read-only viewer\n";
  std::vector<std::string> warnings;
  ASSERT_TRUE(daemon_->ReloadTokens(&warnings).ok());
  EXPECT_EQ(ListBoards(channel, "rotok-0123456789abcdef").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(ListBoards(channel, "newtok-0123456789abcdef").ok());
}

TEST_F(RemoteTest, PlainTcpOnANonLoopbackAddressIsRefused) {
  auto refused = Daemon::Create(BaseOptions("tcp://0.0.0.0:0"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("without TLS"), std::string::npos) << refused.status();
  EXPECT_FALSE(fs::exists(dir_ + "/run/galed.sock"));  // refused before anything was made
  EXPECT_FALSE(fs::exists(dir_ + "/state"));

  // With TLS, every interface is fine: bind 0.0.0.0 briefly and reach it on loopback.
  Options options = BaseOptions("tcp://0.0.0.0:0");
  options.tls_cert = dir_ + "/server.pem";
  options.tls_key = dir_ + "/server.key";
  const std::string target = Start(options);
  ASSERT_FALSE(target.empty());
  const std::string port = target.substr(target.rfind(':') + 1);
  EXPECT_TRUE(ListBoards(TlsChannel("127.0.0.1:" + port), "rotok-0123456789abcdef").ok());
}

TEST_F(RemoteTest, BadRemoteOptionsAreClearErrors) {
  auto error = [](const Options &options) {
    auto daemon = Daemon::Create(options);
    EXPECT_FALSE(daemon.ok());
    return daemon.ok() ? std::string() : std::string(daemon.status().message());
  };
  Options no_tokens = BaseOptions("tcp://127.0.0.1:0");
  no_tokens.tokens_file.clear();
  EXPECT_NE(error(no_tokens).find("--tokens FILE"), std::string::npos);

  std::ofstream(dir_ + "/bad-tokens") << "devtok developer\n";
  Options bad_tokens = BaseOptions("tcp://127.0.0.1:0");
  bad_tokens.tokens_file = dir_ + "/bad-tokens";
  EXPECT_NE(error(bad_tokens).find(dir_ + "/bad-tokens:1:"), std::string::npos);

  Options half_tls = BaseOptions("tcp://127.0.0.1:0");
  half_tls.tls_cert = dir_ + "/server.pem";
  EXPECT_NE(error(half_tls).find("--tls-key"), std::string::npos);

  Options swapped = BaseOptions("tcp://127.0.0.1:0");
  swapped.tls_cert = dir_ + "/server.key";
  swapped.tls_key = dir_ + "/server.pem";
  EXPECT_NE(error(swapped).find("--tls-cert"), std::string::npos);

  Options tokens_without_tcp = BaseOptions("unix:" + dir_ + "/other.sock");
  EXPECT_NE(error(tokens_without_tcp).find("TCP"), std::string::npos);

  Options bad_address = BaseOptions("tcp://127.0.0.1");
  EXPECT_NE(error(bad_address).find("tcp://127.0.0.1"), std::string::npos);
}

}  // namespace
}  // namespace gale::daemon
