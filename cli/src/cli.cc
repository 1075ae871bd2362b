#include "cli.h"

#include <sstream>

#include <CLI/CLI.hpp>

#include "exit_codes.h"

#ifndef GALE_VERSION
#define GALE_VERSION "unknown"
#endif

namespace gale::cli {
namespace {

// One value per occurrence: `-b a -b b PATH` must not take PATH as a board.
CLI::Option *Repeatable(CLI::Option *option) {
  return option->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void DefineCommands(CLI::App &app, Invocation &inv) {
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", "gale " GALE_VERSION);
  app.add_option("--socket", inv.global.socket,
                 "galed's address (default: $GALE_SOCKET, else "
                 "unix:$XDG_RUNTIME_DIR/gale/galed.sock)")
      ->option_text("ADDR");
  app.add_option("--token", inv.global.token,
                 "bearer token for a tcp:// galed (default: $GALE_TOKEN)")
      ->option_text("TOKEN");
  app.add_option("--ca", inv.global.ca,
                 "PEM roots to verify a tcp:// galed's TLS certificate (default: the system's; "
                 "plain TCP on loopback)")
      ->option_text("FILE");
  app.add_option("--client-cert", inv.global.client_cert,
                 "PEM client certificate for mutual TLS (with --client-key)")
      ->option_text("FILE");
  app.add_option("--client-key", inv.global.client_key, "PEM key of --client-cert")
      ->option_text("FILE");
  app.add_flag("--json", inv.global.json, "machine-readable output");
  app.add_flag("-v,--verbose", inv.global.verbose, "show tool output as it comes");
  app.add_option("--lease", inv.global.lease,
                 "a lease token sent with every call (default: $GALE_LEASE)")
      ->option_text("TOKEN");

  auto command = [&inv](Command c) { return [&inv, c]() { inv.command = c; }; };

  // boards
  CLI::App *boards = app.add_subcommand("boards", "list the boards Gale supports");
  boards->add_option("--arch", inv.boards.arch, "only boards of this architecture");
  boards->callback(command(Command::kBoards));

  // build and run share the build options
  auto build_options = [&inv](CLI::App *sub) {
    sub->add_option("-b,--board", inv.build.board, "the board to build for")->required();
    sub->add_option("-d,--build-dir", inv.build.build_dir, "build folder (default: APP_DIR/build)");
    sub->add_option("APP_DIR", inv.build.app_dir, "the application (default: the current folder)");
    sub->add_flag("-p,--pristine", inv.build.pristine, "remove the build folder first");
    sub->footer("Arguments after `--` go to CMake (e.g. -- -DEXTRA_CONF_FILE=debug.conf).");
  };
  CLI::App *build = app.add_subcommand("build", "configure and build an application");
  build_options(build);
  build->callback(command(Command::kBuild));

  CLI::App *run = app.add_subcommand(
      "run", "build, boot on an emulated board, stream the console; exit with the image's code");
  build_options(run);
  run->add_option("--timeout", inv.run.timeout_s, "give up after S seconds (default: no limit)")
      ->option_text("S");
  run->add_option("--icount", inv.run.icount_shift, "QEMU -icount shift (default 0)")
      ->option_text("SHIFT");
  run->callback(command(Command::kRun));

  // emu start | stop
  CLI::App *emu = app.add_subcommand("emu", "emulated boards");
  emu->require_subcommand(1);
  CLI::App *emu_start = emu->add_subcommand(
      "start", "start emulated boards, halted until flashed; prints each device id on a line");
  emu_start->add_option("-b,--board", inv.emu.board, "the board to emulate")->required();
  emu_start->add_option("-n,--count", inv.emu.count, "how many (default 1)")
      ->check(CLI::PositiveNumber);
  emu_start->add_option("--icount", inv.emu.icount_shift, "QEMU -icount shift (default 0)")
      ->option_text("SHIFT");
  emu_start->add_flag("--no-icount", inv.emu.no_icount, "run QEMU without -icount");
  emu_start->add_option("--name", inv.emu.name, "a name for the device");
  emu_start->callback(command(Command::kEmuStart));
  CLI::App *emu_stop = emu->add_subcommand("stop", "stop emulated boards");
  emu_stop->add_option("DEVICE", inv.emu.devices, "device ids")->required();
  emu_stop->callback(command(Command::kEmuStop));

  // devices
  CLI::App *devices = app.add_subcommand(
      "devices", "list debug probes, physical boards (bound probes) and emulated boards");
  devices->require_subcommand(0, 1);
  devices->callback([&inv, devices]() {
    if (devices->get_subcommands().empty()) {
      inv.command = Command::kDevices;
    }
  });
  CLI::App *assign = devices->add_subcommand(
      "assign",
      "bind an attached probe to a board under a name (flash, console, rtt and test "
      "then take --device NAME)");
  assign->add_option("SERIAL", inv.devices.serial, "the probe's serial (see `gale devices`)")
      ->required();
  assign->add_option("-b,--board", inv.devices.board, "the board the probe is wired to")
      ->required();
  assign->add_option("-n,--name", inv.devices.name, "a unique name for the device")->required();
  assign->add_option("--tty", inv.devices.tty, "the board's serial port, when not the probe's");
  assign->callback(command(Command::kDevicesAssign));
  CLI::App *unassign =
      devices->add_subcommand("unassign", "forget a physical device's binding (the probe stays)");
  unassign->add_option("DEVICE", inv.devices.device, "name or serial")->required();
  unassign->callback(command(Command::kDevicesUnassign));
  CLI::App *tag = devices->add_subcommand(
      "tag", "set a device's tags (replacing them), to lease devices by tag");
  tag->add_option("DEVICE", inv.devices.device, "id, name or serial")->required();
  tag->add_option("TAG", inv.devices.tags, "tags (none with --clear)");
  tag->add_flag("--clear", inv.devices.clear, "remove every tag");
  tag->callback([&inv]() {
    inv.command = Command::kDevicesTag;
    if (inv.devices.tags.empty() && !inv.devices.clear) {
      throw CLI::ValidationError("TAG", "give one or more tags, or --clear to remove them");
    }
    if (!inv.devices.tags.empty() && inv.devices.clear) {
      throw CLI::ValidationError("--clear", "--clear takes no tags");
    }
  });

  // flash
  CLI::App *flash = app.add_subcommand("flash", "put a built image on a device");
  flash->add_option("-d,--build-dir", inv.flash.build_dir, "build folder (default: ./build)");
  flash->add_option("--elf", inv.flash.elf, "an image file instead of the build folder's");
  CLI::Option *flash_device = flash->add_option(
      "--device", inv.flash.device,
      "device id, name or probe serial (default: the build board's one attached probe, or the "
      "only device)");
  CLI::Option *flash_devices =
      flash->add_option("--devices", inv.flash.devices, "flash these devices at once")
          ->delimiter(',')
          ->option_text("ID,ID,...");
  CLI::Option *flash_board =
      flash->add_option("--board", inv.flash.board, "with --all: every device of this board");
  CLI::Option *flash_all =
      flash->add_flag("--all", inv.flash.all, "with --board: flash every device of the board");
  flash_device->excludes(flash_devices)->excludes(flash_board);
  flash_devices->excludes(flash_board);
  flash_all->needs(flash_board);
  flash_board->needs(flash_all);
  flash->add_option("--runner", inv.flash.runner, "how to flash (default: gdbremote)");
  flash->add_flag("--no-verify", inv.flash.no_verify, "do not read the image back");
  flash->add_flag("--no-run", inv.flash.no_run, "leave the device halted at the entry point");
  flash->callback(command(Command::kFlash));

  // console
  CLI::App *console = app.add_subcommand(
      "console", "a device's serial console: recent output, then live; input is forwarded");
  console->add_option("--device", inv.console.device, "device id or name (default: the only one)");
  console->add_flag("--no-replay", inv.console.no_replay, "skip the output retained so far");
  console->add_flag("-f,--follow", inv.console.follow, "keep going after the image exits");
  console->callback(command(Command::kConsole));

  // shell
  CLI::App *shell = app.add_subcommand(
      "shell", "a device's shell: interactive, or one command with -c (for scripts and CI)");
  shell->add_option("--device", inv.shell.device, "device id or name (default: the only one)");
  shell->add_option("-c,--command", inv.shell.command,
                    "run one command line, print its output, exit 1 if the shell reported an "
                    "error");
  shell->add_option("--timeout", inv.shell.timeout_s, "seconds to wait for the prompt (-c)")
      ->check(CLI::Range(1, 3600));
  shell->add_flag("--rtt", inv.shell.rtt,
                  "talk to the shell's RTT backend (channel 0) instead of the console UART");
  shell->add_flag("--read-only", inv.shell.read_only,
                  "watch the shell without taking its input (another session may own it)");
  shell->callback(command(Command::kShell));

  // rtt
  CLI::App *rtt = app.add_subcommand(
      "rtt",
      "a device's RTT channel: waits for the control block, then streams from its first "
      "byte");
  rtt->add_option("--device", inv.rtt.device, "device id or name (default: the only one)");
  rtt->add_option("--channel", inv.rtt.channel, "up-channel (default 0)")->check(CLI::Range(0, 15));
  rtt->add_flag("--no-replay", inv.rtt.no_replay, "skip the output retained so far");
  rtt->callback(command(Command::kRtt));

  // trace [stats FILE]
  CLI::App *trace = app.add_subcommand(
      "trace", "capture a device's kernel trace (CONFIG_TRACING) into a Chrome trace file");
  trace->require_subcommand(0, 1);
  trace->add_option("--device", inv.trace.device, "device id or name (default: the only one)");
  trace->add_option("--duration", inv.trace.duration, "seconds to capture (default: until Ctrl-C)")
      ->check(CLI::Range(0.0, 86400.0))
      ->option_text("S");
  trace->add_option("-o,--output", inv.trace.output, "the trace file to write")->option_text("FILE");
  trace->add_option("--format", inv.trace.format, "chrome (default) or perfetto")
      ->check(CLI::IsMember({"chrome", "perfetto"}));
  CLI::App *trace_stats =
      trace->add_subcommand("stats", "CPU share, switches, interrupts and latencies of a trace file");
  trace_stats->add_option("FILE", inv.trace.file, "a trace written by gale trace -o")->required();
  trace_stats->add_option("--elf", inv.trace.elf, "the image, for a raw trace stream");
  trace_stats->callback(command(Command::kTraceStats));
  trace->callback([&inv, trace]() {
    if (trace->get_subcommands().empty()) {
      inv.command = Command::kTrace;
    }
  });

  // debug
  CLI::App *debug = app.add_subcommand(
      "debug", "debug a device's image with gdb-multiarch, or print its GDB server for an IDE");
  debug->add_option("--device", inv.debug.device, "device id or name (default: the only one)");
  debug->add_option("-d,--build-dir", inv.debug.build_dir,
                    "the build folder whose gale/gale.elf has the symbols (default: the image "
                    "last flashed)");
  debug->add_option("--elf", inv.debug.elf, "the ELF with the symbols");
  debug->add_flag("--server-only", inv.debug.server_only,
                  "print the GDB server address (HOST:PORT) and exit, for an IDE");
  debug->callback(command(Command::kDebug));

  // ide
  CLI::App *ide = app.add_subcommand("ide", "set an application up for an IDE");
  ide->require_subcommand(1);
  CLI::App *qtcreator = ide->add_subcommand(
      "qtcreator",
      "write CMakePresets.json (Qt Creator, VS Code CMake Tools, CLion) and Qt Creator external "
      "tools for flash, console, RTT and shell");
  qtcreator->add_option("APP", inv.ide.app, "the application folder (default: the current one)");
  qtcreator->add_option("-b,--board", inv.ide.board, "the board")->required();
  qtcreator->add_option("-d,--build-dir", inv.ide.build_dir,
                        "the build folder (default: APP/build/BOARD)");
  qtcreator->add_option("--device", inv.ide.device,
                        "also print this device's GDB server for bare-metal debugging");
  qtcreator->add_flag("--no-tools", inv.ide.no_tools, "do not write Qt Creator's external tools");
  qtcreator->callback(command(Command::kIdeQtCreator));

  // logs
  CLI::App *logs = app.add_subcommand("logs", "decoded target log messages kept by galed");
  logs->add_option("--device", inv.logs.device, "only this device");
  logs->add_option("--level", inv.logs.level, "this level and more severe: err, wrn, inf, dbg");
  logs->add_option("--module", inv.logs.module, "only this module");
  logs->add_option("--limit", inv.logs.limit, "the newest N records (default 1000)")
      ->check(CLI::Range(1, 1000000));
  logs->add_flag("-f,--follow", inv.logs.follow, "then print new records as they arrive");
  logs->callback(command(Command::kLogs));

  // test
  CLI::App *test = app.add_subcommand(
      "test", "build and run the testcase.yaml scenarios under PATHs on emulated boards");
  Repeatable(test->add_option("-b,--board", inv.test.boards, "a board (repeatable)"));
  test->add_option("PATH", inv.test.paths, "folders searched (default: the current folder)");
  test->add_option("--junit", inv.test.junit, "write JUnit XML here")->option_text("FILE");
  Repeatable(test->add_option("-t,--tag", inv.test.tags, "only scenarios with this tag"));
  test->add_option("-j,--jobs", inv.test.parallel, "scenarios at once (default: cores)")
      ->option_text("N");
  test->add_option("--work-dir", inv.test.work_dir, "where the build folders go");
  // One value per occurrence: `--devices a,b PATH` must not take PATH as a device.
  Repeatable(test->add_option("--devices", inv.test.devices,
                              "run on these (leased) devices instead of fresh emulators")
                 ->delimiter(',')
                 ->option_text("ID,ID,..."));
  test->callback(command(Command::kTest));

  // config
  CLI::App *config = app.add_subcommand("config", "read and change an application's Kconfig");
  config->add_option("-d,--build-dir", inv.config.build_dir, "build folder (default: ./build)");
  CLI::Option *list = config->add_flag("-l,--list", inv.config.list, "list the symbols");
  config->add_flag("-a,--all", inv.config.all, "with --list: invisible symbols too");
  CLI::Option *get =
      config->add_option("-g,--get", inv.config.get, "a symbol, explained")->option_text("SYM");
  CLI::Option *set =
      Repeatable(config->add_option("-s,--set", inv.config.set, "set and reconfigure (repeatable)")
                     ->option_text("SYM=VAL"));
  list->excludes(get)->excludes(set);
  get->excludes(set);
  config->callback(command(Command::kConfig));

  // audit
  CLI::App *audit = app.add_subcommand(
      "audit", "the audit log: who changed what, newest first (admin: the local user)");
  audit->add_option("--limit", inv.audit.limit, "at most N (default 100)")->option_text("N");
  audit->add_option("--caller", inv.audit.caller, "only this caller's records");
  audit->callback(command(Command::kAudit));

  // jobs [show | cancel | watch]
  CLI::App *jobs = app.add_subcommand("jobs", "recent jobs (builds, runs, flashes, tests)");
  jobs->require_subcommand(0, 1);
  jobs->add_option("--limit", inv.jobs.limit, "at most N (default 100)")->option_text("N");
  jobs->add_option("--kind", inv.jobs.kind, "only this kind (build, run, flash, test, config)");
  jobs->add_option("--state", inv.jobs.state, "only this state (running, failed, ...)");
  jobs->callback([&inv, jobs]() {
    if (jobs->get_subcommands().empty()) {
      inv.command = Command::kJobs;
    }
  });
  auto job_sub = [&](const char *name, const char *help, Command c) {
    CLI::App *sub = jobs->add_subcommand(name, help);
    sub->add_option("ID", inv.jobs.id, "job id")->required();
    sub->callback(command(c));
  };
  job_sub("show", "a job's details", Command::kJobsShow);
  job_sub("cancel", "cancel a job", Command::kJobsCancel);
  job_sub("watch", "a job's events so far, then live ones until it ends", Command::kJobsWatch);

  // lease acquire | renew | release | list
  CLI::App *lease = app.add_subcommand("lease", "leases: devices reserved for one holder");
  lease->require_subcommand(1);
  CLI::App *acquire = lease->add_subcommand(
      "acquire", "lease devices; prints the lease token alone on stdout (for GALE_LEASE)");
  Repeatable(acquire
                 ->add_option("--device,--devices", inv.lease.devices,
                              "devices (repeatable, or ID,ID,...)")
                 ->delimiter(','));
  acquire->add_option("-b,--board", inv.lease.board, "any device of this board");
  Repeatable(acquire->add_option("--tag", inv.lease.tags, "devices with this tag (repeatable)"));
  acquire->add_option("--count", inv.lease.count, "how many devices (default 1)")
      ->check(CLI::Range(1, 10000));
  acquire->add_option("--for", inv.lease.duration, "how long (default 30m)")
      ->option_text("DURATION");
  acquire->add_option("--wait", inv.lease.wait, "wait this long for free devices (default: no)")
      ->option_text("DURATION");
  acquire->add_option("--note", inv.lease.note, "shown in listings, e.g. a CI job URL");
  acquire->callback(command(Command::kLeaseAcquire));
  CLI::App *renew = lease->add_subcommand("renew", "extend a lease from now");
  renew->add_option("TOKEN", inv.lease.token, "the lease (default: --lease or $GALE_LEASE)");
  renew->add_option("--for", inv.lease.duration, "how long from now (default: its duration)")
      ->option_text("DURATION");
  renew->callback(command(Command::kLeaseRenew));
  CLI::App *release = lease->add_subcommand("release", "end a lease; its devices are free");
  release->add_option("TOKEN", inv.lease.token, "the lease (default: --lease or $GALE_LEASE)");
  release->callback(command(Command::kLeaseRelease));
  lease->add_subcommand("list", "active leases: holder, devices, expiry")
      ->callback(command(Command::kLeaseList));

  // daemon start | stop | status
  CLI::App *daemon = app.add_subcommand("daemon", "the galed daemon");
  daemon->require_subcommand(1);
  daemon->add_subcommand("start", "start galed in the background unless one answers")
      ->callback(command(Command::kDaemonStart));
  daemon->add_subcommand("stop", "stop galed and wait until it is gone")
      ->callback(command(Command::kDaemonStop));
  daemon->add_subcommand("status", "galed's pid, socket, version and uptime; exit 1 if down")
      ->callback(command(Command::kDaemonStatus));
}

}  // namespace

bool NeedsDaemon(Command command) {
  switch (command) {
    case Command::kDaemonStart:
    case Command::kDaemonStop:
    case Command::kDaemonStatus:
      return false;
    case Command::kAudit:
    case Command::kBoards:
    case Command::kBuild:
    case Command::kRun:
    case Command::kEmuStart:
    case Command::kEmuStop:
    case Command::kDevices:
    case Command::kDevicesAssign:
    case Command::kDevicesUnassign:
    case Command::kDevicesTag:
    case Command::kFlash:
    case Command::kConsole:
    case Command::kShell:
    case Command::kRtt:
    case Command::kDebug:
    case Command::kIdeQtCreator:
    case Command::kLogs:
    case Command::kTrace:
    case Command::kTraceStats:
    case Command::kTest:
    case Command::kConfig:
    case Command::kJobs:
    case Command::kJobsShow:
    case Command::kJobsCancel:
    case Command::kJobsWatch:
    case Command::kLeaseAcquire:
    case Command::kLeaseRenew:
    case Command::kLeaseRelease:
    case Command::kLeaseList:
      return true;
  }
  return true;
}

ParseResult ParseCommandLine(int argc, const char *const *argv) {
  ParseResult result;
  Invocation &inv = result.invocation;

  // Everything after the first `--` is for CMake; CLI11 sees only what comes before.
  int split = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--") {
      split = i;
      break;
    }
  }
  std::vector<std::string> passthrough(argv + std::min(split + 1, argc), argv + argc);

