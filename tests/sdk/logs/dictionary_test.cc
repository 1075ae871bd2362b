// The dictionary decoder on the real output of samples/logging (LogsImageTest, run by CTest
// after the images are built and run on QEMU), and damaged copies of it.
#include "gale/logs/dictionary.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gale/logs/text.h"

namespace gale::logs {
namespace {

using testing::HasSubstr;

std::string Env(const char *name) {
  const char *v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(DictionaryTest, MissingImage) {
  EXPECT_EQ(Dictionary::Load("/nonexistent/gale.elf").status().code(), absl::StatusCode::kNotFound);
}

class LogsImageTest : public testing::Test {
 protected:
  void SetUp() override {
    const std::string images = Env("GALE_TEST_IMAGE_DIR");
    const std::string captures = Env("GALE_LOGS_CAPTURE_DIR");
    ASSERT_FALSE(images.empty() || captures.empty())
        << "run through ctest (LogsImageTest.sample), which builds and runs the images";
    dict_elf_ = images + "/logging_dict_qemu_cortex_m3/gale/gale.elf";
    text_elf_ = images + "/logging_text_qemu_cortex_m3/gale/gale.elf";
    dict_out_ = ReadFile(captures + "/dict.out");
    text_out_ = ReadFile(captures + "/text.out");
    ASSERT_FALSE(dict_out_.empty());
    ASSERT_FALSE(text_out_.empty());
    absl::StatusOr<Dictionary> dict = Dictionary::Load(dict_elf_);
    ASSERT_TRUE(dict.ok()) << dict.status();
    dict_.emplace(*std::move(dict));
  }

  std::vector<Record> Decode(std::string_view bytes, std::vector<absl::Status> &errors,
                             size_t chunk = 0) {
    DictionaryDecoder decoder(*dict_, "qemu-1");
    std::vector<Record> records;
    if (chunk == 0) {
      decoder.Feed(bytes, records, errors);
    } else {
      for (size_t i = 0; i < bytes.size(); i += chunk) {
        decoder.Feed(bytes.substr(i, chunk), records, errors);
      }
    }
    decoder.Finish(errors);
    return records;
  }

  std::vector<Record> TextRecords() {
    TextDecoder decoder;
    std::vector<Record> all = decoder.Feed(text_out_);
    for (Record &r : decoder.Finish()) {
      all.push_back(std::move(r));
    }
    std::vector<Record> logs;
    for (Record &r : all) {
      if (r.kind != RecordKind::kOther) {
        logs.push_back(std::move(r));
      }
    }
    return logs;
  }

  std::string dict_elf_, text_elf_, dict_out_, text_out_;
  std::optional<Dictionary> dict_;
};

TEST_F(LogsImageTest, DictionaryFromTheElf) {
  EXPECT_EQ(dict_->module_count(), 2u);
  EXPECT_EQ(*dict_->ModuleName(0), "app");
  EXPECT_EQ(*dict_->ModuleName(1), "sensor");
  EXPECT_EQ(dict_->ModuleName(2).status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(dict_->build_id(), testing::MatchesRegex("fnv1a64:[0-9a-f]{16}"));
  EXPECT_EQ(Dictionary::Load(dict_elf_)->build_id(), dict_->build_id());
  // The strings are in the ELF but in no loadable segment: not flashed.
  absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(dict_elf_);
  ASSERT_TRUE(elf.ok());
  const elf::Section *strings = elf->FindSection(kStringsSection);
  ASSERT_NE(strings, nullptr);
  EXPECT_EQ(strings->flags & 2 /* SHF_ALLOC */, 0u);
  const std::string needle = "logging sample on %s";
  for (const elf::Segment &segment : elf->segments()) {
    EXPECT_EQ(std::string(segment.data.begin(), segment.data.end()).find(needle),
              std::string::npos);
  }
  // A text-mode image has no dictionary.
  EXPECT_EQ(Dictionary::Load(text_elf_).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LogsImageTest, DecodesLikeTheTextBackendPrints) {
  std::vector<absl::Status> errors;
  std::vector<Record> records = Decode(dict_out_, errors);
  // Only the boot banner (printk text) sits between records.
  ASSERT_EQ(errors.size(), 1u) << errors[0];
  EXPECT_THAT(std::string(errors[0].message()), HasSubstr("not a log record"));
  std::vector<Record> text = TextRecords();
  ASSERT_EQ(records.size(), text.size());
  ASSERT_GE(records.size(), 10u);
  for (size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(ToText(records[i]));
    EXPECT_EQ(records[i].level, text[i].level);
    EXPECT_EQ(records[i].module, text[i].module);
    EXPECT_EQ(records[i].message, text[i].message);
    EXPECT_EQ(records[i].kind, text[i].kind);
    EXPECT_EQ(records[i].data, text[i].data);
    EXPECT_EQ(records[i].device, "qemu-1");
    EXPECT_EQ(records[i].build_id, dict_->build_id());
    if (i > 0) {
      EXPECT_GE(*records[i].time_us, *records[i - 1].time_us);
    }
  }
  EXPECT_EQ(records[0].message, "logging sample on qemu_cortex_m3");
  EXPECT_EQ(records[1].kind, RecordKind::kHexdump);
  EXPECT_EQ(records[1].data.size(), 20u);
  EXPECT_EQ(records[2].message,
            "char G, long -123456, 64-bit -9000000000, hex 123456789abc, width [   42] [7   ]");
  EXPECT_EQ(records.back().message, "logging sample done");
  EXPECT_EQ(records.back().level, Level::kInfo);
}

TEST_F(LogsImageTest, AnyChunking) {
  std::vector<absl::Status> whole_errors;
  const std::vector<Record> whole = Decode(dict_out_, whole_errors);
  for (size_t chunk : {1u, 3u, 7u, 20u, 64u}) {
    std::vector<absl::Status> errors;
    EXPECT_EQ(Decode(dict_out_, errors, chunk), whole) << "chunk " << chunk;
  }
}

// Offsets of the records, found by decoding (the banner precedes the first one).
size_t FirstRecord(const std::string &bytes) {
  return bytes.find(std::string("\xA5\x01", 2));
}

TEST_F(LogsImageTest, CorruptRecordIsReportedAndSkipped) {
  std::vector<absl::Status> errors;
  const std::vector<Record> good = Decode(dict_out_, errors);
  const size_t first = FirstRecord(dict_out_);
  ASSERT_NE(first, std::string::npos);
  std::string damaged = dict_out_;
  damaged[first + kRecordHeaderSize + 2] ^= 0x40;  // in the first record's argument
  errors.clear();
  std::vector<Record> records = Decode(damaged, errors);
  ASSERT_EQ(records.size(), good.size() - 1);
  EXPECT_EQ(records.front(), good[1]);
  EXPECT_EQ(records.back(), good.back());
  bool checksum = false;
  for (const absl::Status &e : errors) {
    EXPECT_EQ(e.code(), absl::StatusCode::kDataLoss);
    checksum |= std::string(e.message()).find("checksum") != std::string::npos;
  }
  EXPECT_TRUE(checksum);
}

TEST_F(LogsImageTest, BadVersionAndGarbageResync) {
  std::vector<absl::Status> errors;
  const std::vector<Record> good = Decode(dict_out_, errors);
  const size_t first = FirstRecord(dict_out_);
  std::string damaged = dict_out_;
  damaged[first + 1] = 9;  // a version this decoder does not read
  damaged.insert(damaged.size() / 2, std::string("\xA5\xA5 noise \xA5\x01\x07", 12));
  errors.clear();
  std::vector<Record> records = Decode(damaged, errors);
  EXPECT_GE(records.size(), good.size() - 2);  // the first, and at most the one cut by noise
  EXPECT_EQ(records.back(), good.back());
  bool version = false;
  for (const absl::Status &e : errors) {
    version |= std::string(e.message()).find("record version 9") != std::string::npos;
  }
  EXPECT_TRUE(version);
}

TEST_F(LogsImageTest, TruncatedStream) {
  std::vector<absl::Status> errors;
  const std::vector<Record> good = Decode(dict_out_, errors);
  errors.clear();
  std::vector<Record> records =
      Decode(std::string_view(dict_out_).substr(0, dict_out_.size() - 5), errors);
  EXPECT_EQ(records.size(), good.size() - 1);
  ASSERT_FALSE(errors.empty());
  EXPECT_THAT(std::string(errors.back().message()), HasSubstr("ends inside a record"));
}

TEST_F(LogsImageTest, WrongImageIsNamed) {
  // Records decoded with another image's dictionary: string addresses do not match.
  std::vector<absl::Status> errors;
  const size_t first = FirstRecord(dict_out_);
  std::string damaged = dict_out_.substr(first);
  // Point the first record's format string past the section, fixing its checksum.
  damaged[16] = static_cast<char>(0xF0);
  damaged[17] = static_cast<char>(0xFF);
  const size_t length = static_cast<uint8_t>(damaged[6]) | (static_cast<uint8_t>(damaged[7]) << 8);
  const size_t total = kRecordHeaderSize + length + 1;
  uint8_t sum = 0;
  for (size_t i = 0; i + 1 < total; ++i) {
    sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(damaged[i]));
  }
  damaged[total - 1] = static_cast<char>(0U - sum);
  std::vector<Record> records = Decode(damaged, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(std::string(errors[0].message()), HasSubstr("another image"));
}

}  // namespace
}  // namespace gale::logs
