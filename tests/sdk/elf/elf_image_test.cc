// ElfFile on real images (hello_world for qemu_cortex_m3 and native_sim), checked against what
// binutils' readelf reports for the same files.
#include <elf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdio.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "gale/elf/elf_file.h"

namespace gale::elf {
namespace {

struct ReadelfSegment {
  uint64_t offset, vaddr, paddr, filesz, memsz;
};

std::string ImagePath(const std::string &image, const std::string &file) {
  const char *dir = std::getenv("GALE_TEST_IMAGE_DIR");
  if (dir == nullptr) {
    return "";
  }
  return std::string(dir) + "/" + image + "/gale/" + file;
}

std::string Run(const std::string &command) {
  std::string out;
  FILE *pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return out;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    out.append(buffer, n);
  }
  pclose(pipe);
  return out;
}

// The PT_LOAD lines of `readelf -lW`.
std::vector<ReadelfSegment> ReadelfLoads(const std::string &path) {
  std::vector<ReadelfSegment> loads;
  std::istringstream lines(Run("readelf -lW '" + path + "'"));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string type, offset, vaddr, paddr, filesz, memsz;
    if (!(words >> type >> offset >> vaddr >> paddr >> filesz >> memsz) || type != "LOAD") {
      continue;
    }
    loads.push_back({std::stoull(offset, nullptr, 16), std::stoull(vaddr, nullptr, 16),
                     std::stoull(paddr, nullptr, 16), std::stoull(filesz, nullptr, 16),
                     std::stoull(memsz, nullptr, 16)});
  }
  return loads;
}

// The value of global symbol `name` from `readelf -sW`.
std::optional<uint64_t> ReadelfSymbol(const std::string &path, const std::string &name) {
  std::istringstream lines(Run("readelf -sW '" + path + "'"));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string num, value, size, type, bind, vis, ndx, symbol;
    if ((words >> num >> value >> size >> type >> bind >> vis >> ndx >> symbol) && symbol == name &&
        bind == "GLOBAL") {
      return std::stoull(value, nullptr, 16);
    }
  }
  return std::nullopt;
}

void ExpectSegmentsMatchReadelf(const ElfFile &file, const std::string &path) {
  std::vector<ReadelfSegment> expected;
  for (const ReadelfSegment &load : ReadelfLoads(path)) {
    if (load.filesz != 0) {
      expected.push_back(load);
    }
  }
  ASSERT_FALSE(expected.empty()) << "readelf found no loadable segment in " << path;
  ASSERT_EQ(file.segments().size(), expected.size());
  uint64_t total = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    const Segment &segment = file.segments()[i];
    EXPECT_EQ(segment.load_address, expected[i].paddr) << "segment " << i;
    EXPECT_EQ(segment.virtual_address, expected[i].vaddr) << "segment " << i;
    EXPECT_EQ(segment.data.size(), expected[i].filesz) << "segment " << i;
    EXPECT_EQ(segment.memory_size, expected[i].memsz) << "segment " << i;
    total += expected[i].filesz;
  }
  EXPECT_EQ(file.LoadSize(), total);
}

TEST(ElfImageTest, hello_qemu_cortex_m3) {
  const std::string path = ImagePath("hello_qemu_cortex_m3", "gale.elf");
  ASSERT_FALSE(path.empty()) << "GALE_TEST_IMAGE_DIR is not set (run through ctest)";
  auto file = ElfFile::Load(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->machine(), EM_ARM);
  EXPECT_FALSE(file->is_64bit());
  ExpectSegmentsMatchReadelf(*file, path);

  // The vector table at the lowest load address starts the image: word 1, the reset vector,
  // is the (Thumb) entry point.
  ASSERT_EQ(file->LowestLoadAddress(), 0u);
  EXPECT_EQ(file->ReadWord32(4), file->entry() | 1);
  const std::optional<uint32_t> initial_sp = file->ReadWord32(0);
  ASSERT_TRUE(initial_sp.has_value());
  EXPECT_GE(*initial_sp, 0x20000000u);  // the stack is in SRAM

  auto main_symbol = file->FindSymbol("main");
  ASSERT_TRUE(main_symbol.has_value());
  EXPECT_EQ(main_symbol->type, STT_FUNC);
  EXPECT_EQ(main_symbol->value, ReadelfSymbol(path, "main"));
}

TEST(ElfImageTest, hello_native_sim) {
  const std::string path = ImagePath("hello_native_sim", "gale.exe");
  ASSERT_FALSE(path.empty()) << "GALE_TEST_IMAGE_DIR is not set (run through ctest)";
  auto file = ElfFile::Load(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->machine(), EM_X86_64);
  EXPECT_TRUE(file->is_64bit());
  ExpectSegmentsMatchReadelf(*file, path);
  auto main_symbol = file->FindSymbol("main");
  ASSERT_TRUE(main_symbol.has_value());
  EXPECT_EQ(main_symbol->value, ReadelfSymbol(path, "main"));
}

}  // namespace
}  // namespace gale::elf
