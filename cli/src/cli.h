// The command line of `gale`: what the user asked for, parsed into plain structs (no gRPC), so
// that tests can check the parsing without a daemon.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gale::cli {

enum class Command {
  kBoards,
  kBuild,
  kRun,
  kEmuStart,
  kEmuStop,
  kDevices,
  kDevicesAssign,
  kDevicesUnassign,
  kDevicesTag,
  kFlash,
  kConsole,
  kShell,
  kRtt,
  kDebug,
  kIdeQtCreator,
  kLogs,
  kTrace,
  kTraceStats,
  kTest,
  kConfig,
  kJobs,
  kJobsShow,
  kJobsCancel,
  kJobsWatch,
  kLeaseAcquire,
  kLeaseRenew,
  kLeaseRelease,
  kLeaseList,
  kAudit,
  kDaemonStart,
  kDaemonStop,
  kDaemonStatus,
};

struct GlobalOptions {
  std::string socket;  // --socket; empty: GALE_SOCKET or the default (see gale/host/paths.h)
  std::string token;        // --token; empty: GALE_TOKEN (see remote.h)
  std::string ca;           // --ca: TLS roots for tcp:// addresses
  std::string client_cert;  // --client-cert / --client-key: mutual TLS
  std::string client_key;
  bool json = false;
  int verbose = 0;
  std::string lease;  // --lease; empty: GALE_LEASE
};

struct BoardsOptions {
  std::string arch;
};

struct BuildOptions {
  std::string board;
  std::string build_dir;  // as given; empty: APP_DIR/build
  std::string app_dir;    // as given; empty: the current folder
  bool pristine = false;
  std::vector<std::string> cmake_args;  // after `--`
};

struct RunOptions {
  uint32_t timeout_s = 0;  // 0: no limit
  std::optional<int> icount_shift;
};

struct EmuOptions {
  std::string board;
  int count = 1;
  std::optional<int> icount_shift;
  bool no_icount = false;
  std::string name;
  std::vector<std::string> devices;  // emu stop
};

struct DevicesOptions {
  std::string serial;  // assign: the probe's serial
  std::string board;   // assign
  std::string name;    // assign
  std::string tty;     // assign: overrides the probe's virtual COM port
  std::string device;  // unassign: name or serial; tag: id or name
  std::vector<std::string> tags;  // tag
  bool clear = false;             // tag: remove every tag
};

struct FlashOptions {
  std::string build_dir;  // empty: ./build when it exists
  std::string elf;
  std::string device;
  std::vector<std::string> devices;  // --devices a,b,c: a batch
  std::string board;                 // --board B --all: a batch of every device of B
  bool all = false;
  std::string runner;
  bool no_verify = false;
  bool no_run = false;
};

struct ConsoleOptions {
  std::string device;
  bool no_replay = false;
  bool follow = false;  // keep going after the image exits
};

struct RttOptions {
  std::string device;
  int channel = 0;
  bool no_replay = false;
};

struct DebugOptions {
  std::string device;
  std::string build_dir;  // -d: its gale/gale.elf gives the debugger its symbols
  std::string elf;
  bool server_only = false;  // print the GDB server address (for an IDE) instead of starting gdb
};

struct IdeOptions {
  std::string app;  // default: the current folder
  std::string board;
  std::string build_dir;  // default: APP/build/BOARD
  std::string device;     // print its GDB server for Qt Creator's bare-metal debugging
  bool no_tools = false;  // do not write Qt Creator's external tools
};

struct TraceOptions {
  std::string device;
  double duration = 0;  // seconds; 0: until Ctrl-C
  std::string output;   // -o FILE
  std::string format = "chrome";
  std::string file;     // stats FILE
  std::string elf;      // stats --elf: for a raw stream
};

struct LogsOptions {
  std::string device;
  std::string level;
  std::string module;
  int limit = 1000;
  bool follow = false;
};

struct ShellOptions {
  std::string device;
  std::string command;  // -c: run one command, print its output
  int timeout_s = 10;
  bool rtt = false;        // the shell's RTT backend (channel 0) instead of the UART
  bool read_only = false;  // watch a session without taking the device's input
};

struct TestOptions {
  std::vector<std::string> boards;
  std::vector<std::string> paths;  // empty: the current folder
  std::vector<std::string> tags;
  std::string junit;
  std::string work_dir;
  uint32_t parallel = 0;
  std::vector<std::string> devices;  // run on these devices instead of fresh emulators
};
struct LeaseOptions {
  std::vector<std::string> devices;  // acquire: by id or name
  std::string board;
  std::vector<std::string> tags;
  int count = 0;         // 0: 1 (or the number of --device)
  std::string duration;  // --for: 300s, 5m, 1h (acquire, renew)
  std::string wait;      // --wait
  std::string note;
  std::string token;  // renew, release: default $GALE_LEASE / --lease
};

struct ConfigOptions {
  std::string build_dir;  // empty: ./build when it exists
  bool list = false;
  bool all = false;
  std::string get;
  std::vector<std::string> set;  // SYM=VALUE
};

struct JobsOptions {
  uint32_t limit = 0;
  std::string kind;
  std::string state;
  std::string id;  // show, cancel, watch
};

struct AuditOptions {
  uint32_t limit = 0;  // 0: the daemon's default (100)
  std::string caller;
};

struct Invocation {
  Command command = Command::kBoards;
  GlobalOptions global;
  BoardsOptions boards;
  BuildOptions build;  // build and run
  RunOptions run;
  EmuOptions emu;
  DevicesOptions devices;
  FlashOptions flash;
  ConsoleOptions console;
  ShellOptions shell;
  RttOptions rtt;
  DebugOptions debug;
  IdeOptions ide;
  LogsOptions logs;
  TraceOptions trace;
  TestOptions test;
  ConfigOptions config;
  JobsOptions jobs;
  LeaseOptions lease;
  AuditOptions audit;
};

struct ParseResult {
  Invocation invocation;
  /// Set when gale must stop here: 0 after --help or --version, kExitUsage for bad usage.
  std::optional<int> exit_code;
  std::string output;  // help or version text (stdout)
  std::string error;   // the usage error (stderr)
};

/// Parses argv (argv[0] is the program). Never throws.
ParseResult ParseCommandLine(int argc, const char *const *argv);

/// Convenience for tests: ParseCommandLine({"gale", args...}).
ParseResult ParseCommandLine(const std::vector<std::string> &args);

/// True for the commands that need a daemon (all but `daemon start|stop|status`, which manage
/// it themselves).
bool NeedsDaemon(Command command);

}  // namespace gale::cli
