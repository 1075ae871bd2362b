#include "gale/runners/openocd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gale::runners {

namespace {

// Small pieces keep each reply short (a byte is "0xNN " in a Tcl list) and each command quick,
// so that a long transfer never looks like a stuck OpenOCD.
constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kWriteChunk = 4 * 1024;

absl::Status MakePrivateDir(const std::string &dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create the run folder ", dir, ": ", ec.message()));
  }
  if (chmod(dir.c_str(), 0700) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot make the run folder ", dir, " private: ", strerror(errno)));
  }
  return absl::OkStatus();
}

std::string ReadFileFrom(const std::string &path, size_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return "";
  }
  in.seekg(static_cast<std::streamoff>(offset));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

size_t FileSize(const std::string &path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<size_t>(st.st_size) : 0;
}

// The port of OpenOCD's "Info : Listening on port 40979 for tcl connections" (`what` is "tcl" or
// "gdb"); 0 when not (yet) printed.
int ListeningPort(absl::string_view log, absl::string_view what) {
  std::string suffix = absl::StrCat(" for ", what, " connections");
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    size_t at = line.find("Listening on port ");
    if (at == absl::string_view::npos || !absl::StrContains(line, suffix)) {
      continue;
    }
    absl::string_view rest = line.substr(at + 18);
    int port = 0;
    if (absl::SimpleAtoi(rest.substr(0, rest.find(' ')), &port) && port > 0) {
      return port;
    }
  }
  return 0;
}

std::string Hex(uint64_t value) {
  return absl::StrFormat("0x%x", value);
}

// "OpenOCD exited with status 1", "OpenOCD was killed by signal 11 (Segmentation fault)".
std::string Ended(const ExitStatus &status) {
  return "OpenOCD " + status.Describe();
}

}  // namespace

absl::StatusOr<OpenOcdOptions> OpenOcdOptionsForBoard(const boards::Board &board,
                                                      const std::string &serial) {
  if (board.openocd.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("board ", board.name, " has no OpenOCD settings (no 'openocd:' in ", board.dir,
                     "/board.yaml); add openocd: {configs: [...]} to flash it through a probe"));
  }
  OpenOcdOptions options;
  for (const std::string &config : board.openocd.configs) {
    std::filesystem::path path(config);
    if (path.is_relative() && !board.dir.empty() &&
        std::filesystem::exists(std::filesystem::path(board.dir) / path)) {
      options.configs.push_back((std::filesystem::path(board.dir) / path).string());
    } else {
      options.configs.push_back(config);
    }
  }
  options.transport = board.openocd.transport;
  options.adapter_speed_khz = board.openocd.adapter_speed_khz;
  options.serial = serial;
  return options;
}

std::vector<std::string> OpenOcdCommandLine(const OpenOcdOptions &options) {
  std::vector<std::string> argv = {options.binary,
                                   // Loopback only: the Tcl port gives full control.
                                   "-c", "bindto 127.0.0.1",
                                   // Port 0: OpenOCD picks a free one and logs it.
                                   "-c", "tcl_port 0", "-c", "gdb_port 0", "-c",
                                   "telnet_port disabled"};
  size_t transport_after = 0;
  for (size_t i = 0; i < options.configs.size(); ++i) {
    if (absl::StrContains(options.configs[i], "interface/")) {
      transport_after = i;
      break;
    }
  }
  for (size_t i = 0; i < options.configs.size(); ++i) {
    argv.push_back("-f");
    argv.push_back(options.configs[i]);
    if (i == transport_after && !options.transport.empty()) {
      argv.push_back("-c");
      argv.push_back("transport select " + options.transport);
    }
  }
  if (!options.serial.empty()) {
    argv.push_back("-c");
    argv.push_back("adapter serial " + options.serial);
  }
  if (options.adapter_speed_khz != 0) {
    argv.push_back("-c");
    argv.push_back(absl::StrCat("adapter speed ", options.adapter_speed_khz));
  }
  for (const std::string &command : options.commands) {
    argv.push_back("-c");
    argv.push_back(command);
  }
  return argv;
}

