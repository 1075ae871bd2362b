#include "gale/elf/elf_file.h"

#include <elf.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gale::elf {
namespace {

// The structures of <elf.h> are read by memcpy from the file's bytes, which holds only when the
// host stores integers in the same order as the (little-endian) images.
static_assert(std::endian::native == std::endian::little,
              "gale::elf reads little-endian images by copying their structures as they are");

// Largest image Load() reads into memory. Target images are kilobytes to a few megabytes; this
// only keeps a wrong path (a disk image, /dev/zero) from exhausting memory.
constexpr uint64_t kMaxFileSize = uint64_t{1} << 30;

// The ELF structures of one class, so one template parses both.
struct Elf32Types {
  using Ehdr = Elf32_Ehdr;
  using Phdr = Elf32_Phdr;
  using Shdr = Elf32_Shdr;
  using Sym = Elf32_Sym;
  static uint8_t SymType(const Sym &sym) { return ELF32_ST_TYPE(sym.st_info); }
};
struct Elf64Types {
  using Ehdr = Elf64_Ehdr;
  using Phdr = Elf64_Phdr;
  using Shdr = Elf64_Shdr;
  using Sym = Elf64_Sym;
  static uint8_t SymType(const Sym &sym) { return ELF64_ST_TYPE(sym.st_info); }
};

// True when [offset, offset + size) lies inside a buffer of `limit` bytes, without overflowing.
bool InBounds(uint64_t offset, uint64_t size, uint64_t limit) {
  return offset <= limit && size <= limit - offset;
}

class Parser {
 public:
  Parser(std::string_view bytes, const std::string &name) : bytes_(bytes), name_(name) {}

  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(name_, ": ", absl::string_view(what.data(), what.size())));
  }

  // Copies a structure of type T from `offset`; the caller has checked the bounds.
  template <typename T>
  T At(uint64_t offset) const {
    T value;
    std::memcpy(&value, bytes_.data() + offset, sizeof(T));
    return value;
  }

  template <typename Types>
  absl::Status Parse(uint16_t &machine, uint64_t &entry, std::vector<Segment> &segments,
                     std::vector<Symbol> &symbols) const;

  // After a successful Parse(): the sections with contents, named; damaged entries are skipped.
  template <typename Types>
  void ParseSections(std::vector<Section> &sections) const;

 private:
  template <typename Types>
  absl::Status ParseSymbols(const typename Types::Ehdr &header, std::vector<Symbol> &symbols) const;

  std::string_view bytes_;
  const std::string &name_;
};

template <typename Types>
absl::Status Parser::Parse(uint16_t &machine, uint64_t &entry, std::vector<Segment> &segments,
                           std::vector<Symbol> &symbols) const {
  using Ehdr = typename Types::Ehdr;
  using Phdr = typename Types::Phdr;
  const uint64_t size = bytes_.size();
  if (size < sizeof(Ehdr)) {
    return Error(absl::StrFormat("truncated ELF header (%u bytes, the header needs %u)", size,
                                 sizeof(Ehdr)));
  }
  const Ehdr header = At<Ehdr>(0);
  if (header.e_version != EV_CURRENT) {
    return Error(absl::StrFormat("unsupported ELF version %u", header.e_version));
  }
  machine = header.e_machine;
  entry = header.e_entry;

  if (header.e_phnum != 0) {
    if (header.e_phnum == PN_XNUM) {
      return Error("more than 65534 program headers (PN_XNUM) are not supported");
    }
    if (header.e_phentsize < sizeof(Phdr)) {
      return Error(absl::StrFormat("program header entry size %u is smaller than %u",
                                   header.e_phentsize, sizeof(Phdr)));
    }
    const uint64_t table_size = uint64_t{header.e_phnum} * header.e_phentsize;
    if (!InBounds(header.e_phoff, table_size, size)) {
      return Error(absl::StrFormat(
          "truncated program header table (%u entries at offset %u, file is %u bytes)",
          header.e_phnum, header.e_phoff, size));
    }
    for (unsigned i = 0; i < header.e_phnum; ++i) {
      const Phdr ph = At<Phdr>(header.e_phoff + uint64_t{i} * header.e_phentsize);
      if (ph.p_type != PT_LOAD || ph.p_filesz == 0) {
        continue;
      }
      if (!InBounds(ph.p_offset, ph.p_filesz, size)) {
        return Error(absl::StrFormat(
            "the segment of program header %u (load address 0x%x) extends past the end of the "
            "file (%u bytes at offset %u, file is %u bytes)",
            i, ph.p_paddr, ph.p_filesz, ph.p_offset, size));
      }
      if (ph.p_memsz < ph.p_filesz) {
        return Error(absl::StrFormat(
            "the segment of program header %u (load address 0x%x) has a file size (%u) larger "
            "than its memory size (%u)",
            i, ph.p_paddr, ph.p_filesz, ph.p_memsz));
      }
      Segment segment;
      segment.load_address = ph.p_paddr;
      segment.virtual_address = ph.p_vaddr;
      segment.memory_size = ph.p_memsz;
      segment.flags = ph.p_flags;
      const auto *begin = reinterpret_cast<const uint8_t *>(bytes_.data() + ph.p_offset);
      segment.data.assign(begin, begin + ph.p_filesz);
      segments.push_back(std::move(segment));
    }
  }
  return ParseSymbols<Types>(header, symbols);
}

