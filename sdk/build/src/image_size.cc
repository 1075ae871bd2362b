#include "gale/build/image_size.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gale::build {
namespace {

constexpr uint64_t kShfWrite = 0x1;
constexpr uint64_t kShfAlloc = 0x2;
constexpr uint32_t kShtNobits = 8;
constexpr uint64_t kSeparateRegionGap = 64 * 1024;

// Reads little- or big-endian integers from a byte buffer.
class Reader {
 public:
  Reader(const std::vector<unsigned char> &bytes, bool big_endian)
      : bytes_(bytes), big_endian_(big_endian) {}
  bool Has(uint64_t offset, uint64_t size) const {
    return offset <= bytes_.size() && size <= bytes_.size() - offset;
  }
  uint64_t Get(uint64_t offset, int size) const {
    uint64_t value = 0;
    for (int i = 0; i < size; ++i) {
      const uint64_t byte = bytes_[offset + static_cast<uint64_t>(big_endian_ ? i : size - 1 - i)];
      value = (value << 8) | byte;
    }
    return value;
  }

 private:
  const std::vector<unsigned char> &bytes_;
  bool big_endian_;
};

}  // namespace

absl::StatusOr<ImageSize> ImageSizeFromElf(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open ELF file ", path));
  }
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  auto bad = [&](const char *what) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a usable ELF file: ", what));
  };
  if (bytes.size() < 16 || std::memcmp(bytes.data(),
                                       "\x7f"
                                       "ELF",
                                       4) != 0) {
    return bad("no ELF magic number");
  }
  const bool is64 = bytes[4] == 2;
  if (bytes[4] != 1 && bytes[4] != 2) {
    return bad("unknown ELF class");
  }
  if (bytes[5] != 1 && bytes[5] != 2) {
    return bad("unknown byte order");
  }
  Reader r(bytes, bytes[5] == 2);
  const uint64_t header_size = is64 ? 64 : 52;
  if (!r.Has(0, header_size)) {
    return bad("truncated ELF header");
  }
  const uint64_t shoff = is64 ? r.Get(0x28, 8) : r.Get(0x20, 4);
  const uint64_t shentsize = r.Get(is64 ? 0x3a : 0x2e, 2);
  uint64_t shnum = r.Get(is64 ? 0x3c : 0x30, 2);
  if (shoff == 0) {
    return bad("no section headers");
  }
  if (shentsize < (is64 ? 64u : 40u)) {
    return bad("section header entries too small");
  }
  if (shnum == 0) {
    // Extended numbering: the count is in section 0's sh_size.
    if (!r.Has(shoff, shentsize)) {
      return bad("truncated section headers");
    }
    shnum = is64 ? r.Get(shoff + 0x20, 8) : r.Get(shoff + 0x14, 4);
  }
  if (shnum > bytes.size() / shentsize || !r.Has(shoff, shnum * shentsize)) {
    return bad("truncated section headers");
  }

  ImageSize size;
  std::vector<std::pair<uint64_t, uint64_t>> writable;  // [start, end)
  for (uint64_t i = 0; i < shnum; ++i) {
    const uint64_t h = shoff + i * shentsize;
    const uint32_t type = static_cast<uint32_t>(r.Get(h + 0x04, 4));
    const uint64_t flags = is64 ? r.Get(h + 0x08, 8) : r.Get(h + 0x08, 4);
    const uint64_t addr = is64 ? r.Get(h + 0x10, 8) : r.Get(h + 0x0c, 4);
    const uint64_t sh_size = is64 ? r.Get(h + 0x20, 8) : r.Get(h + 0x14, 4);
    if ((flags & kShfAlloc) == 0 || sh_size == 0) {
      continue;
    }
    if (type != kShtNobits) {
      size.flash += sh_size;
    }
    if ((flags & kShfWrite) != 0) {
      writable.emplace_back(addr, addr + sh_size);
    }
  }
  std::sort(writable.begin(), writable.end());
  uint64_t start = 0, end = 0;
  bool open = false;
  for (const auto &[s, e] : writable) {
    if (open && s <= end + kSeparateRegionGap) {
      end = std::max(end, e);
      continue;
    }
    if (open) {
      size.ram += end - start;
    }
    start = s;
    end = e;
    open = true;
  }
  if (open) {
    size.ram += end - start;
  }
  return size;
}

}  // namespace gale::build