absl::StatusOr<std::unique_ptr<OpenOcdServer>> OpenOcdServer::Start(const OpenOcdOptions &options) {
  if (options.configs.empty() && options.commands.empty()) {
    return absl::InvalidArgumentError(
        "OpenOCD needs configuration scripts (the board's openocd: configs)");
  }
  if (options.run_dir.empty()) {
    return absl::InvalidArgumentError("OpenOCD options need a run folder for its log");
  }
  std::unique_ptr<OpenOcdServer> server(new OpenOcdServer());
  server->options_ = options;
  server->log_path_ = options.run_dir + "/openocd.log";
  if (absl::Status status = MakePrivateDir(options.run_dir); !status.ok()) {
    return status;
  }
  SpawnOptions spawn;
  spawn.argv = OpenOcdCommandLine(options);
  spawn.working_dir = options.run_dir;
  spawn.log_path = server->log_path_;
  absl::StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Spawn(spawn);
  if (!process.ok()) {
    if (absl::IsNotFound(process.status())) {
      return absl::NotFoundError(absl::StrCat(process.status().message(),
                                              ". OpenOCD drives the debug probe: install it "
                                              "(Debian: apt install openocd)"));
    }
    return process.status();
  }
  server->process_ = std::move(*process);

  const absl::Time deadline = absl::Now() + options.start_timeout;
  // Why start-up failed: OpenOCD's own words, classified, with how it ended.
  auto failed = [&](const std::string &how, bool timed_out) -> absl::Status {
    std::string log = server->LogText();
    OpenOcdDiagnosis diagnosis = ClassifyOpenOcdOutput(log, server->ReasonSerial());
    if (timed_out && diagnosis.error_class == OpenOcdErrorClass::kOther) {
      diagnosis.error_class = OpenOcdErrorClass::kTimeout;
      diagnosis.reason = absl::StrCat(
          "OpenOCD did not become ready within ", absl::FormatDuration(options.start_timeout),
          diagnosis.evidence.empty() ? ""
                                     : absl::StrCat(" (last error: \"", diagnosis.evidence, "\")"),
          "; replug the probe and reset the board, then retry");
    }
    // An unclassified start-up failure is still "OpenOCD is not available", not Unknown.
    std::optional<absl::StatusCode> code;
    if (diagnosis.error_class == OpenOcdErrorClass::kOther) {
      code = absl::StatusCode::kUnavailable;
    }
    return MakeOpenOcdError(diagnosis.error_class,
                            absl::StrCat(server->Label(), ": ", diagnosis.reason, " (", how,
                                         " at start-up; log: ", server->log_path_, ")"),
                            server->log_path_, log, code);
  };
  auto exited = [&]() -> absl::Status {
    std::optional<ExitStatus> status = server->process_->Wait(absl::Seconds(1));
    if (!status.has_value()) {
      server->process_->Kill();
      return failed("OpenOCD closed its Tcl connection", false);
    }
    return failed(Ended(*status), false);
  };
  // Wait for the Tcl port (printed before the probe is opened), then for a served command
  // (which OpenOCD answers only after `init`: probe opened, target examined).
  while (server->tcl_port_ == 0) {
    server->tcl_port_ = ListeningPort(server->LogText(), "tcl");
    if (server->tcl_port_ != 0) {
      break;
    }
    if (!server->process_->running()) {
      return failed(Ended(*server->process_->exit_status()), false);
    }
    if (absl::Now() >= deadline) {
      server->process_->Kill();
      return failed("killed it", true);
    }
    server->process_->Wait(absl::Milliseconds(10));
  }
  while (true) {
    absl::StatusOr<std::unique_ptr<OpenOcdTclClient>> client =
        OpenOcdTclClient::Connect(server->tcl_port_, absl::Seconds(1));
    if (client.ok()) {
      server->client_ = std::move(*client);
      break;
    }
    if (!server->process_->running()) {
      return failed(Ended(*server->process_->exit_status()), false);
    }
    if (absl::Now() >= deadline) {
      server->process_->Kill();
      return failed("killed it", true);
    }
    server->process_->Wait(absl::Milliseconds(10));
  }
  absl::StatusOr<std::string> ready = server->client_->Run(
      "set gale_ready 1", std::max(deadline - absl::Now(), absl::Milliseconds(100)));
  if (!ready.ok()) {
    if (absl::IsDeadlineExceeded(ready.status())) {
      server->process_->Kill();
      return failed("killed it", true);
    }
    if (absl::IsUnavailable(ready.status())) {
      return exited();
    }
    server->process_->Kill();
    return failed(std::string(ready.status().message()), false);
  }
  server->gdb_port_ = ListeningPort(server->LogText(), "gdb");
  return server;
}

