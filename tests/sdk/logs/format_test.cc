#include "gale/logs/format.h"

#include <gtest/gtest.h>

namespace gale::logs {
namespace {

using Arg = FormatArg;

TEST(FormatPrintfTest, IntegersWithTheirCapturedSize) {
  EXPECT_EQ(FormatPrintf("%d %i %u", {Arg::U32(0xFFFFFFFF), Arg::U32(42), Arg::U32(0xFFFFFFFF)}),
            "-1 42 4294967295");
  EXPECT_EQ(FormatPrintf("%ld %lld", {Arg::U32(static_cast<uint32_t>(-123456)),
                                      Arg::U64(static_cast<uint64_t>(-9000000000LL))}),
            "-123456 -9000000000");
  EXPECT_EQ(FormatPrintf("%x %X %llx %o", {Arg::U32(0xbeef), Arg::U32(0xbeef),
                                           Arg::U64(0x123456789abcULL), Arg::U32(8)}),
            "beef BEEF 123456789abc 10");
}

TEST(FormatPrintfTest, WidthPrecisionAndFlags) {
  EXPECT_EQ(FormatPrintf("[%5d] [%-4u] [%05d] [%+d] [%#x]",
                         {Arg::U32(42), Arg::U32(7), Arg::U32(42), Arg::U32(3), Arg::U32(255)}),
            "[   42] [7   ] [00042] [+3] [0xff]");
  EXPECT_EQ(FormatPrintf("[%.3s] [%8.2f] [%*d] [%-*d]",
                         {Arg::String("abcdef"), Arg::Double(3.14159), Arg::U32(4), Arg::U32(7),
                          Arg::U32(3), Arg::U32(1)}),
            "[abc] [    3.14] [   7] [1  ]");
  EXPECT_EQ(FormatPrintf("%08x", {Arg::U32(0x4e20)}), "00004e20");
}

TEST(FormatPrintfTest, CharactersStringsPointersAndPercent) {
  EXPECT_EQ(FormatPrintf("%c%c %s %p 100%%",
                         {Arg::U32('G'), Arg::U32('o'), Arg::String("disk"), Arg::U32(0x20000010)}),
            "Go disk 0x20000010 100%");
  EXPECT_EQ(FormatPrintf("%zu %hhd %hd", {Arg::U32(5), Arg::U32(0xFFFFFFFF), Arg::U32(2)}),
            "5 -1 2");
}

TEST(FormatPrintfTest, MismatchesNeverFail) {
  EXPECT_EQ(FormatPrintf("%d and %d", {Arg::U32(1)}), "1 and <missing>");
  EXPECT_EQ(FormatPrintf("%s", {Arg::U32(1)}), "<bad arg>");
  EXPECT_EQ(FormatPrintf("%d", {Arg::String("x")}), "<bad arg>");
  EXPECT_EQ(FormatPrintf("%q %", {}), "%q %");
  EXPECT_EQ(FormatPrintf("no conversions", {Arg::U32(1)}), "no conversions");
}

}  // namespace
}  // namespace gale::logs
