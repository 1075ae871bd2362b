// The OpenOCD runner against the real `openocd` binary: the Tcl RPC client and the server on
// the `dummy` adapter (no probe needed), start-up failures, timeouts, and the error classifier
// on recorded OpenOCD output (data/README.md says which files were captured here and which
// were hand-recorded from OpenOCD's documented messages).
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gale/gdb/client.h"
#include "gale/runners/openocd.h"
#include "gtest/gtest.h"

namespace gale::runners {
namespace {

const std::string kData = GALE_OPENOCD_TEST_DATA;
constexpr char kUmockdevSerial[] = "0669FF3731324B4E43171234";

class TempDir {
 public:
  TempDir() {
    char path[] = "/tmp/gale-openocd-test.XXXXXX";
    path_ = mkdtemp(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

OpenOcdOptions DummyOptions(const std::string &run_dir) {
  OpenOcdOptions options;
  options.configs = {kData + "/dummy.cfg"};
  options.run_dir = run_dir;
  options.label = "dummy-1 (serial DUMMY)";
  options.start_timeout = absl::Seconds(15);
  return options;
}

// --- classifier ------------------------------------------------------------------------------

TEST(OpenOcdClassify, RecordedOutputs) {
  int files = 0;
  for (const auto &entry : std::filesystem::directory_iterator(kData)) {
    if (entry.path().extension() != ".log") {
      continue;
    }
    ++files;
    std::string name = entry.path().filename().string();
    std::string output = ReadFile(entry.path().string());
    OpenOcdDiagnosis diagnosis = ClassifyOpenOcdOutput(output, kUmockdevSerial);
    std::string expected_class = std::string(OpenOcdErrorClassName(diagnosis.error_class));
    EXPECT_TRUE(absl::StartsWith(name, expected_class + "-"))
        << name << " was classed " << expected_class << ": " << diagnosis.reason;
    EXPECT_FALSE(diagnosis.reason.empty()) << name;
    EXPECT_FALSE(absl::StrContains(diagnosis.reason, "\n")) << name << ": " << diagnosis.reason;
    EXPECT_FALSE(diagnosis.evidence.empty()) << name;
  }
  EXPECT_GE(files, 15);
}

TEST(OpenOcdClassify, ReasonsSayWhatToDo) {
  OpenOcdDiagnosis dead = ClassifyOpenOcdOutput(
      ReadFile(kData + "/no-probe-stlink-umockdev-serial.log"), kUmockdevSerial);
  EXPECT_EQ(dead.error_class, OpenOcdErrorClass::kNoProbe);
  EXPECT_TRUE(absl::StrContains(dead.reason, kUmockdevSerial)) << dead.reason;
  EXPECT_TRUE(absl::StrContains(dead.reason, "replug")) << dead.reason;

  OpenOcdDiagnosis unpowered =
      ClassifyOpenOcdOutput(ReadFile(kData + "/target-not-examined-stlink-unpowered.log"));
  EXPECT_EQ(unpowered.error_class, OpenOcdErrorClass::kTargetNotExamined);
  EXPECT_TRUE(absl::StrContains(unpowered.reason, "0.00 V")) << unpowered.reason;
  EXPECT_TRUE(absl::StrContains(unpowered.reason, "power")) << unpowered.reason;

  OpenOcdDiagnosis access = ClassifyOpenOcdOutput(ReadFile(kData + "/no-permission-stlink.log"));
  EXPECT_TRUE(absl::StrContains(access.reason, "udev")) << access.reason;

  OpenOcdDiagnosis other = ClassifyOpenOcdOutput(ReadFile(kData + "/other-missing-config.log"));
  EXPECT_EQ(other.error_class, OpenOcdErrorClass::kOther);
  EXPECT_TRUE(absl::StrContains(other.reason, "Can't find /nonexistent/board.cfg")) << other.reason;

  // An Info line mentioning a timeout is not a complaint.
  EXPECT_EQ(ClassifyOpenOcdOutput("Info : timed out nothing\n", "", "x").error_class,
            OpenOcdErrorClass::kOther);
}

TEST(OpenOcdClassify, StatusCarriesClassLogAndOutput) {
  absl::Status status = MakeOpenOcdError(OpenOcdErrorClass::kVerifyFailed, "x: verify failed",
                                         "/r/openocd.log", "Error: checksum mismatch\n");
  EXPECT_TRUE(absl::IsDataLoss(status));
  EXPECT_EQ(OpenOcdErrorClassOf(status), OpenOcdErrorClass::kVerifyFailed);
  EXPECT_EQ(OpenOcdLogPathOf(status), "/r/openocd.log");
  EXPECT_EQ(OpenOcdOutputOf(status), "Error: checksum mismatch\n");
  EXPECT_FALSE(OpenOcdErrorClassOf(absl::InternalError("x")).has_value());
}

// --- command line ----------------------------------------------------------------------------

TEST(OpenOcdCommandLine, FromBoardSettings) {
  TempDir dir;
  std::ofstream(dir.path() + "/board.cfg") << "# the board's own script\n";
  boards::Board board;
  board.name = "nucleo_f401re";
  board.dir = dir.path();
  board.openocd.configs = {"interface/stlink.cfg", "board.cfg", "target/stm32f4x.cfg"};
  board.openocd.transport = "hla_swd";
  board.openocd.adapter_speed_khz = 4000;
  absl::StatusOr<OpenOcdOptions> options = OpenOcdOptionsForBoard(board, kUmockdevSerial);
  ASSERT_TRUE(options.ok()) << options.status();
  options->run_dir = dir.path();
  std::vector<std::string> argv = OpenOcdCommandLine(*options);
  std::vector<std::string> want = {"openocd",
                                   "-c",
                                   "bindto 127.0.0.1",
                                   "-c",
                                   "tcl_port 0",
                                   "-c",
                                   "gdb_port 0",
                                   "-c",
                                   "telnet_port disabled",
                                   "-f",
                                   "interface/stlink.cfg",
                                   "-c",
                                   "transport select hla_swd",
                                   "-f",
                                   dir.path() + "/board.cfg",
                                   "-f",
                                   "target/stm32f4x.cfg",
                                   "-c",
                                   absl::StrCat("adapter serial ", kUmockdevSerial),
                                   "-c",
                                   "adapter speed 4000"};
  EXPECT_EQ(argv, want);

  boards::Board bare;
  bare.name = "qemu_cortex_m3";
  absl::StatusOr<OpenOcdOptions> none = OpenOcdOptionsForBoard(bare, "X");
  EXPECT_TRUE(absl::IsFailedPrecondition(none.status())) << none.status();
  EXPECT_TRUE(absl::StrContains(none.status().message(), "qemu_cortex_m3"));
}

// --- Tcl client and server on the dummy adapter ------------------------------------------------

TEST(OpenOcdServer, StartsServesAndStops) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server =
      OpenOcdServer::Start(DummyOptions(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_GT((*server)->tcl_port(), 0);
  EXPECT_TRUE((*server)->running());
  EXPECT_EQ((*server)->log_path(), dir.path() + "/openocd.log");
  EXPECT_TRUE(absl::StrContains((*server)->LogText(), "Listening on port"));

  absl::StatusOr<std::string> version = (*server)->Command("version");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_TRUE(absl::StartsWith(*version, "Open On-Chip Debugger")) << *version;
  absl::StatusOr<std::string> speed = (*server)->Command("adapter speed");
  ASSERT_TRUE(speed.ok()) << speed.status();
  EXPECT_TRUE(absl::StrContains(*speed, "1000 kHz")) << *speed;
  EXPECT_TRUE((*server)->Reset(/*halt=*/true).ok());
  EXPECT_TRUE((*server)->Halt().ok());

  ChildProcess &process = (*server)->process();
  pid_t pid = process.pid();
  server->reset();  // asks OpenOCD to shut down
  EXPECT_NE(kill(pid, 0), 0) << "OpenOCD still runs after its server was destroyed";
}

TEST(OpenOcdServer, TwoServersGetTheirOwnPorts) {
  TempDir a, b;
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> first =
      OpenOcdServer::Start(DummyOptions(a.path()));
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> second =
      OpenOcdServer::Start(DummyOptions(b.path()));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE((*first)->tcl_port(), (*second)->tcl_port());
  EXPECT_TRUE((*first)->Command("version").ok());
  EXPECT_TRUE((*second)->Command("version").ok());
}

TEST(OpenOcdServer, ExposesTheGdbServerPort) {
  TempDir dir;
  OpenOcdOptions options = DummyOptions(dir.path());
  options.configs = {kData + "/dummy-gdb.cfg"};
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server = OpenOcdServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_GT((*server)->gdb_port(), 0);
  EXPECT_NE((*server)->gdb_port(), (*server)->tcl_port());
  EXPECT_EQ((*server)->gdb_address(), absl::StrCat("tcp:127.0.0.1:", (*server)->gdb_port()));
  // A real GDB remote exchange with OpenOCD's server.
  absl::StatusOr<std::unique_ptr<gdb::Transport>> transport =
      gdb::Connect((*server)->gdb_address(), absl::Seconds(5));
  ASSERT_TRUE(transport.ok()) << transport.status();
  gdb::Client client(std::move(*transport), gdb::ClientOptions{});
  EXPECT_TRUE(client.Handshake().ok());

  // This target "reads" the all-ones the dummy adapter returns: the memory path end to end,
  // across the 16 KiB pieces, and as an rtt::MemoryAccess.
  absl::StatusOr<std::vector<uint8_t>> memory = (*server)->ReadMemory(0x1000, 40000);
  ASSERT_TRUE(memory.ok()) << memory.status();
  EXPECT_EQ(*memory, std::vector<uint8_t>(40000, 0xff));
  OpenOcdMemoryAccess access(**server);
  absl::StatusOr<std::vector<uint8_t>> word = access.Read(0x20000000, 4);
  ASSERT_TRUE(word.ok()) << word.status();
  EXPECT_EQ(word->size(), 4u);
  std::vector<uint8_t> bytes(5000, 0x5a);
  EXPECT_TRUE(access.Write(0x20000000, bytes).ok());
  // OpenOCD fails `reset halt` here with its own error number (-4) and no text: still an
  // error, with what it logged.
  absl::Status reset = (*server)->Reset(/*halt=*/true);
  EXPECT_FALSE(reset.ok());
  EXPECT_TRUE(absl::StrContains(reset.message(), "'reset' failed")) << reset;
  EXPECT_EQ(OpenOcdErrorClassOf(reset), OpenOcdErrorClass::kTargetNotExamined) << reset;

  // The testee target has no GDB server: no address rather than a wrong one.
  TempDir other;
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> testee =
      OpenOcdServer::Start(DummyOptions(other.path()));
  ASSERT_TRUE(testee.ok()) << testee.status();
  EXPECT_EQ((*testee)->gdb_port(), 0);
  EXPECT_EQ((*testee)->gdb_address(), "");
}

TEST(OpenOcdTcl, ClientRoundTripsAndErrors) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server =
      OpenOcdServer::Start(DummyOptions(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::unique_ptr<OpenOcdTclClient>> client =
      OpenOcdTclClient::Connect((*server)->tcl_port());
  ASSERT_TRUE(client.ok()) << client.status();

  absl::StatusOr<std::string> three = (*client)->Run("expr {1 + 2}", absl::Seconds(5));
  ASSERT_TRUE(three.ok()) << three.status();
  EXPECT_EQ(*three, "3");
  // Raw evaluation: an error reply is only text.
  absl::StatusOr<std::string> raw = (*client)->Eval("nosuchcmd", absl::Seconds(5));
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(*raw, "invalid command name \"nosuchcmd\"");
  // Run: the same error as a status with OpenOCD's message.
  absl::StatusOr<std::string> bad = (*client)->Run("nosuchcmd", absl::Seconds(5));
  EXPECT_TRUE(absl::IsFailedPrecondition(bad.status())) << bad.status();
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "invalid command name \"nosuchcmd\""))
      << bad.status();
  // Any text survives quoting: braces, brackets, dollars, quotes, backslashes, newlines.
  std::string weird = "a {b [c] $d \"e\" \\f\n} }{";
  absl::StatusOr<std::string> echoed =
      (*client)->Run(absl::StrCat("set gale_x ", TclQuote(weird)), absl::Seconds(5));
  ASSERT_TRUE(echoed.ok()) << echoed.status();
  EXPECT_EQ(*echoed, weird);
  // 0x1a would end the message early.
  EXPECT_TRUE(absl::IsInvalidArgument(
      (*client)->Eval(std::string("echo \x1a"), absl::Seconds(1)).status()));
  // Still usable after all of that.
  EXPECT_TRUE((*client)->Run("version", absl::Seconds(5)).ok());
}

TEST(OpenOcdTcl, TimeoutBreaksTheClient) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server =
      OpenOcdServer::Start(DummyOptions(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::unique_ptr<OpenOcdTclClient>> client =
      OpenOcdTclClient::Connect((*server)->tcl_port());
  ASSERT_TRUE(client.ok()) << client.status();
  absl::Time start = absl::Now();
  absl::StatusOr<std::string> slow = (*client)->Run("after 2000", absl::Milliseconds(200));
  EXPECT_TRUE(absl::IsDeadlineExceeded(slow.status())) << slow.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_FALSE((*client)->usable());
  absl::StatusOr<std::string> after = (*client)->Run("version", absl::Seconds(5));
  EXPECT_TRUE(absl::IsFailedPrecondition(after.status())) << after.status();
}

TEST(OpenOcdTcl, ConnectToNothing) {
  // A port nobody listens on: bind one, close it, connect.
  absl::StatusOr<std::unique_ptr<OpenOcdTclClient>> client =
      OpenOcdTclClient::Connect(1, absl::Milliseconds(500));
  EXPECT_TRUE(absl::IsUnavailable(client.status())) << client.status();
  EXPECT_TRUE(absl::IsInvalidArgument(OpenOcdTclClient::Connect(70000).status()));
}

TEST(OpenOcdServer, CommandErrorsCarryOpenOcdsMessage) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server =
      OpenOcdServer::Start(DummyOptions(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::vector<uint8_t>> memory = (*server)->ReadMemory(0x20000000, 4);
  ASSERT_FALSE(memory.ok());
  std::string message(memory.status().message());
  EXPECT_TRUE(absl::StrContains(message, "dummy-1 (serial DUMMY)")) << message;
  EXPECT_TRUE(absl::StrContains(message, "read_memory: failed to read memory")) << message;
  // What OpenOCD logged during the command is quoted too, and kept in the status.
  EXPECT_TRUE(absl::StrContains(message, "doesn't support read_memory")) << message;
  EXPECT_TRUE(absl::StrContains(message, (*server)->log_path())) << message;
  EXPECT_EQ(OpenOcdErrorClassOf(memory.status()), OpenOcdErrorClass::kOther);
  EXPECT_TRUE(absl::StrContains(OpenOcdOutputOf(memory.status()), "doesn't support read_memory"));
  EXPECT_FALSE(absl::StrContains(message, "\n")) << message;

  OpenOcdMemoryAccess access(**server);
  std::vector<uint8_t> bytes = {1, 2, 3};
  absl::Status written = access.Write(0x20000000, bytes);
  EXPECT_TRUE(absl::StrContains(written.message(), "write_memory")) << written;

  // The server stays usable after failed commands.
  EXPECT_TRUE((*server)->Command("version").ok());
}

TEST(OpenOcdServer, CommandTimeoutStopsTheServer) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server =
      OpenOcdServer::Start(DummyOptions(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::string> slow = (*server)->Command("after 5000", absl::Milliseconds(300));
  EXPECT_TRUE(absl::IsDeadlineExceeded(slow.status())) << slow.status();
  EXPECT_EQ(OpenOcdErrorClassOf(slow.status()), OpenOcdErrorClass::kTimeout);
  EXPECT_TRUE(absl::StrContains(slow.status().message(), "'after'")) << slow.status();
  EXPECT_FALSE((*server)->running());
  absl::StatusOr<std::string> next = (*server)->Command("version");
  EXPECT_FALSE(next.ok());
  EXPECT_TRUE(absl::StrContains(next.status().message(), "not running")) << next.status();
}

TEST(OpenOcdServer, ExitDuringCommandIsReported) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server =
      OpenOcdServer::Start(DummyOptions(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  // OpenOCD dies (here: killed) while it works on a command.
  std::thread killer([&] {
    absl::SleepFor(absl::Milliseconds(300));
    (*server)->process().Signal(SIGKILL);
  });
  absl::StatusOr<std::string> gone = (*server)->Command("after 3000", absl::Seconds(10));
  killer.join();
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(absl::IsUnavailable(gone.status())) << gone.status();
  EXPECT_TRUE(absl::StrContains(gone.status().message(), "OpenOCD was killed by signal 9"))
      << gone.status();
  EXPECT_TRUE(absl::StrContains(gone.status().message(), "during 'after'")) << gone.status();
  EXPECT_FALSE((*server)->running());
}

TEST(OpenOcdServer, BadConfigFailsAtStartUpWithItsReason) {
  TempDir dir;
  OpenOcdOptions options = DummyOptions(dir.path());
  options.configs = {dir.path() + "/missing.cfg"};
  absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server = OpenOcdServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  std::string message(server.status().message());
  EXPECT_TRUE(absl::StrContains(message, "dummy-1 (serial DUMMY)")) << message;
  EXPECT_TRUE(absl::StrContains(message, "missing.cfg")) << message;
  EXPECT_TRUE(absl::StrContains(message, "exited with status 1 at start-up")) << message;
  EXPECT_EQ(OpenOcdErrorClassOf(server.status()), OpenOcdErrorClass::kOther);
  EXPECT_EQ(OpenOcdLogPathOf(server.status()), dir.path() + "/openocd.log");
}

TEST(OpenOcdServer, UnreachableTargetIsClassified) {
  TempDir dir;
  OpenOcdOptions options = DummyOptions(dir.path());
  options.configs = {kData + "/dummy-cortex-m.cfg"};
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server = OpenOcdServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(OpenOcdErrorClassOf(server.status()), OpenOcdErrorClass::kTargetNotExamined)
      << server.status();
  EXPECT_TRUE(absl::IsFailedPrecondition(server.status())) << server.status();
  EXPECT_TRUE(absl::StrContains(server.status().message(), "powered")) << server.status();
}

TEST(OpenOcdServer, StartTimeoutKillsIt) {
  TempDir dir;
  OpenOcdOptions options = DummyOptions(dir.path());
  // Sleeps in the configuration stage, before the Tcl port even opens.
  options.configs.clear();
  options.commands = {"after 10000"};
  options.start_timeout = absl::Seconds(1);
  absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server = OpenOcdServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(4));
  EXPECT_TRUE(absl::IsDeadlineExceeded(server.status())) << server.status();
  EXPECT_EQ(OpenOcdErrorClassOf(server.status()), OpenOcdErrorClass::kTimeout);
  EXPECT_TRUE(absl::StrContains(server.status().message(), "killed it")) << server.status();
}

TEST(OpenOcdServer, FlashRefusesOtherFormatsAndReportsPhases) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server =
      OpenOcdServer::Start(DummyOptions(dir.path()));
  ASSERT_TRUE(server.ok()) << server.status();
  std::ofstream(dir.path() + "/image.bin") << "\x01\x02\x03\x04";
  absl::StatusOr<FlashResult> bin = (*server)->Flash(dir.path() + "/image.bin", {});
  EXPECT_TRUE(absl::IsInvalidArgument(bin.status())) << bin.status();
  EXPECT_TRUE(absl::StrContains(bin.status().message(), "neither an ELF nor an Intel HEX"));
  absl::StatusOr<FlashResult> missing = (*server)->Flash(dir.path() + "/none.elf", {});
  EXPECT_TRUE(absl::IsInvalidArgument(missing.status())) << missing.status();

  // The testee target has no flash: connect succeeds, writing fails with OpenOCD's words.
  std::ofstream(dir.path() + "/image.hex") << ":020000040800F2\n:00000001FF\n";
  std::vector<std::string> phases;
  FlashOptions options;
  options.progress = [&](const FlashProgress &p) {
    phases.push_back(absl::StrCat(p.phase, ":", p.done));
  };
  absl::StatusOr<FlashResult> result = (*server)->Flash(dir.path() + "/image.hex", options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(phases, (std::vector<std::string>{"connect:0", "connect:1", "write:0"}));
  EXPECT_TRUE(absl::StrContains(result.status().message(), "'flash' failed")) << result.status();
}

// --- the dead probe of the acceptance: run under umockdev-run by CTest -------------------------

TEST(OpenOcdUmockdev, DeadProbeFailsQuicklyAndClassified) {
  if (getenv("UMOCKDEV_DIR") == nullptr) {
    GTEST_SKIP() << "needs umockdev-run (CTest runs it as openocd_runner.umockdev)";
  }
  TempDir dir;
  OpenOcdOptions options;
  options.configs = {"interface/stlink.cfg", "target/stm32f4x.cfg"};
  options.serial = kUmockdevSerial;
  options.run_dir = dir.path();
  options.label = "bench-1 (serial 0669FF3731324B4E43171234)";
  absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<OpenOcdServer>> server = OpenOcdServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
  EXPECT_EQ(OpenOcdErrorClassOf(server.status()), OpenOcdErrorClass::kNoProbe) << server.status();
  std::string message(server.status().message());
  EXPECT_TRUE(absl::StrContains(message, "bench-1")) << message;
  EXPECT_TRUE(absl::StrContains(message, kUmockdevSerial)) << message;
  EXPECT_FALSE(absl::StrContains(message, "\n")) << message;
  EXPECT_TRUE(absl::StrContains(OpenOcdOutputOf(server.status()), "open failed"));
}

}  // namespace
}  // namespace gale::runners

int main(int argc, char **argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
