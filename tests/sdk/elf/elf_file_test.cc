// ElfFile on images built in memory: what a valid image yields, and a clear InvalidArgument
// (naming the file and the problem) for every kind of damage, never a crash.
#include "gale/elf/elf_file.h"

#include <elf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "elf_builder.h"

namespace gale::elf {
namespace {

using ::gale::elf::testing::BuildElf32;
using ::gale::elf::testing::BuildElf64;
using ::gale::elf::testing::ElfLayout;
using ::gale::elf::testing::TestSegment;
using ::gale::elf::testing::TestSymbol;
using ::testing::HasSubstr;

std::vector<TestSegment> CortexMSegments() {
  TestSegment text;
  text.load_address = 0;
  text.virtual_address = 0;
  text.data = {0x00, 0x10, 0x00, 0x20, 0x41, 0x00, 0x00, 0x00, 0xaa, 0xbb};
  TestSegment data;  // .data: runs at 0x20000000, loaded after .text in flash
  data.load_address = 0x100;
  data.virtual_address = 0x20000000;
  data.memory_size = 0x40;
  data.flags = PF_R | PF_W;
  data.data = {1, 2, 3, 4};
  TestSegment bss;  // no file bytes: not a segment to load
  bss.load_address = 0x104;
  bss.virtual_address = 0x20000004;
  bss.memory_size = 0x100;
  bss.flags = PF_R | PF_W;
  TestSegment note;
  note.type = PT_NOTE;
  note.data = {9, 9, 9, 9};
  return {text, data, bss, note};
}

std::string ValidImage(ElfLayout *layout = nullptr) {
  return BuildElf32(EM_ARM, 0x41, CortexMSegments(),
                    {{"main", 0x40, 12, STT_FUNC}, {"counter", 0x20000000, 4, STT_OBJECT}}, layout);
}

template <typename T>
void Poke(std::string &bytes, uint64_t offset, T value) {
  ASSERT_LE(offset + sizeof(T), bytes.size());
  std::memcpy(bytes.data() + offset, &value, sizeof(T));
}

TEST(ElfFileTest, ReadsAnElf32Image) {
  auto file = ElfFile::Parse(ValidImage(), "app.elf");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->machine(), EM_ARM);
  EXPECT_FALSE(file->is_64bit());
  EXPECT_EQ(file->entry(), 0x41u);
  EXPECT_EQ(file->name(), "app.elf");
  ASSERT_EQ(file->segments().size(), 2u);  // the .bss and note segments carry nothing to load
  EXPECT_EQ(file->segments()[0].load_address, 0u);
  EXPECT_EQ(file->segments()[0].data.size(), 10u);
  EXPECT_EQ(file->segments()[0].flags, static_cast<uint32_t>(PF_R | PF_X));
  EXPECT_EQ(file->segments()[1].load_address, 0x100u);
  EXPECT_EQ(file->segments()[1].virtual_address, 0x20000000u);
  EXPECT_EQ(file->segments()[1].memory_size, 0x40u);
  EXPECT_EQ(file->segments()[1].data, (std::vector<uint8_t>{1, 2, 3, 4}));
  EXPECT_EQ(file->LoadSize(), 14u);
  EXPECT_EQ(file->LowestLoadAddress(), 0u);
  EXPECT_EQ(file->ReadWord32(0), 0x20001000u);
  EXPECT_EQ(file->ReadWord32(4), 0x41u);
  EXPECT_EQ(file->ReadWord32(0x100), 0x04030201u);
  EXPECT_EQ(file->ReadWord32(8), std::nullopt);  // only two bytes left in the segment
  EXPECT_EQ(file->ReadWord32(0x1000), std::nullopt);

