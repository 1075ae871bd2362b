/*
 * Byte order helpers (Zephyr's <zephyr/sys/byteorder.h> API): byte swaps, conversions between
 * the CPU's order and little/big endian, and loads/stores of 16- to 64-bit values at any
 * alignment in a byte buffer.
 *
 * The BSWAP_* and sys_*_to_* macros are constant expressions for constant arguments (usable in
 * static initializers). Every Gale target is little endian; big-endian hosts are handled too.
 * Names and contracts follow Zephyr 3.7's documented API; the implementation is Gale's own.
 */
#ifndef GALE_SYS_BYTEORDER_H_
#define GALE_SYS_BYTEORDER_H_

#include <stddef.h>
#include <stdint.h>

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Byte swaps of the low 2, 3, 4, 5, 6 or 8 bytes of x; higher bytes of x are ignored. The
 * odd widths shift the value to the top of the next builtin's width first.
 */
#define BSWAP_16(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#define BSWAP_24(x) ((uint32_t)__builtin_bswap32((uint32_t)(x) << 8))
#define BSWAP_32(x) ((uint32_t)__builtin_bswap32((uint32_t)(x)))
#define BSWAP_40(x) ((uint64_t)__builtin_bswap64((uint64_t)(x) << 24))
#define BSWAP_48(x) ((uint64_t)__builtin_bswap64((uint64_t)(x) << 16))
#define BSWAP_64(x) ((uint64_t)__builtin_bswap64((uint64_t)(x)))

/*
 * sys_<order><bits>_to_cpu(val): a value read in <order> (le or be) to the CPU's order;
 * sys_cpu_to_<order><bits>(val): the reverse. Both are the identity or a byte swap.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GALE_BYTEORDER_LE(bits, val) (val)
#define GALE_BYTEORDER_BE(bits, val) BSWAP_##bits(val)
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define GALE_BYTEORDER_LE(bits, val) BSWAP_##bits(val)
#define GALE_BYTEORDER_BE(bits, val) (val)
#else
#error "unknown byte order"
#endif

#define sys_le16_to_cpu(val) GALE_BYTEORDER_LE(16, val)
#define sys_cpu_to_le16(val) GALE_BYTEORDER_LE(16, val)
#define sys_be16_to_cpu(val) GALE_BYTEORDER_BE(16, val)
#define sys_cpu_to_be16(val) GALE_BYTEORDER_BE(16, val)
#define sys_le24_to_cpu(val) GALE_BYTEORDER_LE(24, val)
#define sys_cpu_to_le24(val) GALE_BYTEORDER_LE(24, val)
#define sys_be24_to_cpu(val) GALE_BYTEORDER_BE(24, val)
#define sys_cpu_to_be24(val) GALE_BYTEORDER_BE(24, val)
#define sys_le32_to_cpu(val) GALE_BYTEORDER_LE(32, val)
#define sys_cpu_to_le32(val) GALE_BYTEORDER_LE(32, val)
#define sys_be32_to_cpu(val) GALE_BYTEORDER_BE(32, val)
#define sys_cpu_to_be32(val) GALE_BYTEORDER_BE(32, val)
#define sys_le40_to_cpu(val) GALE_BYTEORDER_LE(40, val)
#define sys_cpu_to_le40(val) GALE_BYTEORDER_LE(40, val)
#define sys_be40_to_cpu(val) GALE_BYTEORDER_BE(40, val)
#define sys_cpu_to_be40(val) GALE_BYTEORDER_BE(40, val)
#define sys_le48_to_cpu(val) GALE_BYTEORDER_LE(48, val)
#define sys_cpu_to_le48(val) GALE_BYTEORDER_LE(48, val)
#define sys_be48_to_cpu(val) GALE_BYTEORDER_BE(48, val)
#define sys_cpu_to_be48(val) GALE_BYTEORDER_BE(48, val)
#define sys_le64_to_cpu(val) GALE_BYTEORDER_LE(64, val)
#define sys_cpu_to_le64(val) GALE_BYTEORDER_LE(64, val)
#define sys_be64_to_cpu(val) GALE_BYTEORDER_BE(64, val)
#define sys_cpu_to_be64(val) GALE_BYTEORDER_BE(64, val)

/*
 * Stores and loads, one byte at a time: any alignment, any CPU byte order. A <bits>-bit store
 * writes exactly <bits> / 8 bytes of dst; a load reads that many bytes of src.
 */

