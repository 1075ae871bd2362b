// Reading the parts of a target ELF image the host tools need: loadable segments, the entry
// point, the machine, and symbols. ELF32 and ELF64, little-endian (every Gale target).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gale::elf {

/// A PT_LOAD segment with its bytes as they must appear in target memory at `load_address`
/// (the physical address: for an image with .data in RAM, the flash copy).
struct Segment {
  uint64_t load_address = 0;     ///< p_paddr
  uint64_t virtual_address = 0;  ///< p_vaddr
  uint64_t memory_size = 0;   ///< p_memsz (bytes past data.size() are zero-filled by startup code)
  uint32_t flags = 0;         ///< PF_R | PF_W | PF_X
  std::vector<uint8_t> data;  ///< p_filesz bytes
};

struct Symbol {
  std::string name;
  uint64_t value = 0;
  uint64_t size = 0;
  uint8_t type = 0;  ///< STT_*
};

/// A section with file contents (not SHT_NOBITS), e.g. a non-loadable one that only the host
/// reads (dictionary logging's `.gale_log_strings`).
struct Section {
  std::string name;
  uint32_t type = 0;     ///< SHT_*
  uint64_t flags = 0;    ///< SHF_*
  uint64_t address = 0;  ///< sh_addr
  std::vector<uint8_t> data;
};

class ElfFile {
 public:
  /// Reads and validates `path`. Errors (InvalidArgument) name the file and what is wrong:
  /// "build/gale/gale.elf: not an ELF file (bad magic)", truncated headers, segments past the
  /// end of the file, big-endian images. NotFound when the file does not exist.
  static absl::StatusOr<ElfFile> Load(const std::string &path);
  /// Same, from bytes in memory; `name` is used in error messages.
  static absl::StatusOr<ElfFile> Parse(std::string_view bytes, const std::string &name);

  uint16_t machine() const { return machine_; }  ///< EM_ARM, EM_RISCV, EM_X86_64, ...
  bool is_64bit() const { return is_64bit_; }
  uint64_t entry() const { return entry_; }
  /// PT_LOAD segments with a non-zero file size, in file order.
  const std::vector<Segment> &segments() const { return segments_; }
  const std::vector<Symbol> &symbols() const { return symbols_; }
  std::optional<Symbol> FindSymbol(std::string_view name) const;
  /// Sections with contents, named from the section name table (a section whose header or
  /// contents lie outside the file is left out).
  const std::vector<Section> &sections() const { return sections_; }
  /// The first section called `name`, or nullptr.
  const Section *FindSection(std::string_view name) const;
  /// Sum of the loadable bytes.
  uint64_t LoadSize() const;
  /// The lowest load address of any segment (where a Cortex-M vector table sits); nullopt for
  /// an image with nothing to load.
  std::optional<uint64_t> LowestLoadAddress() const;
  /// The little-endian 32-bit word the image places at `load_address`, if a segment's file
  /// bytes cover all four bytes.
  std::optional<uint32_t> ReadWord32(uint64_t load_address) const;
  /// The path or name the image was loaded from (used in error messages).
  const std::string &name() const { return name_; }

 private:
  std::string name_;
  uint16_t machine_ = 0;
  bool is_64bit_ = false;
  uint64_t entry_ = 0;
  std::vector<Segment> segments_;
  std::vector<Symbol> symbols_;
  std::vector<Section> sections_;
};

}  // namespace gale::elf
