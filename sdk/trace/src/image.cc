#include "gale/trace/image.h"

#include <elf.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gale::trace {
namespace {

std::string Hex(const std::vector<uint8_t> &bytes) {
  std::string hex;
  for (uint8_t b : bytes) {
    absl::StrAppendFormat(&hex, "%02x", b);
  }
  return hex;
}

}  // namespace

absl::StatusOr<Image> Image::Load(const std::string &path) {
  absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(path);
  if (!elf.ok()) {
    return elf.status();
  }
  return FromElf(*std::move(elf));
}

absl::StatusOr<Image> Image::FromElf(elf::ElfFile elf) {
  Image image(std::move(elf));
  for (const elf::Symbol &s : image.elf_.symbols()) {
    if (s.type == STT_OBJECT && s.size != 0) {
      image.objects_.push_back(s);
    }
  }
  std::sort(image.objects_.begin(), image.objects_.end(),
            [](const elf::Symbol &a, const elf::Symbol &b) { return a.value < b.value; });
  if (std::optional<elf::Symbol> ch = image.elf_.FindSymbol("gale_trace_rtt_channel")) {
    if (std::optional<std::vector<uint8_t>> b = image.Bytes(ch->value, 4)) {
      uint32_t v;
      std::memcpy(&v, b->data(), 4);
      image.trace_channel_ = v;
    }
  }
  std::optional<elf::Symbol> start = image.elf_.FindSymbol("__gale_build_id_start");
  std::optional<elf::Symbol> end = image.elf_.FindSymbol("__gale_build_id_end");
  if (start && end && end->value >= start->value + 16 && end->value - start->value < 256) {
    std::optional<std::vector<uint8_t>> note = image.Bytes(start->value, end->value - start->value);
    if (note) {
      uint32_t namesz;
      uint32_t descsz;
      uint32_t type;
      std::memcpy(&namesz, note->data(), 4);
      std::memcpy(&descsz, note->data() + 4, 4);
      std::memcpy(&type, note->data() + 8, 4);
      size_t desc = 12 + ((namesz + 3U) & ~3U);
      if (type == NT_GNU_BUILD_ID && desc + descsz <= note->size()) {
        image.build_id_.assign(note->begin() + static_cast<ptrdiff_t>(desc),
                               note->begin() + static_cast<ptrdiff_t>(desc + descsz));
      }
    }
  }
  return image;
}

std::string Image::BuildIdHex() const {
  return Hex(build_id_);
}

std::optional<std::vector<uint8_t>> Image::Bytes(uint64_t address, size_t size) const {
  // Symbols carry run addresses (virtual); read from the segment that holds them.
  for (const elf::Segment &seg : elf_.segments()) {
    if (address >= seg.virtual_address && address - seg.virtual_address + size <= seg.data.size()) {
      auto from = seg.data.begin() + static_cast<ptrdiff_t>(address - seg.virtual_address);
      return std::vector<uint8_t>(from, from + static_cast<ptrdiff_t>(size));
    }
  }
  return std::nullopt;
}

std::optional<std::string> Image::SymbolAt(uint64_t address) const {
  auto it = std::upper_bound(
      objects_.begin(), objects_.end(), address,
      [](uint64_t a, const elf::Symbol &s) { return a < s.value; });
  if (it == objects_.begin()) {
    return std::nullopt;
  }
  --it;
  if (address >= it->value + it->size) {
    return std::nullopt;
  }
  if (address == it->value) {
    return it->name;
  }
  return absl::StrFormat("%s+0x%x", it->name, address - it->value);
}

std::optional<std::string> Image::StringAt(uint64_t address) const {
  for (const elf::Segment &seg : elf_.segments()) {
    if (address < seg.virtual_address || address >= seg.virtual_address + seg.data.size()) {
      continue;
    }
    std::string s;
    for (uint64_t i = address - seg.virtual_address; i < seg.data.size() && s.size() < 128; ++i) {
      char c = static_cast<char>(seg.data[i]);
      if (c == '\0') {
        return s;
      }
      s.push_back(c);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

absl::Status CheckBuildId(const Header &header, const Image &image) {
  if (header.build_id == image.build_id()) {
    return absl::OkStatus();
  }
  std::string trace_id = header.build_id.empty() ? "none" : header.BuildIdHex();
  std::string elf_id = image.build_id().empty() ? "none" : image.BuildIdHex();
  return absl::FailedPreconditionError(absl::StrCat(
      "the trace comes from the image with build id ", trace_id, " but ", image.path(),
      " has build id ", elf_id, ": decode against the ELF that was flashed"));
}

}  // namespace gale::trace
