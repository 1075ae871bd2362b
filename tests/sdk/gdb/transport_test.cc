// The socket transports against real unix and TCP sockets whose far end the test holds.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>

#include "gale/gdb/client.h"

namespace gale::gdb {
namespace {

using ::testing::HasSubstr;

class TransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "gale-rsp-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (int fd : fds_) {
      close(fd);
    }
    std::filesystem::remove_all(dir_);
  }

  // A listening unix socket at dir_/name.
  std::string ListenUnix(const std::string &name) {
    const std::string path = (dir_ / name).string();
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(fd, 1), 0);
    listener_ = fd;
    fds_.push_back(fd);
    return path;
  }

  // A listening TCP socket on 127.0.0.1; returns its port.
  int ListenTcp() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(fd, 1), 0);
    socklen_t length = sizeof(addr);
    getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &length);
    listener_ = fd;
    fds_.push_back(fd);
    return ntohs(addr.sin_port);
  }

  int Accept() {
    const int fd = accept(listener_, nullptr, nullptr);
    EXPECT_GE(fd, 0);
    fds_.push_back(fd);
    return fd;
  }

  // Reads until `n` bytes arrived from the transport.
  static std::string ReadAll(Transport &transport, size_t n) {
    std::string got;
    while (got.size() < n) {
      auto bytes = transport.Read(absl::Seconds(5));
      if (!bytes.ok()) {
        ADD_FAILURE() << bytes.status();
        break;
      }
      got += *bytes;
    }
    return got;
  }

  std::filesystem::path dir_;
  int listener_ = -1;
  std::vector<int> fds_;
};

TEST_F(TransportTest, UnixSocketCarriesBytesBothWaysAndReportsTheClose) {
  const std::string path = ListenUnix("gdb.sock");
  auto transport = Connect("unix:" + path);
  ASSERT_TRUE(transport.ok()) << transport.status();
  EXPECT_EQ((*transport)->Describe(), "gdbserver at unix:" + path);
  const int peer = Accept();

  ASSERT_TRUE((*transport)->Write("$g#67").ok());
  char buffer[16] = {};
  ASSERT_EQ(read(peer, buffer, sizeof(buffer)), 5);
  EXPECT_EQ(std::string(buffer, 5), "$g#67");

  ASSERT_EQ(write(peer, "+$OK#9a", 7), 7);
  EXPECT_EQ(ReadAll(**transport, 7), "+$OK#9a");

  // Nothing to read: a timeout, not an error of the connection.
  auto nothing = (*transport)->Read(absl::Milliseconds(20));
  EXPECT_EQ(nothing.status().code(), absl::StatusCode::kDeadlineExceeded);

  close(peer);
  fds_.pop_back();
  auto closed = (*transport)->Read(absl::Seconds(5));
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(closed.status().message()),
              HasSubstr("unix:" + path + " closed the connection"));
  EXPECT_EQ((*transport)->Write("$g#67").code(), absl::StatusCode::kUnavailable);
}

TEST_F(TransportTest, TcpWithAndWithoutPrefix) {
  const int port = ListenTcp();
  for (const std::string &address :
       {"tcp:127.0.0.1:" + std::to_string(port), "127.0.0.1:" + std::to_string(port),
        "tcp:localhost:" + std::to_string(port)}) {
    auto transport = Connect(address);
    if (!transport.ok() && address.find("localhost") != std::string::npos) {
      continue;  // localhost may resolve to ::1 first on this machine, where nothing listens
    }
    ASSERT_TRUE(transport.ok()) << address << ": " << transport.status();
    const int peer = Accept();
    ASSERT_EQ(write(peer, "$S05#b8", 7), 7);
    EXPECT_EQ(ReadAll(**transport, 7), "$S05#b8");
    EXPECT_THAT((*transport)->Describe(), HasSubstr(address));
  }
}

TEST_F(TransportTest, ConnectErrorsNameTheAddress) {
  const std::string missing = (dir_ / "absent.sock").string();
  auto no_socket = Connect("unix:" + missing);
  EXPECT_EQ(no_socket.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(no_socket.status().message()), HasSubstr("unix:" + missing));

  // A port nobody listens on: bind one, close it, connect.
  const int port = ListenTcp();
  close(listener_);
  fds_.clear();
  auto refused = Connect("tcp:127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("127.0.0.1:" + std::to_string(port)));

  EXPECT_EQ(Connect("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Connect("tcp:hostonly").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Connect("tcp:host:99999").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Connect("host:port").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Connect("unix:" + std::string(200, 'x')).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gale::gdb