template <typename Types>
absl::Status Parser::ParseSymbols(const typename Types::Ehdr &header,
                                  std::vector<Symbol> &symbols) const {
  using Shdr = typename Types::Shdr;
  using Sym = typename Types::Sym;
  const uint64_t size = bytes_.size();
  if (header.e_shoff == 0) {
    return absl::OkStatus();  // no section headers (a stripped or raw image): no symbols
  }
  if (header.e_shentsize < sizeof(Shdr)) {
    return Error(absl::StrFormat("section header entry size %u is smaller than %u",
                                 header.e_shentsize, sizeof(Shdr)));
  }
  if (!InBounds(header.e_shoff, sizeof(Shdr), size)) {
    return Error(
        absl::StrFormat("section header table at offset %u is past the end of the file "
                        "(%u bytes)",
                        header.e_shoff, size));
  }
  // With 0xff00 sections or more, e_shnum is 0 and section 0 holds the count.
  uint64_t count = header.e_shnum;
  if (count == 0) {
    count = At<Shdr>(header.e_shoff).sh_size;
  }
  if (!InBounds(header.e_shoff, count * uint64_t{header.e_shentsize}, size) ||
      count > size / header.e_shentsize) {
    return Error(absl::StrFormat(
        "truncated section header table (%u entries at offset %u, file is %u bytes)", count,
        header.e_shoff, size));
  }
  auto section = [&](uint64_t index) {
    return At<Shdr>(header.e_shoff + index * header.e_shentsize);
  };
  for (uint64_t i = 0; i < count; ++i) {
    const Shdr symtab = section(i);
    if (symtab.sh_type != SHT_SYMTAB) {
      continue;
    }
    if (symtab.sh_entsize < sizeof(Sym)) {
      return Error(absl::StrFormat("symbol table (section %u) entry size %u is smaller than %u", i,
                                   symtab.sh_entsize, sizeof(Sym)));
    }
    if (!InBounds(symtab.sh_offset, symtab.sh_size, size)) {
      return Error(
          absl::StrFormat("symbol table (section %u) extends past the end of the file", i));
    }
    if (symtab.sh_link >= count) {
      return Error(absl::StrFormat("symbol table (section %u) names string table %u of %u sections",
                                   i, symtab.sh_link, count));
    }
    const Shdr strtab = section(symtab.sh_link);
    if (strtab.sh_type != SHT_STRTAB || !InBounds(strtab.sh_offset, strtab.sh_size, size)) {
      return Error(absl::StrFormat(
          "symbol table (section %u) has no valid string table (section %u)", i, symtab.sh_link));
    }
    const std::string_view names = bytes_.substr(strtab.sh_offset, strtab.sh_size);
    const uint64_t entries = symtab.sh_size / symtab.sh_entsize;
    symbols.reserve(symbols.size() + entries);
    for (uint64_t j = 1; j < entries; ++j) {  // entry 0 is the undefined symbol
      const Sym sym = At<Sym>(symtab.sh_offset + j * symtab.sh_entsize);
      if (sym.st_name >= names.size()) {
        return Error(
            absl::StrFormat("symbol %u names offset %u outside its string table (%u bytes)", j,
                            sym.st_name, names.size()));
      }
      const std::string_view rest = names.substr(sym.st_name);
      const size_t end = rest.find('\0');
      if (end == std::string_view::npos) {
        return Error(absl::StrFormat("symbol %u has an unterminated name", j));
      }
      if (end == 0) {
        continue;  // section and file symbols without a name help nobody
      }
      symbols.push_back(
          Symbol{std::string(rest.substr(0, end)), sym.st_value, sym.st_size, Types::SymType(sym)});
    }
  }
  return absl::OkStatus();
}

