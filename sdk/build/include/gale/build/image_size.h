// FLASH and RAM use of a linked image, from its ELF section headers.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace gale::build {

struct ImageSize {
  /// Bytes the image stores: allocated sections with contents (code, read-only data and the
  /// initial values of .data), as the linker's FLASH region counts them.
  uint64_t flash = 0;
  /// Bytes of writable memory it occupies: the extent of its writable allocated sections
  /// (.data, .bss, .noinit, stacks), alignment gaps included, as the linker's RAM region counts
  /// them. Sections more than 64 KiB apart count separately.
  uint64_t ram = 0;
};

/// Reads the section headers of the ELF file at @p path (32 or 64 bit, either byte order).
/// Errors: NotFound (no file), InvalidArgument (not an ELF file, truncated headers).
absl::StatusOr<ImageSize> ImageSizeFromElf(const std::string &path);

}  // namespace gale::build