OpenOcdServer::~OpenOcdServer() {
  if (process_ == nullptr) {
    return;
  }
  if (process_->running()) {
    // A clean shutdown lets OpenOCD release the probe and resume the target as its scripts say.
    std::lock_guard lock(mu_);
    if (client_ != nullptr && client_->usable()) {
      client_->Eval("shutdown", absl::Seconds(1)).IgnoreError();
    }
    if (!process_->Wait(absl::Seconds(1)).has_value()) {
      process_->Kill();
    }
  }
  process_->Kill();
}

std::string OpenOcdServer::ReasonSerial() const {
  // Reasons name the probe's serial unless the label already does.
  return absl::StrContains(Label(), options_.serial) ? std::string() : options_.serial;
}

std::string OpenOcdServer::Label() const {
  return options_.label.empty() ? std::string("OpenOCD") : options_.label;
}

std::string OpenOcdServer::gdb_address() const {
  return gdb_port_ == 0 ? std::string() : absl::StrCat("tcp:127.0.0.1:", gdb_port_);
}

std::string OpenOcdServer::LogText() const {
  return ReadFileFrom(log_path_, 0);
}

ExitStatus OpenOcdServer::Stop() {
  return process_->Kill();
}

absl::Status OpenOcdServer::CommandError(const absl::Status &cause, std::string_view command,
                                         std::string_view output) {
  std::string what(command.substr(0, command.find(' ')));
  std::string cause_message(cause.message());
  if (absl::IsDeadlineExceeded(cause)) {
    // OpenOCD is stuck inside the command (a dead probe, a target that never halts); a late
    // reply would be taken for the next command's. Only a new OpenOCD is trustworthy.
    process_->Kill();
    OpenOcdDiagnosis diagnosis = ClassifyOpenOcdOutput(output, ReasonSerial());
    std::string more =
        diagnosis.error_class == OpenOcdErrorClass::kOther
            ? (diagnosis.evidence.empty() ? std::string() : "; it said: " + diagnosis.evidence)
            : "; " + diagnosis.reason;
    return MakeOpenOcdError(
        OpenOcdErrorClass::kTimeout,
        absl::StrCat(Label(), ": OpenOCD did not finish '", what, "' (", cause_message,
                     "), stopped it", more, " (log: ", log_path_, ")"),
        log_path_, output);
  }
  if (absl::IsUnavailable(cause)) {
    std::optional<ExitStatus> status = process_->Wait(absl::Seconds(1));
    OpenOcdDiagnosis diagnosis = ClassifyOpenOcdOutput(output, ReasonSerial());
    bool known = diagnosis.error_class != OpenOcdErrorClass::kOther;
    std::string why =
        known ? ": " + diagnosis.reason
              : (diagnosis.evidence.empty() ? std::string() : "; it said: " + diagnosis.evidence);
    return MakeOpenOcdError(
        diagnosis.error_class,
        absl::StrCat(Label(), ": ",
                     status.has_value() ? Ended(*status) : std::string("OpenOCD went away"),
                     " during '", what, "'", why, " (log: ", log_path_, ")"),
        log_path_, output,
        known ? std::nullopt : std::optional<absl::StatusCode>(absl::StatusCode::kUnavailable));
  }
  if (!absl::IsFailedPrecondition(cause)) {
    return cause;
  }
  // A Tcl error: OpenOCD's message, and what it logged meanwhile.
  std::string tcl_message(cause.message());
  if (absl::StartsWith(tcl_message, "OpenOCD: ")) {
    size_t colon = tcl_message.find(": ", 9);
    tcl_message = colon == std::string::npos ? tcl_message : tcl_message.substr(colon + 2);
  }
  OpenOcdDiagnosis diagnosis =
      ClassifyOpenOcdOutput(absl::StrCat(std::string(output), "\n", tcl_message), ReasonSerial());
  std::string reason = diagnosis.reason;
  if (diagnosis.error_class == OpenOcdErrorClass::kOther) {
    reason = absl::StrCat("OpenOCD: ", tcl_message);
    if (!diagnosis.evidence.empty() && diagnosis.evidence != tcl_message) {
      absl::StrAppend(&reason, " (", diagnosis.evidence, ")");
    }
  }
  return MakeOpenOcdError(
      diagnosis.error_class,
      absl::StrCat(Label(), ": '", what, "' failed: ", reason, " (log: ", log_path_, ")"),
      log_path_, output);
}

