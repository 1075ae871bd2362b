// byteorder.h: swaps of every width, conversions against the host's order, and stores/loads at
// unaligned offsets that touch exactly their own bytes.
#include <gale/sys/byteorder.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include <zephyr/sys/byteorder.h>  // the forwarding header names the same API

namespace {

TEST(Byteorder, Swaps) {
  EXPECT_EQ(BSWAP_16(0x1234), 0x3412);
  EXPECT_EQ(BSWAP_24(0x123456), 0x563412U);
  EXPECT_EQ(BSWAP_32(0x12345678), 0x78563412U);
  EXPECT_EQ(BSWAP_40(0x123456789AULL), 0x9A78563412ULL);
  EXPECT_EQ(BSWAP_48(0x123456789ABCULL), 0xBC9A78563412ULL);
  EXPECT_EQ(BSWAP_64(0x0123456789ABCDEFULL), 0xEFCDAB8967452301ULL);
  // Bytes above the width are ignored.
  EXPECT_EQ(BSWAP_16(0xFF1234), 0x3412);
  EXPECT_EQ(BSWAP_24(0xFF123456U), 0x563412U);
  EXPECT_EQ(BSWAP_48(0xFFFF123456789ABCULL), 0xBC9A78563412ULL);
  // Swapping twice is the identity.
  EXPECT_EQ(BSWAP_32(BSWAP_32(0xDEADBEEFU)), 0xDEADBEEFU);
  static_assert(BSWAP_32(0x11223344U) == 0x44332211U);
}

TEST(Byteorder, ConversionsMatchTheHostOrder) {
  const uint32_t v = 0x11223344;
  uint8_t raw[4];
  memcpy(raw, &v, sizeof(v));
  const bool little = raw[0] == 0x44;
  EXPECT_EQ(sys_cpu_to_le32(v), little ? v : BSWAP_32(v));
  EXPECT_EQ(sys_cpu_to_be32(v), little ? BSWAP_32(v) : v);
  EXPECT_EQ(sys_le16_to_cpu(sys_cpu_to_le16(0xABCD)), 0xABCD);
  EXPECT_EQ(sys_be16_to_cpu(sys_cpu_to_be16(0xABCD)), 0xABCD);
  EXPECT_EQ(sys_be24_to_cpu(sys_cpu_to_be24(0xABCDEF)), 0xABCDEFU);
  EXPECT_EQ(sys_be40_to_cpu(sys_cpu_to_be40(0xAB12CD34EFULL)), 0xAB12CD34EFULL);
  EXPECT_EQ(sys_be48_to_cpu(sys_cpu_to_be48(0xAB12CD34EF56ULL)), 0xAB12CD34EF56ULL);
  EXPECT_EQ(sys_be64_to_cpu(sys_cpu_to_be64(0x0102030405060708ULL)), 0x0102030405060708ULL);
  // A big-endian value in memory reads back through be*_to_cpu.
  const uint8_t wire[4] = {0x11, 0x22, 0x33, 0x44};
  uint32_t in;
  memcpy(&in, wire, sizeof(in));
  EXPECT_EQ(sys_be32_to_cpu(in), 0x11223344U);
  EXPECT_EQ(sys_le32_to_cpu(in), 0x44332211U);
}

// Stores at an odd offset of a guarded buffer: exactly `bytes` bytes change, in the right order.
template <typename Put, typename Get, typename T>
void CheckStoreLoad(Put put, Get get, T value, std::vector<uint8_t> expected) {
  uint8_t buf[12];
  memset(buf, 0xEE, sizeof(buf));
  put(value, &buf[1]);
  EXPECT_EQ(buf[0], 0xEE);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(buf[1 + i], expected[i]) << "byte " << i;
  }
  for (size_t i = 1 + expected.size(); i < sizeof(buf); ++i) {
    EXPECT_EQ(buf[i], 0xEE) << "wrote past the value at " << i;
  }
  EXPECT_EQ(get(&buf[1]), value);
}

TEST(Byteorder, BigEndianStoresAndLoads) {
  CheckStoreLoad(sys_put_be16, sys_get_be16, uint16_t{0x1234}, {0x12, 0x34});
  CheckStoreLoad(sys_put_be24, sys_get_be24, uint32_t{0x123456}, {0x12, 0x34, 0x56});
  CheckStoreLoad(sys_put_be32, sys_get_be32, uint32_t{0x12345678}, {0x12, 0x34, 0x56, 0x78});
  CheckStoreLoad(sys_put_be40, sys_get_be40, uint64_t{0x123456789A},
                 {0x12, 0x34, 0x56, 0x78, 0x9A});
  CheckStoreLoad(sys_put_be48, sys_get_be48, uint64_t{0x123456789ABC},
                 {0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC});
  CheckStoreLoad(sys_put_be64, sys_get_be64, uint64_t{0x0123456789ABCDEF},
                 {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF});
  CheckStoreLoad(sys_put_be32, sys_get_be32, uint32_t{0xFFFFFFFF}, {0xFF, 0xFF, 0xFF, 0xFF});
}

TEST(Byteorder, LittleEndianStoresAndLoads) {
  CheckStoreLoad(sys_put_le16, sys_get_le16, uint16_t{0x1234}, {0x34, 0x12});
  CheckStoreLoad(sys_put_le24, sys_get_le24, uint32_t{0x123456}, {0x56, 0x34, 0x12});
  CheckStoreLoad(sys_put_le32, sys_get_le32, uint32_t{0x12345678}, {0x78, 0x56, 0x34, 0x12});
  CheckStoreLoad(sys_put_le40, sys_get_le40, uint64_t{0x123456789A},
                 {0x9A, 0x78, 0x56, 0x34, 0x12});
  CheckStoreLoad(sys_put_le48, sys_get_le48, uint64_t{0x123456789ABC},
                 {0xBC, 0x9A, 0x78, 0x56, 0x34, 0x12});
  CheckStoreLoad(sys_put_le64, sys_get_le64, uint64_t{0x0123456789ABCDEF},
                 {0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01});
  CheckStoreLoad(sys_put_le64, sys_get_le64, ~uint64_t{0}, std::vector<uint8_t>(8, 0xFF));
}

TEST(Byteorder, StoresDropBitsAboveTheWidth) {
  uint8_t buf[8] = {};
  sys_put_be24(0xAA123456, buf);
  EXPECT_EQ(sys_get_be24(buf), 0x123456U);
  EXPECT_EQ(buf[3], 0);
  sys_put_le48(0xAAAA123456789ABCULL, buf);
  EXPECT_EQ(sys_get_le48(buf), 0x123456789ABCULL);
  EXPECT_EQ(buf[6], 0);
}

TEST(Byteorder, MemorySwaps) {
  const uint8_t src[5] = {1, 2, 3, 4, 5};
  uint8_t dst[6] = {0, 0, 0, 0, 0, 0xEE};
  sys_memcpy_swap(dst, src, 5);
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 6), (std::vector<uint8_t>{5, 4, 3, 2, 1, 0xEE}));
  sys_mem_swap(dst, 5);  // odd length: the middle byte stays
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 6), (std::vector<uint8_t>{1, 2, 3, 4, 5, 0xEE}));
  sys_mem_swap(dst, 4);  // even length
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 6), (std::vector<uint8_t>{4, 3, 2, 1, 5, 0xEE}));
  sys_mem_swap(dst, 1);
  sys_mem_swap(dst, 0);
  sys_memcpy_swap(dst, src, 0);
  EXPECT_EQ(dst[0], 4);
}

}  // namespace