  auto main_symbol = file->FindSymbol("main");
  ASSERT_TRUE(main_symbol.has_value());
  EXPECT_EQ(main_symbol->value, 0x40u);
  EXPECT_EQ(main_symbol->size, 12u);
  EXPECT_EQ(main_symbol->type, STT_FUNC);
  auto counter = file->FindSymbol("counter");
  ASSERT_TRUE(counter.has_value());
  EXPECT_EQ(counter->type, STT_OBJECT);
  EXPECT_FALSE(file->FindSymbol("absent").has_value());
}

TEST(ElfFileTest, ReadsAnElf64Image) {
  TestSegment text;
  text.load_address = 0x80000000;
  text.virtual_address = 0x80000000;
  text.data = std::vector<uint8_t>(100, 0x13);
  auto file = ElfFile::Parse(
      BuildElf64(EM_RISCV, 0x80000000, {text}, {{"_start", 0x80000000, 0, STT_FUNC}}), "rv.elf");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_TRUE(file->is_64bit());
  EXPECT_EQ(file->machine(), EM_RISCV);
  EXPECT_EQ(file->entry(), 0x80000000u);
  ASSERT_EQ(file->segments().size(), 1u);
  EXPECT_EQ(file->segments()[0].data.size(), 100u);
  EXPECT_EQ(file->FindSymbol("_start")->value, 0x80000000u);
}

TEST(ElfFileTest, AnImageWithoutSectionHeadersHasNoSymbols) {
  std::string bytes = ValidImage();
  Poke<uint32_t>(bytes, offsetof(Elf32_Ehdr, e_shoff), 0);
  auto file = ElfFile::Parse(bytes, "stripped.elf");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_TRUE(file->symbols().empty());
  EXPECT_EQ(file->segments().size(), 2u);
}

void ExpectInvalid(const std::string &bytes, const std::string &what) {
  auto file = ElfFile::Parse(bytes, "build/gale/gale.elf");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument) << file.status();
  EXPECT_THAT(std::string(file.status().message()), HasSubstr("build/gale/gale.elf: "));
  EXPECT_THAT(std::string(file.status().message()), HasSubstr(what));
}

TEST(ElfFileTest, RejectsAFileThatIsNotElf) {
  ExpectInvalid("#!/bin/sh\necho this is a script, not an image\n", "not an ELF file (bad magic)");
  ExpectInvalid("", "not an ELF file");
  ExpectInvalid(
      "\x7f"
      "EL",
      "not an ELF file");
}

TEST(ElfFileTest, RejectsATruncatedHeader) {
  const std::string bytes = ValidImage();
  ExpectInvalid(bytes.substr(0, 8), "truncated ELF header");
  ExpectInvalid(bytes.substr(0, 30), "truncated ELF header");
  ExpectInvalid(BuildElf64(EM_RISCV, 0, {}).substr(0, 60), "truncated ELF header");
}

TEST(ElfFileTest, RejectsBigEndianImages) {
  std::string bytes = ValidImage();
  bytes[EI_DATA] = ELFDATA2MSB;
  ExpectInvalid(bytes, "big-endian");
}

TEST(ElfFileTest, RejectsAnInvalidClassOrVersion) {
  std::string bytes = ValidImage();
  bytes[EI_CLASS] = 7;
  ExpectInvalid(bytes, "invalid ELF class 7");
  bytes = ValidImage();
  Poke<uint32_t>(bytes, offsetof(Elf32_Ehdr, e_version), 9);
  ExpectInvalid(bytes, "unsupported ELF version 9");
}

TEST(ElfFileTest, RejectsATruncatedProgramHeaderTable) {
  std::string bytes = ValidImage();
  Poke<uint32_t>(bytes, offsetof(Elf32_Ehdr, e_phoff), static_cast<uint32_t>(bytes.size() - 8));
  ExpectInvalid(bytes, "truncated program header table");
  bytes = ValidImage();
  Poke<uint16_t>(bytes, offsetof(Elf32_Ehdr, e_phentsize), 8);
  ExpectInvalid(bytes, "program header entry size 8");
}

TEST(ElfFileTest, RejectsASegmentBeyondTheEndOfTheFile) {
  ElfLayout layout;
  std::string bytes = ValidImage(&layout);
  // Segment 1's file size reaches past the end of the file.
  Poke<uint32_t>(
      bytes, layout.program_headers + sizeof(Elf32_Phdr) + offsetof(Elf32_Phdr, p_filesz), 0x10000);
  Poke<uint32_t>(bytes, layout.program_headers + sizeof(Elf32_Phdr) + offsetof(Elf32_Phdr, p_memsz),
                 0x10000);
  ExpectInvalid(bytes, "program header 1 (load address 0x100) extends past the end of the file");

  // An offset near 2^64 must not wrap around into the file.
  TestSegment text;
  text.data = std::vector<uint8_t>(16, 1);
  ElfLayout layout64;
  std::string bytes64 = BuildElf64(EM_RISCV, 0, {text}, {}, &layout64);
  Poke<uint64_t>(bytes64, layout64.program_headers + offsetof(Elf64_Phdr, p_offset),
                 ~uint64_t{0} - 4);
  ExpectInvalid(bytes64, "extends past the end of the file");
}