absl::StatusOr<std::string> OpenOcdServer::Command(std::string_view command,
                                                   absl::Duration timeout) {
  if (timeout <= absl::ZeroDuration()) {
    timeout = options_.command_timeout;
  }
  std::lock_guard lock(mu_);
  if (!process_->running()) {
    std::optional<ExitStatus> status = process_->exit_status();
    std::string log = LogText();
    OpenOcdDiagnosis diagnosis = ClassifyOpenOcdOutput(log, ReasonSerial());
    return MakeOpenOcdError(
        diagnosis.error_class,
        absl::StrCat(Label(), ": OpenOCD is not running (it ",
                     status.has_value() ? status->Describe() : "ended", "): ", diagnosis.reason,
                     "; start it again (log: ", log_path_, ")"),
        log_path_, log, absl::StatusCode::kUnavailable);
  }
  if (client_ == nullptr || !client_->usable()) {
    return absl::UnavailableError(absl::StrCat(
        Label(), ": the connection to OpenOCD broke earlier; start a new OpenOCD (log: ", log_path_,
        ")"));
  }
  size_t log_offset = FileSize(log_path_);
  absl::StatusOr<std::string> result = client_->Run(command, timeout);
  if (result.ok()) {
    return result;
  }
  return CommandError(result.status(), command, ReadFileFrom(log_path_, log_offset));
}

absl::StatusOr<FlashResult> OpenOcdServer::Flash(const std::string &image,
                                                 const FlashOptions &options) {
  std::error_code ec;
  std::filesystem::path path = std::filesystem::absolute(image, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) {
    return absl::InvalidArgumentError(absl::StrCat("cannot flash ", image, " with ", Label(),
                                                   ": cannot read it (", strerror(errno), ")"));
  }
  char magic[4] = {};
  in.read(magic, sizeof magic);
  bool elf = in.gcount() == 4 && memcmp(magic,
                                        "\x7f"
                                        "ELF",
                                        4) == 0;
  bool hex = in.gcount() >= 1 && magic[0] == ':';
  if (!elf && !hex) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot flash ", image, " with ", Label(),
        ": it is neither an ELF nor an Intel HEX image; flash build/gale/gale.elf or gale.hex"));
  }
  const absl::Time start = absl::Now();
  auto report = [&](const char *phase, uint64_t done) {
    if (options.progress) {
      options.progress(FlashProgress{phase, done, 1});
    }
  };
  FlashResult result;
  report("connect", 0);
  if (absl::StatusOr<std::string> out = Command("reset init"); !out.ok()) {
    return out.status();
  }
  report("connect", 1);
  report("write", 0);
  absl::StatusOr<std::string> wrote = Command(
      absl::StrCat("flash write_image erase ", TclQuote(path.string())), options_.flash_timeout);
  if (!wrote.ok()) {
    return wrote.status();
  }
  // "wrote 16384 bytes from file /x/gale.elf in 0.71s (22.5 KiB/s)"
  size_t at = wrote->find("wrote ");
  if (at != std::string::npos) {
    absl::string_view rest = absl::string_view(*wrote).substr(at + 6);
    absl::SimpleAtoi(rest.substr(0, rest.find(' ')), &result.bytes_written);
  }
  report("write", 1);
  if (options.verify) {
    report("verify", 0);
    absl::StatusOr<std::string> verified =
        Command(absl::StrCat("verify_image ", TclQuote(path.string())), options_.flash_timeout);
    if (!verified.ok()) {
      return verified.status();
    }
    result.verified = true;
    report("verify", 1);
  }
  report("reset", 0);
  absl::StatusOr<std::string> reset = Command(options.run ? "reset run" : "reset halt");
  if (!reset.ok()) {
    return reset.status();
  }
  result.reset_output = *reset;
  report("reset", 1);
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return result;
}

