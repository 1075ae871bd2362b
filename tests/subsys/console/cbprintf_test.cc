// cbvprintf (the engine of printk/snprintk) must format integers, strings and pointers exactly
// as the C library's printf does for the conversions it supports.
#include <gale/sys/cbprintf.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace {

int Append(int c, void *ctx) {
  static_cast<std::string *>(ctx)->push_back(static_cast<char>(c));
  return c;
}

std::string Gale(const char *fmt, ...) {
  std::string out;
  va_list ap;
  va_start(ap, fmt);
  int n = cbvprintf(Append, &out, fmt, ap);
  va_end(ap);
  EXPECT_EQ(n, static_cast<int>(out.size()));
  return out;
}

std::string Libc(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  return buf;
}

#define EXPECT_SAME(...) \
  EXPECT_EQ(Gale(__VA_ARGS__), Libc(__VA_ARGS__)) << "format " << #__VA_ARGS__

TEST(Cbprintf, PlainText) {
  EXPECT_SAME("hello, world\n");
  EXPECT_SAME("100%% sure");
}

TEST(Cbprintf, SignedIntegers) {
  for (int v : {0, 1, -1, 42, -42, 2147483647, -2147483647 - 1}) {
    EXPECT_SAME("%d|%i|%5d|%-5d|%05d|%+d|% d|%.3d|%8.3d|%-8.3d|", v, v, v, v, v, v, v, v, v, v);
  }
  EXPECT_SAME("%hhd %hd %ld %lld", 300, 70000, -5L, -9000000000LL);
  EXPECT_SAME("%jd %zd %td", static_cast<intmax_t>(-7), static_cast<ssize_t>(-8),
              static_cast<ptrdiff_t>(-9));
}

TEST(Cbprintf, UnsignedIntegers) {
  for (unsigned v : {0U, 1U, 255U, 4096U, 0xDEADBEEFU, 4294967295U}) {
    EXPECT_SAME("%u|%x|%X|%o|%#x|%#X|%#o|%08x|%-8x|%.6x|%#010x|", v, v, v, v, v, v, v, v, v, v, v);
  }
  EXPECT_SAME("%llu %llx %lu %zu %hhu %hx", 18446744073709551615ULL, 0x123456789abcdefULL,
              4000000000UL, static_cast<size_t>(77), 511, 0x12345);
}

TEST(Cbprintf, ZeroWithZeroPrecisionPrintsNoDigits) {
  EXPECT_SAME("[%.0d] [%.0u] [%.0x] [%5.0d]", 0, 0U, 0U, 0);
}

TEST(Cbprintf, StringsAndCharacters) {
  EXPECT_SAME("%s|%10s|%-10s|%.2s|%8.3s|%c|%3c|%-3c|", "gale", "gale", "gale", "gale", "gale", 'x',
              'y', 'z');
  EXPECT_SAME("%*d|%-*d|%.*s|%*s|", 6, 42, 6, 42, 3, "abcdef", -6, "ab");
}

TEST(Cbprintf, Pointers) {
  int x = 0;
  EXPECT_SAME("%p", static_cast<void *>(&x));
  EXPECT_EQ(Gale("%p", static_cast<void *>(nullptr)), "(nil)");
}

TEST(Cbprintf, UnsupportedConversionIsPrintedVerbatim) {
  EXPECT_EQ(Gale("%f|%d", 1.5, 3), "%f|3");
}

TEST(Cbprintf, CallbackErrorStopsOutput) {
  int calls = 0;
  auto fail_third = [](int c, void *ctx) -> int {
    int *n = static_cast<int *>(ctx);
    return ++*n == 3 ? -5 : c;
  };
  EXPECT_EQ(cbprintf(fail_third, &calls, "abcdef"), -5);
  EXPECT_EQ(calls, 3);
}

}  // namespace