template <typename Types>
void Parser::ParseSections(std::vector<Section> &sections) const {
  using Shdr = typename Types::Shdr;
  const uint64_t size = bytes_.size();
  const auto header = At<typename Types::Ehdr>(0);
  if (header.e_shoff == 0 || header.e_shentsize < sizeof(Shdr) ||
      !InBounds(header.e_shoff, sizeof(Shdr), size)) {
    return;
  }
  uint64_t count = header.e_shnum;
  if (count == 0) {
    count = At<Shdr>(header.e_shoff).sh_size;
  }
  if (!InBounds(header.e_shoff, count * uint64_t{header.e_shentsize}, size) ||
      count > size / header.e_shentsize) {
    return;
  }
  auto section = [&](uint64_t index) {
    return At<Shdr>(header.e_shoff + index * header.e_shentsize);
  };
  std::string_view names;
  if (header.e_shstrndx < count) {
    const Shdr strtab = section(header.e_shstrndx);
    if (strtab.sh_type == SHT_STRTAB && InBounds(strtab.sh_offset, strtab.sh_size, size)) {
      names = bytes_.substr(strtab.sh_offset, strtab.sh_size);
    }
  }
  for (uint64_t i = 1; i < count; ++i) {
    const Shdr sh = section(i);
    if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL ||
        !InBounds(sh.sh_offset, sh.sh_size, size)) {
      continue;
    }
    Section out;
    if (sh.sh_name < names.size()) {
      const std::string_view rest = names.substr(sh.sh_name);
      out.name = std::string(rest.substr(0, rest.find('\0')));
    }
    out.type = sh.sh_type;
    out.flags = sh.sh_flags;
    out.address = sh.sh_addr;
    const auto *begin = reinterpret_cast<const uint8_t *>(bytes_.data() + sh.sh_offset);
    out.data.assign(begin, begin + sh.sh_size);
    sections.push_back(std::move(out));
  }
}

}  // namespace

const Section *ElfFile::FindSection(std::string_view name) const {
  for (const Section &section : sections_) {
    if (section.name == name) {
      return &section;
    }
  }
  return nullptr;
}

absl::StatusOr<ElfFile> ElfFile::Load(const std::string &path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return absl::NotFoundError(absl::StrCat(path, ": no such file; build the image first"));
  }
  if (std::filesystem::is_directory(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory, not an ELF image"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::PermissionDeniedError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  in.seekg(0, std::ios::end);
  const std::streamoff length = in.tellg();
  if (length < 0 || static_cast<uint64_t>(length) > kMaxFileSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a target image (larger than 1 GiB or not a regular file)"));
  }
  in.seekg(0, std::ios::beg);
  std::string bytes(static_cast<size_t>(length), '\0');
  if (!in.read(bytes.data(), length)) {
    return absl::DataLossError(absl::StrCat(path, ": read failed"));
  }
  return Parse(bytes, path);
}

absl::StatusOr<ElfFile> ElfFile::Parse(std::string_view bytes, const std::string &name) {
  Parser parser(bytes, name);
  if (bytes.size() < EI_NIDENT) {
    if (bytes.size() >= SELFMAG && std::memcmp(bytes.data(), ELFMAG, SELFMAG) == 0) {
      return parser.Error(
          absl::StrFormat("truncated ELF header (%u bytes, the header needs more)", bytes.size()));
    }
    return parser.Error(absl::StrFormat("not an ELF file (%u bytes, too short)", bytes.size()));
  }
  if (std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0) {
    return parser.Error("not an ELF file (bad magic)");
  }
  const auto ident_class = static_cast<uint8_t>(bytes[EI_CLASS]);
  const auto ident_data = static_cast<uint8_t>(bytes[EI_DATA]);
  if (ident_data == ELFDATA2MSB) {
    return parser.Error("big-endian ELF images are not supported (Gale targets are little-endian)");
  }
  if (ident_data != ELFDATA2LSB) {
    return parser.Error(absl::StrFormat("invalid ELF data encoding %u", ident_data));
  }
  ElfFile file;
  file.name_ = name;
  absl::Status status;
  if (ident_class == ELFCLASS32) {
    status = parser.Parse<Elf32Types>(file.machine_, file.entry_, file.segments_, file.symbols_);
    if (status.ok()) {
      parser.ParseSections<Elf32Types>(file.sections_);
    }
  } else if (ident_class == ELFCLASS64) {
    file.is_64bit_ = true;
    status = parser.Parse<Elf64Types>(file.machine_, file.entry_, file.segments_, file.symbols_);
    if (status.ok()) {
      parser.ParseSections<Elf64Types>(file.sections_);
    }
  } else {
    return parser.Error(absl::StrFormat("invalid ELF class %u", ident_class));
  }
  if (!status.ok()) {
    return status;
  }
  return file;
}

std::optional<Symbol> ElfFile::FindSymbol(std::string_view name) const {
  for (const Symbol &symbol : symbols_) {
    if (symbol.name == name) {
      return symbol;
    }
  }
  return std::nullopt;
}

uint64_t ElfFile::LoadSize() const {
  uint64_t total = 0;
  for (const Segment &segment : segments_) {
    total += segment.data.size();
  }
  return total;
}

std::optional<uint64_t> ElfFile::LowestLoadAddress() const {
  std::optional<uint64_t> lowest;
  for (const Segment &segment : segments_) {
    if (!lowest || segment.load_address < *lowest) {
      lowest = segment.load_address;
    }
  }
  return lowest;
}

std::optional<uint32_t> ElfFile::ReadWord32(uint64_t load_address) const {
  for (const Segment &segment : segments_) {
    if (load_address >= segment.load_address &&
        InBounds(load_address - segment.load_address, 4, segment.data.size())) {
      const uint8_t *p = segment.data.data() + (load_address - segment.load_address);
      return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
    }
  }
  return std::nullopt;
}

}  // namespace gale::elf
