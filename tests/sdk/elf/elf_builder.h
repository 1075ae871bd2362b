// Builds small ELF images in memory for tests: a header, program headers, segment bytes and
// optionally a symbol table, laid out as a linker would (header, program headers, data, section
// headers). Tests then damage the bytes to check the parser's errors.
#pragma once

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace gale::elf::testing {

struct TestSegment {
  uint64_t load_address = 0;
  uint64_t virtual_address = 0;
  uint64_t memory_size = 0;  // 0: data.size()
  uint32_t flags = PF_R | PF_X;
  std::vector<uint8_t> data;
  uint32_t type = PT_LOAD;
};

struct TestSymbol {
  std::string name;
  uint64_t value = 0;
  uint64_t size = 0;
  uint8_t type = STT_FUNC;
};

// Where BuildElf put things, for tests that damage them.
struct ElfLayout {
  uint64_t program_headers = 0;
  std::vector<uint64_t> segment_offsets;
  uint64_t section_headers = 0;
};

template <typename Ehdr, typename Phdr, typename Shdr, typename Sym>
std::string BuildElfImpl(uint8_t elf_class, uint16_t machine, uint64_t entry,
                         const std::vector<TestSegment> &segments,
                         const std::vector<TestSymbol> &symbols, ElfLayout *layout) {
  std::string out(sizeof(Ehdr), '\0');
  auto append = [&](const void *data, size_t size) {
    const size_t at = out.size();
    out.append(static_cast<const char *>(data), size);
    return at;
  };
  auto align = [&](size_t alignment) {
    out.resize((out.size() + alignment - 1) / alignment * alignment, '\0');
  };
  ElfLayout where;
  where.program_headers = out.size();
  out.resize(out.size() + segments.size() * sizeof(Phdr), '\0');
  for (size_t i = 0; i < segments.size(); ++i) {
    align(4);
    const size_t offset = append(segments[i].data.data(), segments[i].data.size());
    where.segment_offsets.push_back(offset);
    Phdr ph{};
    ph.p_type = segments[i].type;
    ph.p_offset = offset;
    ph.p_vaddr = segments[i].virtual_address;
    ph.p_paddr = segments[i].load_address;
    ph.p_filesz = segments[i].data.size();
    ph.p_memsz = segments[i].memory_size ? segments[i].memory_size : segments[i].data.size();
    ph.p_flags = segments[i].flags;
    ph.p_align = 4;
    std::memcpy(out.data() + where.program_headers + i * sizeof(Phdr), &ph, sizeof(ph));
  }
  // Sections: null, .symtab, .strtab, .shstrtab.
  std::vector<Shdr> sections(1);
  if (!symbols.empty()) {
    std::string names(1, '\0');
    std::vector<Sym> table(1);
    for (const TestSymbol &symbol : symbols) {
      Sym sym{};
      sym.st_name = static_cast<uint32_t>(names.size());
      sym.st_value = symbol.value;
      sym.st_size = symbol.size;
      sym.st_info = static_cast<unsigned char>((STB_GLOBAL << 4) | symbol.type);
      sym.st_shndx = SHN_ABS;
      table.push_back(sym);
      names += symbol.name;
      names += '\0';
    }
    const std::string section_names = std::string("\0.symtab\0.strtab\0.shstrtab\0", 27);
    align(8);
    Shdr symtab{};
    symtab.sh_name = 1;
    symtab.sh_type = SHT_SYMTAB;
    symtab.sh_offset = append(table.data(), table.size() * sizeof(Sym));
    symtab.sh_size = table.size() * sizeof(Sym);
    symtab.sh_link = 2;
    symtab.sh_info = 1;
    symtab.sh_entsize = sizeof(Sym);
    Shdr strtab{};
    strtab.sh_name = 9;
    strtab.sh_type = SHT_STRTAB;
    strtab.sh_offset = append(names.data(), names.size());
    strtab.sh_size = names.size();
    Shdr shstrtab{};
    shstrtab.sh_name = 17;
    shstrtab.sh_type = SHT_STRTAB;
    shstrtab.sh_offset = append(section_names.data(), section_names.size());
    shstrtab.sh_size = section_names.size();
    sections.push_back(symtab);
    sections.push_back(strtab);
    sections.push_back(shstrtab);
  }
  align(8);
  where.section_headers = append(sections.data(), sections.size() * sizeof(Shdr));

  Ehdr header{};
  std::memcpy(header.e_ident, ELFMAG, SELFMAG);
  header.e_ident[EI_CLASS] = elf_class;
  header.e_ident[EI_DATA] = ELFDATA2LSB;
  header.e_ident[EI_VERSION] = EV_CURRENT;
  header.e_type = ET_EXEC;
  header.e_machine = machine;
  header.e_version = EV_CURRENT;
  header.e_entry = entry;
  header.e_phoff = segments.empty() ? 0 : where.program_headers;
  header.e_shoff = where.section_headers;
  header.e_ehsize = sizeof(Ehdr);
  header.e_phentsize = sizeof(Phdr);
  header.e_phnum = static_cast<uint16_t>(segments.size());
  header.e_shentsize = sizeof(Shdr);
  header.e_shnum = static_cast<uint16_t>(sections.size());
  header.e_shstrndx = sections.size() > 1 ? 3 : 0;
  std::memcpy(out.data(), &header, sizeof(header));
  if (layout != nullptr) {
    *layout = std::move(where);
  }
  return out;
}

inline std::string BuildElf32(uint16_t machine, uint32_t entry,
                              const std::vector<TestSegment> &segments,
                              const std::vector<TestSymbol> &symbols = {},
                              ElfLayout *layout = nullptr) {
  return BuildElfImpl<Elf32_Ehdr, Elf32_Phdr, Elf32_Shdr, Elf32_Sym>(ELFCLASS32, machine, entry,
                                                                     segments, symbols, layout);
}

inline std::string BuildElf64(uint16_t machine, uint64_t entry,
                              const std::vector<TestSegment> &segments,
                              const std::vector<TestSymbol> &symbols = {},
                              ElfLayout *layout = nullptr) {
  return BuildElfImpl<Elf64_Ehdr, Elf64_Phdr, Elf64_Shdr, Elf64_Sym>(ELFCLASS64, machine, entry,
                                                                     segments, symbols, layout);
}

}  // namespace gale::elf::testing