/** Stores @p val big endian in @p dst[0..1]. */
static inline void sys_put_be16(uint16_t val, uint8_t dst[2]) {
  dst[0] = (uint8_t)(val >> 8);
  dst[1] = (uint8_t)val;
}

/** Stores the low 24 bits of @p val big endian in @p dst[0..2]. */
static inline void sys_put_be24(uint32_t val, uint8_t dst[3]) {
  dst[0] = (uint8_t)(val >> 16);
  sys_put_be16((uint16_t)val, &dst[1]);
}

/** Stores @p val big endian in @p dst[0..3]. */
static inline void sys_put_be32(uint32_t val, uint8_t dst[4]) {
  sys_put_be16((uint16_t)(val >> 16), &dst[0]);
  sys_put_be16((uint16_t)val, &dst[2]);
}

/** Stores the low 40 bits of @p val big endian in @p dst[0..4]. */
static inline void sys_put_be40(uint64_t val, uint8_t dst[5]) {
  sys_put_be32((uint32_t)(val >> 8), &dst[0]);
  dst[4] = (uint8_t)val;
}

/** Stores the low 48 bits of @p val big endian in @p dst[0..5]. */
static inline void sys_put_be48(uint64_t val, uint8_t dst[6]) {
  sys_put_be32((uint32_t)(val >> 16), &dst[0]);
  sys_put_be16((uint16_t)val, &dst[4]);
}

/** Stores @p val big endian in @p dst[0..7]. */
static inline void sys_put_be64(uint64_t val, uint8_t dst[8]) {
  sys_put_be32((uint32_t)(val >> 32), &dst[0]);
  sys_put_be32((uint32_t)val, &dst[4]);
}

/** Stores @p val little endian in @p dst[0..1]. */
static inline void sys_put_le16(uint16_t val, uint8_t dst[2]) {
  dst[0] = (uint8_t)val;
  dst[1] = (uint8_t)(val >> 8);
}

/** Stores the low 24 bits of @p val little endian in @p dst[0..2]. */
static inline void sys_put_le24(uint32_t val, uint8_t dst[3]) {
  sys_put_le16((uint16_t)val, &dst[0]);
  dst[2] = (uint8_t)(val >> 16);
}

/** Stores @p val little endian in @p dst[0..3]. */
static inline void sys_put_le32(uint32_t val, uint8_t dst[4]) {
  sys_put_le16((uint16_t)val, &dst[0]);
  sys_put_le16((uint16_t)(val >> 16), &dst[2]);
}

/** Stores the low 40 bits of @p val little endian in @p dst[0..4]. */
static inline void sys_put_le40(uint64_t val, uint8_t dst[5]) {
  sys_put_le32((uint32_t)val, &dst[0]);
  dst[4] = (uint8_t)(val >> 32);
}

/** Stores the low 48 bits of @p val little endian in @p dst[0..5]. */
static inline void sys_put_le48(uint64_t val, uint8_t dst[6]) {
  sys_put_le32((uint32_t)val, &dst[0]);
  sys_put_le16((uint16_t)(val >> 32), &dst[4]);
}

/** Stores @p val little endian in @p dst[0..7]. */
static inline void sys_put_le64(uint64_t val, uint8_t dst[8]) {
  sys_put_le32((uint32_t)val, &dst[0]);
  sys_put_le32((uint32_t)(val >> 32), &dst[4]);
}

