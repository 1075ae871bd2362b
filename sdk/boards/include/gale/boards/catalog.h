// The board catalog: every boards/**/board.yaml of a Gale tree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::boards {

/// board.yaml `openocd:` (hardware boards): how OpenOCD reaches the board through its probe.
struct OpenOcdSettings {
  /// OpenOCD scripts, in order (`interface/stlink.cfg`, `target/stm32f4x.cfg`): each becomes
  /// `-f FILE`, resolved in OpenOCD's own script folders or, when relative and present, in the
  /// board's folder.
  std::vector<std::string> configs;
  std::string transport;           ///< `transport select` (hla_swd, swd, jtag, dapdirect_swd)
  uint32_t adapter_speed_khz = 0;  ///< `adapter speed`; 0: the config's default
  /// The probe family the board carries ("stlink", "jlink", "cmsis-dap"; empty: any), so that
  /// attached probes can be matched to boards before the user binds them.
  std::string probe;
  bool empty() const { return configs.empty(); }
};

struct Board {
  std::string name;
  std::string full_name;
  std::string vendor;
  std::string arch;  ///< "arm", "riscv", "posix"
  std::string soc;
  std::string cpu;
  std::string emulator;      ///< "qemu", "native", or empty
  std::string qemu_machine;  ///< e.g. "lm3s6965evb"
  uint32_t ram_kb = 0;
  uint32_t flash_kb = 0;
  std::string dir;  ///< absolute folder of board.yaml
  OpenOcdSettings openocd;  ///< empty for boards without an OpenOCD set-up
};

class Catalog {
 public:
  /// Reads every `boards/**/board.yaml` under `gale_base`. A malformed file is an error naming
  /// it; two boards with one name are an error naming both files.
  static absl::StatusOr<Catalog> Load(const std::string &gale_base);
  /// Reads the boards of several roots, each laid out like `gale_base` (`ROOT/boards/**`); roots
  /// without a `boards/` folder are skipped. A name found in an earlier root hides the same name
  /// in later ones, as in the CMake package's search (application, BOARD_ROOT, Gale tree); two
  /// boards with one name inside one root are an error naming both files.
  static absl::StatusOr<Catalog> LoadRoots(const std::vector<std::string> &roots);

  const std::vector<Board> &boards() const { return boards_; }  ///< sorted by name
  /// NotFound: "unknown board 'x'; known boards: a, b, c".
  /// A name with `/` qualifiers (`mps2/an385`) also finds the folder name `mps2_an385`.
  absl::StatusOr<Board> Find(std::string_view name) const;

 private:
  std::vector<Board> boards_;
};

}  // namespace gale::boards
