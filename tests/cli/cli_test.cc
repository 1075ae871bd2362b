#include "cli.h"

#include <gtest/gtest.h>

#include "exit_codes.h"

namespace gale::cli {
namespace {

Invocation Parse(const std::vector<std::string> &args) {
  const ParseResult result = ParseCommandLine(args);
  EXPECT_FALSE(result.exit_code.has_value()) << result.error;
  return result.invocation;
}

int ParseError(const std::vector<std::string> &args, std::string *error = nullptr) {
  const ParseResult result = ParseCommandLine(args);
  if (error != nullptr) {
    *error = result.error;
  }
  return result.exit_code.value_or(-1);
}

TEST(ParseCommandLine, BuildWithCMakeArguments) {
  const Invocation inv = Parse({"build", "-b", "qemu_cortex_m3", "-d", "out", "app", "--pristine",
                                "--", "-DEXTRA_CONF_FILE=x.conf", "--trace"});
  EXPECT_EQ(inv.command, Command::kBuild);
  EXPECT_EQ(inv.build.board, "qemu_cortex_m3");
  EXPECT_EQ(inv.build.build_dir, "out");
  EXPECT_EQ(inv.build.app_dir, "app");
  EXPECT_TRUE(inv.build.pristine);
  EXPECT_EQ(inv.build.cmake_args,
            (std::vector<std::string>{"-DEXTRA_CONF_FILE=x.conf", "--trace"}));
}

TEST(ParseCommandLine, GlobalOptionsBeforeOrAfterTheCommand) {
  Invocation inv = Parse({"--socket", "unix:/tmp/s", "-v", "boards", "--json"});
  EXPECT_EQ(inv.command, Command::kBoards);
  EXPECT_EQ(inv.global.socket, "unix:/tmp/s");
  EXPECT_TRUE(inv.global.json);
  EXPECT_EQ(inv.global.verbose, 1);
  inv = Parse({"jobs", "show", "j-12", "--json"});
  EXPECT_EQ(inv.command, Command::kJobsShow);
  EXPECT_EQ(inv.jobs.id, "j-12");
  EXPECT_TRUE(inv.global.json);
}

TEST(ParseCommandLine, Run) {
  const Invocation inv = Parse({"run", "-b", "native_sim", "/tmp/app", "--timeout", "120"});
  EXPECT_EQ(inv.command, Command::kRun);
  EXPECT_EQ(inv.build.board, "native_sim");
  EXPECT_EQ(inv.build.app_dir, "/tmp/app");
  EXPECT_EQ(inv.run.timeout_s, 120u);
  EXPECT_FALSE(inv.run.icount_shift.has_value());
}

TEST(ParseCommandLine, BoardIsRequired) {
  std::string error;
  EXPECT_EQ(ParseError({"build", "app"}, &error), kExitUsage);
  EXPECT_NE(error.find("--board"), std::string::npos) << error;
}

TEST(ParseCommandLine, EmuStartAndStop) {
  Invocation inv = Parse({"emu", "start", "-b", "qemu_cortex_m3", "--count", "3", "--icount", "2"});
  EXPECT_EQ(inv.command, Command::kEmuStart);
  EXPECT_EQ(inv.emu.board, "qemu_cortex_m3");
  EXPECT_EQ(inv.emu.count, 3);
  EXPECT_EQ(inv.emu.icount_shift, 2);
  EXPECT_EQ(ParseError({"emu", "start", "-b", "x", "--count", "0"}), kExitUsage);
  inv = Parse({"emu", "stop", "emu-a-1", "emu-a-2"});
  EXPECT_EQ(inv.command, Command::kEmuStop);
  EXPECT_EQ(inv.emu.devices, (std::vector<std::string>{"emu-a-1", "emu-a-2"}));
  EXPECT_EQ(ParseError({"emu"}), kExitUsage);
}

TEST(ParseCommandLine, DevicesAssignAndUnassign) {
  Invocation inv = Parse({"devices"});
  EXPECT_EQ(inv.command, Command::kDevices);
  inv = Parse({"devices", "assign", "0669FF37", "--board", "nucleo_f401re", "--name", "bench-1"});
  EXPECT_EQ(inv.command, Command::kDevicesAssign);
  EXPECT_EQ(inv.devices.serial, "0669FF37");
  EXPECT_EQ(inv.devices.board, "nucleo_f401re");
  EXPECT_EQ(inv.devices.name, "bench-1");
  EXPECT_EQ(inv.devices.tty, "");
  inv = Parse({"devices", "assign", "S", "-b", "B", "-n", "N", "--tty", "/dev/ttyUSB1"});
  EXPECT_EQ(inv.devices.tty, "/dev/ttyUSB1");
  EXPECT_EQ(ParseError({"devices", "assign", "S", "--board", "B"}), kExitUsage);  // no name
  EXPECT_EQ(ParseError({"devices", "assign", "--board", "B", "--name", "N"}), kExitUsage);
  inv = Parse({"devices", "unassign", "bench-1"});
  EXPECT_EQ(inv.command, Command::kDevicesUnassign);
  EXPECT_EQ(inv.devices.device, "bench-1");
  EXPECT_EQ(ParseError({"devices", "unassign"}), kExitUsage);
}

TEST(ParseCommandLine, TestTakesOneBoardPerFlag) {
  const Invocation inv = Parse({"test", "-b", "native_sim", "-b", "qemu_cortex_m3", "tests/a",
                                "tests/b", "--junit", "j.xml", "--tag", "kernel", "-j", "4"});
  EXPECT_EQ(inv.command, Command::kTest);
  EXPECT_EQ(inv.test.boards, (std::vector<std::string>{"native_sim", "qemu_cortex_m3"}));
  EXPECT_EQ(inv.test.paths, (std::vector<std::string>{"tests/a", "tests/b"}));
  EXPECT_EQ(inv.test.junit, "j.xml");
  EXPECT_EQ(inv.test.tags, (std::vector<std::string>{"kernel"}));
  EXPECT_EQ(inv.test.parallel, 4u);
}

TEST(ParseCommandLine, FlashAndConsole) {
  Invocation inv = Parse({"flash", "-d", "b", "--device", "emu-x-1", "--runner", "gdbremote"});
  EXPECT_EQ(inv.command, Command::kFlash);
  EXPECT_EQ(inv.flash.build_dir, "b");
  EXPECT_EQ(inv.flash.device, "emu-x-1");
  EXPECT_EQ(inv.flash.runner, "gdbremote");
  inv = Parse({"console", "--device", "emu-x-1"});
  EXPECT_EQ(inv.command, Command::kConsole);
  EXPECT_EQ(inv.console.device, "emu-x-1");
  EXPECT_FALSE(inv.console.follow);
}

TEST(ParseCommandLine, LeaseCommands) {
  Invocation inv = Parse({"lease", "acquire", "--board", "qemu_cortex_m3", "--count", "2", "--for",
                          "300s", "--wait", "1m", "--tag", "a", "--tag", "b"});
  EXPECT_EQ(inv.command, Command::kLeaseAcquire);
  EXPECT_EQ(inv.lease.board, "qemu_cortex_m3");
  EXPECT_EQ(inv.lease.count, 2);
  EXPECT_EQ(inv.lease.duration, "300s");
  EXPECT_EQ(inv.lease.wait, "1m");
  EXPECT_EQ(inv.lease.tags, (std::vector<std::string>{"a", "b"}));
  inv = Parse({"lease", "acquire", "--devices", "x,y", "--device", "z"});
  EXPECT_EQ(inv.lease.devices, (std::vector<std::string>{"x", "y", "z"}));
  inv = Parse({"--lease", "tok", "lease", "renew", "--for", "5m"});
  EXPECT_EQ(inv.command, Command::kLeaseRenew);
  EXPECT_EQ(inv.global.lease, "tok");
  EXPECT_EQ(Parse({"lease", "release", "tok2"}).lease.token, "tok2");
  EXPECT_EQ(Parse({"lease", "list", "--json"}).command, Command::kLeaseList);
  EXPECT_EQ(ParseError({"lease"}), kExitUsage);
  EXPECT_EQ(ParseError({"lease", "acquire", "--count", "0", "--board", "b"}), kExitUsage);
}

TEST(ParseCommandLine, DevicesTagAndBatchFlash) {
  Invocation inv = Parse({"devices", "tag", "bench-1", "rack-2", "usb3"});
  EXPECT_EQ(inv.command, Command::kDevicesTag);
  EXPECT_EQ(inv.devices.device, "bench-1");
  EXPECT_EQ(inv.devices.tags, (std::vector<std::string>{"rack-2", "usb3"}));
  EXPECT_TRUE(Parse({"devices", "tag", "bench-1", "--clear"}).devices.clear);
  std::string error;
  EXPECT_EQ(ParseError({"devices", "tag", "bench-1"}, &error), kExitUsage);
  EXPECT_NE(error.find("--clear"), std::string::npos) << error;
  EXPECT_EQ(ParseError({"devices", "tag", "bench-1", "x", "--clear"}), kExitUsage);

  inv = Parse({"flash", "-d", "b", "--devices", "a,b,c"});
  EXPECT_EQ(inv.flash.devices, (std::vector<std::string>{"a", "b", "c"}));
  inv = Parse({"flash", "--board", "qemu_cortex_m3", "--all"});
  EXPECT_TRUE(inv.flash.all);
  EXPECT_EQ(inv.flash.board, "qemu_cortex_m3");
  EXPECT_EQ(ParseError({"flash", "--all"}), kExitUsage);
  EXPECT_EQ(ParseError({"flash", "--board", "b"}), kExitUsage);
  EXPECT_EQ(ParseError({"flash", "--device", "a", "--devices", "b,c"}), kExitUsage);
  inv = Parse({"test", "--devices", "a,b", "self"});
  EXPECT_EQ(inv.test.devices, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(inv.test.paths, (std::vector<std::string>{"self"}));
}

TEST(ParseCommandLine, ConfigTakesExactlyOneAction) {
  Invocation inv = Parse({"config", "--list"});
  EXPECT_EQ(inv.command, Command::kConfig);
  EXPECT_TRUE(inv.config.list);
  inv = Parse({"config", "-d", "b", "--set", "LOG=y", "--set", "SHELL=y"});
  EXPECT_EQ(inv.config.set, (std::vector<std::string>{"LOG=y", "SHELL=y"}));
  inv = Parse({"config", "--get", "LOG"});
  EXPECT_EQ(inv.config.get, "LOG");
  EXPECT_EQ(ParseError({"config"}), kExitUsage);
  EXPECT_EQ(ParseError({"config", "-d", "b"}), kExitUsage);
  EXPECT_EQ(ParseError({"config", "-d", "b", "--all"}), kExitUsage);
  EXPECT_EQ(ParseError({"config", "--list", "--get", "LOG"}), kExitUsage);
}

TEST(ParseCommandLine, JobsAndDaemon) {
  Invocation inv = Parse({"jobs", "--limit", "5", "--state", "failed"});
  EXPECT_EQ(inv.command, Command::kJobs);
  EXPECT_EQ(inv.jobs.limit, 5u);
  EXPECT_EQ(inv.jobs.state, "failed");
  inv = Parse({"jobs", "cancel", "j-3"});
  EXPECT_EQ(inv.command, Command::kJobsCancel);
  inv = Parse({"daemon", "status", "--json"});
  EXPECT_EQ(inv.command, Command::kDaemonStatus);
  EXPECT_TRUE(inv.global.json);
  EXPECT_FALSE(NeedsDaemon(inv.command));
  EXPECT_TRUE(NeedsDaemon(Command::kBoards));
  EXPECT_EQ(ParseError({"daemon"}), kExitUsage);
}

TEST(ParseCommandLine, CMakeArgumentsOnlyForBuildAndRun) {
  std::string error;
  EXPECT_EQ(ParseError({"boards", "--", "-DX=1"}, &error), kExitUsage);
  EXPECT_NE(error.find("--"), std::string::npos);
}

TEST(ParseCommandLine, HelpAndVersionExitZero) {
  ParseResult result = ParseCommandLine(std::vector<std::string>{"--help"});
  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_NE(result.output.find("emu"), std::string::npos);
  result = ParseCommandLine(std::vector<std::string>{"--version"});
  EXPECT_EQ(result.exit_code, kExitOk);
  EXPECT_EQ(result.output.rfind("gale ", 0), 0u) << result.output;
}

TEST(ParseCommandLine, UnknownCommandOrOptionIsAUsageError) {
  EXPECT_EQ(ParseError({"frobnicate"}), kExitUsage);
  EXPECT_EQ(ParseError({"boards", "--frob"}), kExitUsage);
  EXPECT_EQ(ParseError({}), kExitUsage);
}

}  // namespace
}  // namespace gale::cli