TEST(ElfFileTest, RejectsASegmentWithMoreFileBytesThanMemory) {
  ElfLayout layout;
  std::string bytes = ValidImage(&layout);
  Poke<uint32_t>(bytes, layout.program_headers + offsetof(Elf32_Phdr, p_memsz), 2);
  ExpectInvalid(bytes, "file size (10) larger than its memory size (2)");
}

TEST(ElfFileTest, RejectsBrokenSymbolTables) {
  ElfLayout layout;
  std::string bytes = ValidImage(&layout);
  Poke<uint32_t>(bytes, offsetof(Elf32_Ehdr, e_shoff), static_cast<uint32_t>(bytes.size() - 4));
  ExpectInvalid(bytes, "section header table");

  bytes = ValidImage(&layout);
  // .symtab (section 1) points at a string table index past the section count.
  Poke<uint32_t>(bytes, layout.section_headers + sizeof(Elf32_Shdr) + offsetof(Elf32_Shdr, sh_link),
                 40);
  ExpectInvalid(bytes, "names string table 40");

  bytes = ValidImage(&layout);
  // .strtab (section 2) shrinks to one byte: the symbols' names fall outside it.
  Poke<uint32_t>(
      bytes, layout.section_headers + 2 * sizeof(Elf32_Shdr) + offsetof(Elf32_Shdr, sh_size), 1);
  ExpectInvalid(bytes, "outside its string table");

  bytes = ValidImage(&layout);
  Poke<uint32_t>(bytes, layout.section_headers + sizeof(Elf32_Shdr) + offsetof(Elf32_Shdr, sh_size),
                 0x7fffffff);
  ExpectInvalid(bytes, "symbol table (section 1) extends past the end of the file");
}

// Every prefix of a valid image, and many randomly damaged copies, parse or fail cleanly.
TEST(ElfFileTest, DamagedImagesNeverCrash) {
  const std::string image = ValidImage();
  for (size_t length = 0; length < image.size(); ++length) {
    auto file = ElfFile::Parse(image.substr(0, length), "prefix.elf");
    if (!file.ok()) {
      EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument) << file.status();
    }
  }
  std::mt19937 random(4);  // fixed seed: the same damage on every run
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = image;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int i = 0; i < flips; ++i) {
      // Damage the headers and tables more often than the segment bytes: that is where the
      // parser's bounds checks are.
      const size_t at = random() % 2 ? random() % sizeof(Elf32_Ehdr) + 16 : random() % bytes.size();
      bytes[at % bytes.size()] = static_cast<char>(random());
    }
    auto file = ElfFile::Parse(bytes, "damaged.elf");
    if (!file.ok()) {
      EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument) << file.status();
    } else {
      for (const Segment &segment : file->segments()) {
        EXPECT_LE(segment.data.size(), bytes.size());
      }
    }
  }
}

class ElfLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "gale-elf-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ElfLoadTest, LoadsAFile) {
  const std::string path = (dir_ / "app.elf").string();
  std::ofstream(path, std::ios::binary) << ValidImage();
  auto file = ElfFile::Load(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->name(), path);
  EXPECT_EQ(file->LoadSize(), 14u);
}

TEST_F(ElfLoadTest, AMissingFileIsNotFound) {
  const std::string path = (dir_ / "missing.elf").string();
  auto file = ElfFile::Load(path);
  EXPECT_EQ(file.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(file.status().message()), HasSubstr(path));
}

TEST_F(ElfLoadTest, ADirectoryIsInvalid) {
  auto file = ElfFile::Load(dir_.string());
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(file.status().message()), HasSubstr("directory"));
}

TEST_F(ElfLoadTest, ATruncatedFileIsInvalid) {
  const std::string path = (dir_ / "cut.elf").string();
  std::ofstream(path, std::ios::binary) << ValidImage().substr(0, 40);
  auto file = ElfFile::Load(path);
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(file.status().message()), HasSubstr(path + ": truncated ELF header"));
}

}  // namespace
}  // namespace gale::elf
