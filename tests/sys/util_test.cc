// util.h: every macro and helper, with the edge values (zero, negatives, unsigned operands,
// word-size bounds) where such macros usually go wrong.
#include <gale/sys/util.h>

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>

#include <zephyr/sys/util.h>  // the forwarding header names the same API

namespace {

TEST(Util, ArraySize) {
  int a[7];
  struct {
    char c[3][5];
  } s;
  EXPECT_EQ(ARRAY_SIZE(a), 7U);
  EXPECT_EQ(ARRAY_SIZE(s.c), 3U);
  EXPECT_EQ(ARRAY_SIZE(s.c[0]), 5U);
  static_assert(ARRAY_SIZE(a) == 7);
  EXPECT_TRUE(PART_OF_ARRAY(a, &a[0]));
  EXPECT_TRUE(PART_OF_ARRAY(a, &a[6]));
  EXPECT_FALSE(PART_OF_ARRAY(a, &a[0] + 7));
  EXPECT_TRUE(PART_OF_ARRAY(a, reinterpret_cast<char *>(&a[2]) + 1));
  EXPECT_EQ(SIZEOF_FIELD(decltype(s), c), 15U);
}

TEST(Util, ArrayForEach) {
  int a[4] = {1, 2, 3, 4};
  int sum = 0;
  ARRAY_FOR_EACH(a, i) {
    sum += a[i] * static_cast<int>(i);
  }
  EXPECT_EQ(sum, 0 * 1 + 1 * 2 + 2 * 3 + 3 * 4);
  ARRAY_FOR_EACH_PTR(a, p) {
    *p *= 10;
  }
  EXPECT_EQ(a[3], 40);
}

TEST(Util, MinMaxClampRange) {
  EXPECT_EQ(MIN(3, 5), 3);
  EXPECT_EQ(MIN(-3, -5), -5);
  EXPECT_EQ(MAX(3, 5), 5);
  EXPECT_EQ(MAX(-3, -5), -3);
  EXPECT_EQ(MIN(2U, 2U), 2U);
  EXPECT_EQ(CLAMP(5, 1, 10), 5);
  EXPECT_EQ(CLAMP(-5, 1, 10), 1);
  EXPECT_EQ(CLAMP(50, 1, 10), 10);
  EXPECT_EQ(CLAMP(1, 1, 10), 1);
  EXPECT_EQ(CLAMP(10, 1, 10), 10);
  EXPECT_EQ(CLAMP(7, 7, 7), 7);
  EXPECT_TRUE(IN_RANGE(1, 1, 10));
  EXPECT_TRUE(IN_RANGE(10, 1, 10));
  EXPECT_FALSE(IN_RANGE(0, 1, 10));
  EXPECT_FALSE(IN_RANGE(11, 1, 10));
  EXPECT_TRUE(IN_RANGE(-3, -5, -1));
}

TEST(Util, DivisionRounding) {
  EXPECT_EQ(DIV_ROUND_UP(0, 4), 0);
  EXPECT_EQ(DIV_ROUND_UP(1, 4), 1);
  EXPECT_EQ(DIV_ROUND_UP(4, 4), 1);
  EXPECT_EQ(DIV_ROUND_UP(5, 4), 2);
  EXPECT_EQ(DIV_ROUND_UP(UINT32_MAX - 3U, 4U), UINT32_MAX / 4U);

  // Halves round away from zero, for every sign combination.
  EXPECT_EQ(DIV_ROUND_CLOSEST(7, 2), 4);
  EXPECT_EQ(DIV_ROUND_CLOSEST(-7, 2), -4);
  EXPECT_EQ(DIV_ROUND_CLOSEST(7, -2), -4);
  EXPECT_EQ(DIV_ROUND_CLOSEST(-7, -2), 4);
  EXPECT_EQ(DIV_ROUND_CLOSEST(5, 3), 2);
  EXPECT_EQ(DIV_ROUND_CLOSEST(4, 3), 1);
  EXPECT_EQ(DIV_ROUND_CLOSEST(-4, 3), -1);
  EXPECT_EQ(DIV_ROUND_CLOSEST(-5, 3), -2);
  EXPECT_EQ(DIV_ROUND_CLOSEST(0, 3), 0);
  EXPECT_EQ(DIV_ROUND_CLOSEST(0, -3), 0);
  EXPECT_EQ(DIV_ROUND_CLOSEST(1, 3), 0);
  EXPECT_EQ(DIV_ROUND_CLOSEST(-1, 3), 0);
  EXPECT_EQ(DIV_ROUND_CLOSEST(7U, 2U), 4U);
  EXPECT_EQ(DIV_ROUND_CLOSEST(UINT32_MAX - 1U, 2U), UINT32_MAX / 2U);
  unsigned int u = 1500;
  EXPECT_EQ(DIV_ROUND_CLOSEST(u, 1000U), 2U);
  u = 1499;
  EXPECT_EQ(DIV_ROUND_CLOSEST(u, 1000U), 1U);

  EXPECT_EQ(ROUND_UP(0, 8), 0UL);
  EXPECT_EQ(ROUND_UP(1, 8), 8UL);
  EXPECT_EQ(ROUND_UP(8, 8), 8UL);
  EXPECT_EQ(ROUND_UP(9, 8), 16UL);
  EXPECT_EQ(ROUND_UP(10, 3), 12UL);  // not only powers of two
  EXPECT_EQ(ROUND_DOWN(0, 8), 0UL);
  EXPECT_EQ(ROUND_DOWN(7, 8), 0UL);
  EXPECT_EQ(ROUND_DOWN(15, 8), 8UL);
  EXPECT_EQ(ROUND_DOWN(10, 3), 9UL);
}

TEST(Util, PowersOfTwo) {
  EXPECT_FALSE(IS_POWER_OF_TWO(0U));
  EXPECT_TRUE(IS_POWER_OF_TWO(1U));
  EXPECT_TRUE(IS_POWER_OF_TWO(2U));
  EXPECT_FALSE(IS_POWER_OF_TWO(3U));
  EXPECT_TRUE(IS_POWER_OF_TWO(0x80000000U));
  EXPECT_FALSE(IS_POWER_OF_TWO(0xFFFFFFFFU));
  EXPECT_FALSE(is_power_of_two(0));
  EXPECT_TRUE(is_power_of_two(64));
  EXPECT_FALSE(is_power_of_two(96));
  EXPECT_TRUE(is_power_of_two(1U << 31));
}

TEST(Util, BitsAndMasks) {
  EXPECT_EQ(BIT(0), 1UL);
  EXPECT_EQ(BIT(BITS_PER_LONG - 1), 1UL << (BITS_PER_LONG - 1));
  EXPECT_EQ(BIT64(63), 0x8000000000000000ULL);
  EXPECT_EQ(BIT_MASK(0), 0UL);
  EXPECT_EQ(BIT_MASK(5), 0x1FUL);
  EXPECT_EQ(GENMASK(0, 0), 1UL);
  EXPECT_EQ(GENMASK(7, 4), 0xF0UL);
  EXPECT_EQ(GENMASK(31, 0), 0xFFFFFFFFUL);
  EXPECT_EQ(GENMASK(BITS_PER_LONG - 1, 0), ~0UL);
  EXPECT_EQ(GENMASK(BITS_PER_LONG - 1, BITS_PER_LONG - 1), 1UL << (BITS_PER_LONG - 1));
  EXPECT_EQ(GENMASK64(63, 0), ~0ULL);
  EXPECT_EQ(GENMASK64(63, 60), 0xF000000000000000ULL);
  EXPECT_EQ(GENMASK64(39, 32), 0xFF00000000ULL);
  EXPECT_EQ(BITS_PER_BYTE, 8);
  EXPECT_EQ(BITS_PER_NIBBLE, 4);
  EXPECT_EQ(BITS_PER_LONG_LONG, 64);
  EXPECT_EQ(NUM_BITS(uint16_t), 16U);

  EXPECT_EQ(LSB_GET(0x0U), 0x0U);
  EXPECT_EQ(LSB_GET(0x68U), 0x8U);
  EXPECT_EQ(FIELD_GET(0xF0U, 0xA5U), 0xAU);
  EXPECT_EQ(FIELD_GET(GENMASK(31, 28), 0xC0000000UL), 0xCUL);
  EXPECT_EQ(FIELD_PREP(0xF0U, 0x3U), 0x30U);
  EXPECT_EQ(FIELD_PREP(0xF0U, 0x13U), 0x30U) << "bits outside the field are dropped";

  uint32_t v = 0;
  WRITE_BIT(v, 3, true);
  WRITE_BIT(v, 31, 1);
  EXPECT_EQ(v, 0x80000008U);
  WRITE_BIT(v, 3, false);
  EXPECT_EQ(v, 0x80000000U);
}

TEST(Util, PointerConversions) {
  int x;
  EXPECT_EQ(UINT_TO_POINTER(POINTER_TO_UINT(&x)), static_cast<void *>(&x));
  EXPECT_EQ(INT_TO_POINTER(POINTER_TO_INT(&x)), static_cast<void *>(&x));
  EXPECT_EQ(POINTER_TO_INT(INT_TO_POINTER(-5)), -5);
  EXPECT_EQ(POINTER_TO_UINT(UINT_TO_POINTER(42U)), 42U);
  EXPECT_EQ(UINT_TO_POINTER(0), nullptr);
}

TEST(Util, Sizes) {
  EXPECT_EQ(KB(1), 1024U);
  EXPECT_EQ(KB(64), 65536U);
  EXPECT_EQ(MB(2), 2U * 1024 * 1024);
  EXPECT_EQ(GB(1), size_t{1} << 30);
  EXPECT_EQ(KHZ(32), 32000);
  EXPECT_EQ(MHZ(12), 12000000);
}

TEST(Util, SignExtend) {
  EXPECT_EQ(sign_extend(0x7F, 7), 127);
  EXPECT_EQ(sign_extend(0x80, 7), -128);
  EXPECT_EQ(sign_extend(0xFFF, 11), -1);
  EXPECT_EQ(sign_extend(0x1FFF, 11), -1) << "bits above the sign bit are ignored";
  EXPECT_EQ(sign_extend(0x0800, 12), 0x800);
  EXPECT_EQ(sign_extend(0x80000000U, 31), INT32_MIN);
  EXPECT_EQ(sign_extend(1, 0), -1);
  EXPECT_EQ(sign_extend_64(0x800000000ULL, 35), -(int64_t{1} << 35));
  EXPECT_EQ(sign_extend_64(0x7FFFFFFFFULL, 35), (int64_t{1} << 35) - 1);
  EXPECT_EQ(sign_extend_64(~0ULL, 63), -1);
}

TEST(Util, Bytecpy) {
  const uint8_t src[5] = {1, 2, 3, 4, 5};
  uint8_t dst[7] = {9, 9, 9, 9, 9, 9, 9};
  bytecpy(&dst[1], src, sizeof(src));
  EXPECT_EQ(std::string(dst, dst + 7), std::string("\x09\x01\x02\x03\x04\x05\x09", 7));
  bytecpy(dst, src, 0);
  EXPECT_EQ(dst[0], 9);
}

std::string Dec(uint8_t buflen, uint8_t value, uint8_t *written) {
  char buf[8];
  memset(buf, '#', sizeof(buf));
  *written = u8_to_dec(buf, buflen, value);
  return std::string(buf, buf + buflen);
}

TEST(Util, U8ToDec) {
  uint8_t n;
  EXPECT_EQ(Dec(4, 0, &n), std::string("0\0##", 4));
  EXPECT_EQ(n, 1);
  EXPECT_EQ(Dec(4, 7, &n), std::string("7\0##", 4));
  EXPECT_EQ(Dec(4, 42, &n), std::string("42\0#", 4));
  EXPECT_EQ(n, 2);
  EXPECT_EQ(Dec(4, 100, &n), std::string("100\0", 4));
  EXPECT_EQ(n, 3);
  EXPECT_EQ(Dec(4, 255, &n), std::string("255\0", 4));
  // No room for the terminator: the digits only.
  EXPECT_EQ(Dec(3, 255, &n), "255");
  EXPECT_EQ(n, 3);
  // No room for every digit: the leading ones.
  EXPECT_EQ(Dec(2, 255, &n), "25");
  EXPECT_EQ(n, 2);
  EXPECT_EQ(Dec(0, 255, &n), "");
  EXPECT_EQ(n, 0);
}

}  // namespace
