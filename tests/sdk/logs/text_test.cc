#include "gale/logs/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gale::logs {
namespace {

TEST(ParseTextLineTest, FullLine) {
  absl::StatusOr<Record> r = ParseTextLine("[00:00:01.234,567] <inf> sensor: value 30: high");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->time_us, 1234567u);
  EXPECT_EQ(r->level, Level::kInfo);
  EXPECT_EQ(r->module, "sensor");
  EXPECT_EQ(r->message, "value 30: high");
  EXPECT_EQ(r->kind, RecordKind::kMessage);
}

TEST(ParseTextLineTest, HoursMinutesAndEveryLevel) {
  absl::StatusOr<Record> r = ParseTextLine("[27:59:01.000,001] <err> app: x\r");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->time_us, ((27ULL * 3600 + 59 * 60 + 1) * 1000000) + 1);
  EXPECT_EQ(r->message, "x");
  EXPECT_EQ(ParseTextLine("<wrn> a: b")->level, Level::kWarning);
  EXPECT_EQ(ParseTextLine("<dbg> a: b")->level, Level::kDebug);
  EXPECT_FALSE(ParseTextLine("<dbg> a: b")->time_us.has_value());
}

TEST(ParseTextLineTest, ColorsAreIgnored) {
  absl::StatusOr<Record> r = ParseTextLine("\x1b[1;31m[00:00:00.000,100] <err> app: broken\x1b[0m");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->level, Level::kError);
  EXPECT_EQ(r->message, "broken");
}

TEST(ParseTextLineTest, DroppedNote) {
  absl::StatusOr<Record> r = ParseTextLine("--- 17 messages dropped ---");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, RecordKind::kDropped);
  EXPECT_EQ(r->dropped, 17u);
}

TEST(ParseTextLineTest, NotLogLines) {
  EXPECT_EQ(ParseTextLine("*** Booting Gale OS v0.1.0 ***").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseTextLine("[00:00:00.000,000] no level").ok());
  EXPECT_FALSE(ParseTextLine("[00:00:00.000,000] <xyz> a: b").ok());
  EXPECT_FALSE(ParseTextLine("").ok());
  EXPECT_THAT(std::string(ParseTextLine("hello").status().message()), testing::HasSubstr("hello"));
}

TEST(TextDecoderTest, PiecesHexdumpsAndOtherLines) {
  const std::string stream =
      "*** Booting ***\r\n"
      "[00:00:00.000,000] <inf> app: frame:\r\n"
      "                              47 61 6c 65 00 01 02 03  de ad be ef 7f 80 20 41 "
      "|Gale.... ...... A\r\n"
      "                              42 43                                            |BC\r\n"
      "[00:00:00.010,000] <wrn> app: after\r\n"
      "--- 2 messages dropped ---\r\n"
      "[00:00:00.020,000] <err> app: last";
  TextDecoder decoder("dev1", "build1");
  std::vector<Record> records;
  for (char c : stream) {  // one byte at a time: lines may arrive in any pieces
    for (Record &r : decoder.Feed(std::string_view(&c, 1))) {
      records.push_back(std::move(r));
    }
  }
  for (Record &r : decoder.Finish()) {
    records.push_back(std::move(r));
  }
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].kind, RecordKind::kOther);
  EXPECT_EQ(records[0].message, "*** Booting ***");
  EXPECT_EQ(records[1].kind, RecordKind::kHexdump);
  EXPECT_EQ(records[1].message, "frame:");
  EXPECT_EQ(records[1].data,
            (std::vector<uint8_t>{0x47, 0x61, 0x6c, 0x65, 0x00, 0x01, 0x02, 0x03, 0xde, 0xad, 0xbe,
                                  0xef, 0x7f, 0x80, 0x20, 0x41, 0x42, 0x43}));
  EXPECT_EQ(records[1].device, "dev1");
  EXPECT_EQ(records[1].build_id, "build1");
  EXPECT_EQ(records[2].message, "after");
  EXPECT_EQ(records[3].kind, RecordKind::kDropped);
  EXPECT_EQ(records[3].dropped, 2u);
  EXPECT_EQ(records[4].message, "last");
  EXPECT_EQ(records[4].time_us, 20000u);
}

TEST(TextDecoderTest, ToTextRoundTrip) {
  Record r;
  r.time_us = 1234567;
  r.level = Level::kInfo;
  r.module = "app";
  r.kind = RecordKind::kHexdump;
  r.message = "frame:";
  r.data = {0x47, 0x61, 0x6c, 0x65, 0x00, 0x01, 0x02, 0x03, 0xde, 0xad,
            0xbe, 0xef, 0x7f, 0x80, 0x20, 0x41, 0x42, 0x43, 0x0a, 0xff};
  const std::string text = ToText(r);
  EXPECT_EQ(text,
            "[00:00:01.234,567] <inf> app: frame:\n"
            "                              47 61 6c 65 00 01 02 03  de ad be ef 7f 80 20 41 "
            "|Gale.... ...... A\n"
            "                              42 43 0a ff                                      "
            "|BC..");
  TextDecoder decoder;
  std::vector<Record> got = decoder.Feed(text + "\n");
  std::vector<Record> rest = decoder.Finish();
  got.insert(got.end(), rest.begin(), rest.end());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], r);
}

}  // namespace
}  // namespace gale::logs
