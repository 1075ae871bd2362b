#include "gale/host/paths.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

namespace gale::host {
namespace {

// An environment of our own: the test must not depend on the one it runs in.
class FakeEnv {
 public:
  FakeEnv &Set(const std::string &name, const std::string &value) {
    vars_[name] = value;
    return *this;
  }
  EnvLookup lookup() const {
    return [this](const char *name) -> const char * {
      auto it = vars_.find(name);
      return it == vars_.end() ? nullptr : it->second.c_str();
    };
  }

 private:
  std::map<std::string, std::string> vars_;
};

TEST(SocketAddress, DefaultIsUnderXdgRuntimeDir) {
  FakeEnv env;
  env.Set("XDG_RUNTIME_DIR", "/run/user/1000");
  EXPECT_EQ(DefaultSocketAddress(env.lookup(), 1000), "unix:/run/user/1000/gale/galed.sock");
  EXPECT_EQ(ResolveSocketAddress("", env.lookup(), 1000), "unix:/run/user/1000/gale/galed.sock");
}

TEST(SocketAddress, WithoutXdgRuntimeDirItIsAPerUserTmpFolder) {
  FakeEnv env;
  EXPECT_EQ(DefaultSocketAddress(env.lookup(), 1234), "unix:/tmp/gale-1234/galed.sock");
  env.Set("XDG_RUNTIME_DIR", "");  // set but empty counts as unset
  EXPECT_EQ(DefaultSocketAddress(env.lookup(), 1234), "unix:/tmp/gale-1234/galed.sock");
}

TEST(SocketAddress, EnvironmentOverridesDefaultAndFlagOverridesBoth) {
  FakeEnv env;
  env.Set("XDG_RUNTIME_DIR", "/run/user/1000").Set("GALE_SOCKET", "unix:/tmp/env.sock");
  EXPECT_EQ(ResolveSocketAddress("", env.lookup(), 1000), "unix:/tmp/env.sock");
  EXPECT_EQ(ResolveSocketAddress("unix:/tmp/flag.sock", env.lookup(), 1000), "unix:/tmp/flag.sock");
  EXPECT_EQ(ResolveSocketAddress("localhost:7000", env.lookup(), 1000), "localhost:7000");
}

TEST(SocketAddress, UnixAddressesAreNormalized) {
  EXPECT_EQ(NormalizeAddress("unix:///run/g.sock"), "unix:/run/g.sock");
  EXPECT_EQ(NormalizeAddress("/run/g.sock"), "unix:/run/g.sock");
  EXPECT_EQ(NormalizeAddress("unix:g.sock", "/srv/ws"), "unix:/srv/ws/g.sock");
  EXPECT_EQ(NormalizeAddress("./g.sock", "/srv/ws/"), "unix:/srv/ws/./g.sock");
  EXPECT_EQ(NormalizeAddress("unix:g.sock"), "unix:g.sock");  // no folder to resolve against
  EXPECT_EQ(NormalizeAddress("dns:///host:1"), "dns:///host:1");
  EXPECT_EQ(NormalizeAddress("host:1"), "host:1");
}

TEST(SocketAddress, UnixSocketPath) {
  EXPECT_EQ(UnixSocketPath("unix:/run/g.sock"), "/run/g.sock");
  EXPECT_EQ(UnixSocketPath("unix:///run/g.sock"), "/run/g.sock");
  EXPECT_EQ(UnixSocketPath("host:1"), std::nullopt);
}

TEST(StateDir, FollowsXdgStateHomeThenHome) {
  FakeEnv env;
  EXPECT_EQ(DefaultStateDir(env.lookup(), 7), "/tmp/gale-7/.local/state/gale");
  env.Set("HOME", "/srv/ws");
  EXPECT_EQ(DefaultStateDir(env.lookup(), 7), "/srv/ws/.local/state/gale");
  EXPECT_EQ(DaemonLogPath(env.lookup(), 7), "/srv/ws/.local/state/gale/galed.log");
  env.Set("XDG_STATE_HOME", "/srv/state");
  EXPECT_EQ(DefaultStateDir(env.lookup(), 7), "/srv/state/gale");
}

}  // namespace
}  // namespace gale::host
