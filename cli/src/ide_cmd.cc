// gale ide qtcreator [APP] -b BOARD: makes an application ready for Qt Creator (and any IDE that
// reads CMake presets): CMakePresets.json with a configure and a build preset for the board
// (Gale's toolchain file, BOARD, the build folder), Qt Creator external tools for flash,
// console, RTT and shell through gale, and the GDB server address for Qt Creator's bare-metal
// debugging (with --device). The board and the SDK tree come from the daemon.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "exit_codes.h"
#include "gale/v1/boards.grpc.pb.h"
#include "gale/v1/devices.grpc.pb.h"
#include "gale/v1/sdk.grpc.pb.h"
#include "ide_files.h"

namespace gale::cli {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> ReadFile(const fs::path &path) {
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes through a temporary file and a rename: an IDE never reads half a file.
absl::Status WriteFile(const fs::path &path, const std::string &text) {
  fs::path tmp = path;
  tmp += ".gale-tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) {
      return absl::PermissionDeniedError(absl::StrCat("cannot write ", tmp.string()));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", path.string(), ": ", ec.message()));
  }
  return absl::OkStatus();
}

// Qt Creator's per-user external tools folder (XDG_CONFIG_HOME, else ~/.config).
fs::path QtCreatorToolsDir() {
  const char *config = std::getenv("XDG_CONFIG_HOME");
  fs::path base = config != nullptr && *config != '\0'
                      ? fs::path(config)
                      : fs::path(std::getenv("HOME") != nullptr ? std::getenv("HOME") : "/") /
                            ".config";
  return base / "QtProject" / "qtcreator" / "externaltools";
}

}  // namespace

int RunIdeQtCreator(Context &ctx) {
  const IdeOptions &opts = ctx.inv.ide;
  fs::path app = (ctx.cwd / (opts.app.empty() ? "." : opts.app)).lexically_normal();
  std::optional<std::string> lists = ReadFile(app / "CMakeLists.txt");
  if (!lists.has_value()) {
    return Fail(ctx, absl::StrCat("no CMakeLists.txt in ", app.string(),
                                  ": give the application folder (gale ide qtcreator APP -b BOARD)"));
  }
  if (!absl::StrContains(*lists, "find_package(Gale")) {
    return Fail(ctx, absl::StrCat(app.string(), "/CMakeLists.txt does not use Gale: add "
                                  "`find_package(Gale REQUIRED HINTS $ENV{GALE_BASE})` before project()"));
  }

  auto sdk = gale::v1::Sdk::NewStub(ctx.client.channel());
  gale::v1::DaemonStatus status;
  {
    auto call = ctx.client.NewContext(std::chrono::seconds(10));
    if (grpc::Status s = sdk->GetStatus(call.get(), gale::v1::GetStatusRequest(), &status);
        !s.ok()) {
      return FailCall(ctx, s);
    }
  }
  auto boards = gale::v1::Boards::NewStub(ctx.client.channel());
  gale::v1::Board board;
  {
    auto call = ctx.client.NewContext(std::chrono::seconds(10));
    gale::v1::GetBoardRequest request;
    request.set_name(opts.board);
    if (grpc::Status s = boards->GetBoard(call.get(), request, &board); !s.ok()) {
      return FailCall(ctx, s);
    }
  }
  PresetSpec spec;
  spec.board = board.name();
  spec.arch = board.arch();
  spec.gale_base = status.gale_base();
  spec.toolchain_file =
      (fs::path(status.gale_base()) / "sdk" / "cmake" / "toolchain" / (board.arch() + ".cmake"))
          .string();
  spec.binary_dir = opts.build_dir.empty()
                        ? "${sourceDir}/build/" + board.name()
                        : (ctx.cwd / opts.build_dir).lexically_normal().string();
  std::error_code ec;
  if (!fs::is_regular_file(spec.toolchain_file, ec)) {
    return Fail(ctx, absl::StrCat("the daemon's SDK tree has no toolchain file for arch '",
                                  board.arch(), "' (", spec.toolchain_file, ")"));
  }

  const fs::path presets = app / "CMakePresets.json";
  absl::StatusOr<std::string> merged = MergePresets(ReadFile(presets), spec);
  if (!merged.ok()) {
    return Fail(ctx, absl::StrCat(presets.string(), " ", merged.status().message()));
  }
  if (absl::Status s = WriteFile(presets, *merged); !s.ok()) {
    return FailStatus(ctx, s);
  }
  ctx.out << "wrote " << presets.string() << ": configure and build preset '"
          << PresetName(board.name()) << "' (build folder " << spec.binary_dir << ")\n";

  if (!opts.no_tools) {
    fs::path tools = QtCreatorToolsDir();
    fs::create_directories(tools, ec);
    for (const ExternalTool &tool : QtCreatorTools()) {
      if (absl::Status s = WriteFile(tools / tool.file_name, ExternalToolXml(tool)); !s.ok()) {
        return FailStatus(ctx, s);
      }
    }
    ctx.out << "wrote Qt Creator external tools (Tools > External > Gale: Flash, Console, RTT, "
               "Shell) to "
            << tools.string() << "\n";
  }

  if (!opts.device.empty()) {
    auto devices = gale::v1::Devices::NewStub(ctx.client.channel());
    gale::v1::DeviceRequest request;
    request.set_id(opts.device);
    gale::v1::DebugServer server;
    auto call = ctx.client.NewContext(std::chrono::seconds(30));
    if (grpc::Status s = devices->Debug(call.get(), request, &server); !s.ok()) {
      return FailCall(ctx, s);
    }
    ctx.out << "debugging " << opts.device << ": in Qt Creator, Preferences > Devices > Bare Metal, "
            << "add a generic GDB server provider at " << server.address()
            << " (startup mode: no startup), a Bare Metal device using it, and a kit with that "
               "device and gdb-multiarch as its debugger\n";
  }
  ctx.out << "open " << presets.string() << "'s folder in Qt Creator (File > Open File or Project, "
          << "CMakeLists.txt) and pick the preset '" << PresetName(board.name()) << "'\n";
  return kExitOk;
}

}  // namespace gale::cli