  CLI::App app("gale: build, run, flash and test Gale applications (a client of galed)", "gale");
  DefineCommands(app, inv);
  try {
    app.parse(split, argv);
  } catch (const CLI::ParseError &e) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = app.exit(e, out, err);
    result.output = out.str();
    result.error = err.str();
    result.exit_code = code == 0 ? kExitOk : kExitUsage;
    return result;
  }
  if (inv.command == Command::kConfig && !inv.config.list && inv.config.get.empty() &&
      inv.config.set.empty()) {
    result.error = "gale: error: gale config needs one of --list, --get SYM, --set SYM=VAL\n";
    result.exit_code = kExitUsage;
    return result;
  }
  if (split < argc) {
    if (inv.command != Command::kBuild && inv.command != Command::kRun) {
      result.error =
          "gale: error: arguments after `--` are CMake arguments, for build and run only\n";
      result.exit_code = kExitUsage;
      return result;
    }
    inv.build.cmake_args = std::move(passthrough);
  }
  return result;
}

ParseResult ParseCommandLine(const std::vector<std::string> &args) {
  std::vector<const char *> argv;
  argv.push_back("gale");
  for (const std::string &arg : args) {
    argv.push_back(arg.c_str());
  }
  return ParseCommandLine(static_cast<int>(argv.size()), argv.data());
}

}  // namespace gale::cli
