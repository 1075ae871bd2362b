// The RSP encodings: framing, checksums, run-length encoding, binary escaping, hex.
#include "gale/gdb/packet.h"

#include <gtest/gtest.h>

namespace gale::gdb {
namespace {

TEST(PacketTest, FramesWithTheModulo256Checksum) {
  EXPECT_EQ(FramePacket("g"), "$g#67");
  EXPECT_EQ(FramePacket("m0,4"), "$m0,4#fd");  // as gdb itself sends it
  EXPECT_EQ(FramePacket(""), "$#00");
  EXPECT_EQ(Checksum(std::string(256, '\x01')), 0);
}

TEST(PacketTest, EscapesTheFourSpecialBytes) {
  const std::vector<uint8_t> data = {'a', '$', '#', '}', '*', 0x00, 0xff};
  const std::string escaped = EscapeBinary(data);
  EXPECT_EQ(escaped, std::string("a}\x04}\x03}]}\x0a\x00\xff", 11));
  auto back = UnescapeBinary(escaped);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, std::string(data.begin(), data.end()));
  EXPECT_FALSE(UnescapeBinary("abc}").ok());
}

TEST(PacketTest, EveryByteSurvivesEscaping) {
  std::vector<uint8_t> all(256);
  for (int i = 0; i < 256; ++i) {
    all[i] = static_cast<uint8_t>(i);
  }
  const std::string escaped = EscapeBinary(all);
  EXPECT_EQ(escaped.find('$'), std::string::npos);
  EXPECT_EQ(escaped.find('#'), std::string::npos);
  EXPECT_EQ(escaped.find('*'), std::string::npos);
  auto back = UnescapeBinary(escaped);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, std::string(all.begin(), all.end()));
}

TEST(PacketTest, ExpandsRunLength) {
  EXPECT_EQ(*ExpandRunLength("0* "), "0000");       // ' ' = 29 + 3
  EXPECT_EQ(*ExpandRunLength("ab*!c"), "abbbbbc");  // '!' = 29 + 4
  EXPECT_EQ(*ExpandRunLength("no runs"), "no runs");
  EXPECT_EQ(*ExpandRunLength("x*~"), std::string(1 + 97, 'x'));  // '~' = 29 + 97
  EXPECT_FALSE(ExpandRunLength("*a").ok());                      // nothing to repeat
  EXPECT_FALSE(ExpandRunLength("a*").ok());                      // no count
  EXPECT_FALSE(ExpandRunLength("a*\x01").ok());                  // count below the bias
}

TEST(PacketTest, Hex) {
  EXPECT_EQ(HexEncode(std::string_view("\x01\xab", 2)), "01ab");
  auto bytes = HexDecode("01AbfF");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{0x01, 0xab, 0xff}));
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
}

TEST(PacketTest, RecognisesConsoleOutput) {
  EXPECT_TRUE(IsConsoleOutput("O48690a"));
  EXPECT_FALSE(IsConsoleOutput("OK"));
  EXPECT_FALSE(IsConsoleOutput("O"));
  EXPECT_FALSE(IsConsoleOutput("O486"));
  EXPECT_FALSE(IsConsoleOutput("T05"));
}

}  // namespace
}  // namespace gale::gdb