absl::Status OpenOcdServer::Erase() {
  if (absl::StatusOr<std::string> out = Command("reset init"); !out.ok()) {
    return out.status();
  }
  absl::StatusOr<std::string> banks = Command("llength [flash list]");
  if (!banks.ok()) {
    return banks.status();
  }
  int count = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(*banks), &count) || count <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        Label(), ": OpenOCD knows no flash bank for this target (its scripts declare none)"));
  }
  for (int bank = 0; bank < count; ++bank) {
    absl::StatusOr<std::string> out =
        Command(absl::StrCat("flash erase_sector ", bank, " 0 last"), options_.flash_timeout);
    if (!out.ok()) {
      return out.status();
    }
  }
  return absl::OkStatus();
}

absl::Status OpenOcdServer::Reset(bool halt) {
  return Command(halt ? "reset halt" : "reset run").status();
}

absl::Status OpenOcdServer::Halt() {
  return Command("halt").status();
}

absl::Status OpenOcdServer::Resume() {
  return Command("resume").status();
}

absl::StatusOr<std::vector<uint8_t>> OpenOcdServer::ReadMemory(uint64_t address, size_t length) {
  std::vector<uint8_t> data;
  data.reserve(length);
  while (data.size() < length) {
    size_t n = std::min(kReadChunk, length - data.size());
    uint64_t at = address + data.size();
    absl::StatusOr<std::string> out = Command(absl::StrCat("read_memory ", Hex(at), " 8 ", n));
    if (!out.ok()) {
      return out.status();
    }
    size_t got = 0;
    for (absl::string_view word :
         absl::StrSplit(*out, absl::ByAnyChar(" \t\r\n{}"), absl::SkipEmpty())) {
      uint32_t value = 0;
      if (!absl::SimpleHexAtoi(word, &value) || value > 0xff) {
        return absl::InternalError(absl::StrCat(Label(), ": read_memory at ", Hex(at),
                                                " answered \"", word, "\", not a byte"));
      }
      data.push_back(static_cast<uint8_t>(value));
      ++got;
    }
    if (got != n) {
      return absl::InternalError(absl::StrCat(Label(), ": read_memory at ", Hex(at), " returned ",
                                              got, " bytes instead of ", n));
    }
  }
  return data;
}

absl::Status OpenOcdServer::WriteMemory(uint64_t address, std::span<const uint8_t> data) {
  size_t done = 0;
  while (done < data.size()) {
    size_t n = std::min(kWriteChunk, data.size() - done);
    std::string command = absl::StrCat("write_memory ", Hex(address + done), " 8 {");
    for (size_t i = 0; i < n; ++i) {
      absl::StrAppend(&command, i == 0 ? "" : " ", Hex(data[done + i]));
    }
    command += "}";
    if (absl::StatusOr<std::string> out = Command(command); !out.ok()) {
      return out.status();
    }
    done += n;
  }
  return absl::OkStatus();
}

}  // namespace gale::runners