/** @returns the big-endian 16-bit value in @p src[0..1]. */
static inline uint16_t sys_get_be16(const uint8_t src[2]) {
  return (uint16_t)(((uint16_t)src[0] << 8) | src[1]);
}

/** @returns the big-endian 24-bit value in @p src[0..2]. */
static inline uint32_t sys_get_be24(const uint8_t src[3]) {
  return ((uint32_t)src[0] << 16) | sys_get_be16(&src[1]);
}

/** @returns the big-endian 32-bit value in @p src[0..3]. */
static inline uint32_t sys_get_be32(const uint8_t src[4]) {
  return ((uint32_t)sys_get_be16(&src[0]) << 16) | sys_get_be16(&src[2]);
}

/** @returns the big-endian 40-bit value in @p src[0..4]. */
static inline uint64_t sys_get_be40(const uint8_t src[5]) {
  return ((uint64_t)sys_get_be32(&src[0]) << 8) | src[4];
}

/** @returns the big-endian 48-bit value in @p src[0..5]. */
static inline uint64_t sys_get_be48(const uint8_t src[6]) {
  return ((uint64_t)sys_get_be32(&src[0]) << 16) | sys_get_be16(&src[4]);
}

/** @returns the big-endian 64-bit value in @p src[0..7]. */
static inline uint64_t sys_get_be64(const uint8_t src[8]) {
  return ((uint64_t)sys_get_be32(&src[0]) << 32) | sys_get_be32(&src[4]);
}

/** @returns the little-endian 16-bit value in @p src[0..1]. */
static inline uint16_t sys_get_le16(const uint8_t src[2]) {
  return (uint16_t)(((uint16_t)src[1] << 8) | src[0]);
}

/** @returns the little-endian 24-bit value in @p src[0..2]. */
static inline uint32_t sys_get_le24(const uint8_t src[3]) {
  return ((uint32_t)src[2] << 16) | sys_get_le16(&src[0]);
}

/** @returns the little-endian 32-bit value in @p src[0..3]. */
static inline uint32_t sys_get_le32(const uint8_t src[4]) {
  return ((uint32_t)sys_get_le16(&src[2]) << 16) | sys_get_le16(&src[0]);
}

/** @returns the little-endian 40-bit value in @p src[0..4]. */
static inline uint64_t sys_get_le40(const uint8_t src[5]) {
  return ((uint64_t)src[4] << 32) | sys_get_le32(&src[0]);
}

/** @returns the little-endian 48-bit value in @p src[0..5]. */
static inline uint64_t sys_get_le48(const uint8_t src[6]) {
  return ((uint64_t)sys_get_le16(&src[4]) << 32) | sys_get_le32(&src[0]);
}

/** @returns the little-endian 64-bit value in @p src[0..7]. */
static inline uint64_t sys_get_le64(const uint8_t src[8]) {
  return ((uint64_t)sys_get_le32(&src[4]) << 32) | sys_get_le32(&src[0]);
}

/**
 * Copies @p length bytes from @p src to @p dst in reverse order: dst[i] = src[length - 1 - i].
 * @pre the buffers do not overlap.
 */
static inline void sys_memcpy_swap(void *dst, const void *src, size_t length) {
  uint8_t *d = (uint8_t *)dst;
  const uint8_t *s = (const uint8_t *)src + length;

  for (size_t i = 0; i < length; ++i) {
    d[i] = *--s;
  }
}

/** Reverses the order of the @p length bytes of @p buf in place. */
static inline void sys_mem_swap(void *buf, size_t length) {
  uint8_t *b = (uint8_t *)buf;

  for (size_t i = 0; i < length / 2; ++i) {
    const uint8_t tmp = b[i];

    b[i] = b[length - 1 - i];
    b[length - 1 - i] = tmp;
  }
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_BYTEORDER_H_ */
