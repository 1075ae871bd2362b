/*
 * Utility macros and helpers (Zephyr's <zephyr/sys/util.h> API): array sizes, min/max/clamp,
 * rounding and division, bit masks and fields, pointer/integer conversions, sizes. The
 * preprocessor machinery (IS_ENABLED, COND_CODE_1, FOR_EACH, BIT, BIT_MASK, ...) lives in
 * util_macro.h, which this header includes.
 *
 * Like Zephyr's, the function-like macros evaluate their arguments more than once unless noted:
 * pass no expression with side effects. MIN and MAX are only defined if the C library's
 * <sys/param.h> has not defined them already (both definitions agree).
 *
 * Names and contracts follow Zephyr 3.7's documented API; the implementation is Gale's own.
 */
#ifndef GALE_SYS_UTIL_H_
#define GALE_SYS_UTIL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/sys/util_macro.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bits in a byte, a long and a long long. */
#define BITS_PER_BYTE (__CHAR_BIT__)
#define BITS_PER_NIBBLE (__CHAR_BIT__ / 2)
#define BITS_PER_LONG (__CHAR_BIT__ * __SIZEOF_LONG__)
#define BITS_PER_LONG_LONG (__CHAR_BIT__ * __SIZEOF_LONG_LONG__)
/** Bits in an object of type @p t. */
#define NUM_BITS(t) (sizeof(t) * BITS_PER_BYTE)

/** 0 when @p cond is a true constant; a compile error when it is false. */
#define ZERO_OR_COMPILE_ERROR(cond) ((int)sizeof(char[1 - 2 * !(cond)]) - 1)

#ifdef __cplusplus
/* In C++ the array check is left to the compiler: sizeof(ptr) / sizeof(*ptr) is not blocked. */
#define IS_ARRAY(array) 1
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))
#else
/** 1 when @p array is an array (not a pointer). */
#define IS_ARRAY(array) (!__builtin_types_compatible_p(__typeof__(array), __typeof__(&(array)[0])))
/** Number of elements of @p array; a compile error for a pointer (C only). */
#define ARRAY_SIZE(array) \
  ((size_t)(ZERO_OR_COMPILE_ERROR(IS_ARRAY(array)) + sizeof(array) / sizeof((array)[0])))
#endif

/** Whether @p ptr points into @p array (at an element boundary or not). */
#define PART_OF_ARRAY(array, ptr)                      \
  ((const char *)(ptr) >= (const char *)&(array)[0] && \
   (const char *)(ptr) < (const char *)&(array)[ARRAY_SIZE(array)])

/** for-loop over the indexes of @p array: `ARRAY_FOR_EACH(arr, i) { ... arr[i] ... }`. */
#define ARRAY_FOR_EACH(array, idx) for (size_t idx = 0; (idx) < ARRAY_SIZE(array); ++(idx))
/** for-loop over pointers to the elements of @p array. */
#define ARRAY_FOR_EACH_PTR(array, ptr) \
  for (__typeof__(*(array)) *ptr = (array); (size_t)((ptr) - (array)) < ARRAY_SIZE(array); ++(ptr))

/** Size of member @p member of struct type @p type. */
#define SIZEOF_FIELD(type, member) sizeof((((type *)0)->member))

#ifndef MIN
/** The smaller of @p a and @p b. */
#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef MAX
/** The larger of @p a and @p b. */
#define MAX(a, b) (((a) > (b)) ? (a) : (b))
#endif
/** @p val limited to [@p low, @p high]. @pre low <= high. */
#define CLAMP(val, low, high) (((val) <= (low)) ? (low) : MIN(val, high))
/** Whether @p val lies in [@p min, @p max], bounds included. */
#define IN_RANGE(val, min, max) ((val) >= (min) && (val) <= (max))

/** @p n / @p d rounded up. @pre n >= 0, d > 0, and n + d - 1 does not overflow. */
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
/**
 * @p n / @p d rounded to the nearest integer, halves away from zero; signed operands may have
 * either sign. (`x < 1` rather than `x < 0` tests the sign so that unsigned operands compile
 * without "always false" warnings; for 0 both branches give the same result.)
 */
#define DIV_ROUND_CLOSEST(n, d) \
  ((((n) < 1) != ((d) < 1)) ? (((n) - (d) / 2) / (d)) : (((n) + (d) / 2) / (d)))
/** @p x rounded up to a multiple of @p align, as unsigned long. */
#define ROUND_UP(x, align)                                                          \
  ((((unsigned long)(x) + ((unsigned long)(align)-1UL)) / (unsigned long)(align)) * \
   (unsigned long)(align))
/** @p x rounded down to a multiple of @p align, as unsigned long. */
#define ROUND_DOWN(x, align) \
  (((unsigned long)(x) / (unsigned long)(align)) * (unsigned long)(align))

/** Whether @p x is a power of two (0 is not). */
#define IS_POWER_OF_TWO(x) (((x) != 0U) && (((x) & ((x)-1U)) == 0U))

/** Unsigned long with bits @p l to @p h set, inclusive. @pre l <= h < BITS_PER_LONG. */
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
/** 64-bit value with bits @p l to @p h set, inclusive. @pre l <= h < 64. */
#define GENMASK64(h, l) ((~0ULL << (l)) & (~0ULL >> (BITS_PER_LONG_LONG - 1 - (h))))
/** The lowest set bit of @p value, as a mask (0 for 0). */
#define LSB_GET(value) ((value) & -(value))
/** The field of @p value selected by contiguous @p mask, shifted down to bit 0. */
#define FIELD_GET(mask, value) (((value) & (mask)) / LSB_GET(mask))
/** @p value shifted up into the field selected by contiguous @p mask, and masked. */
#define FIELD_PREP(mask, value) (((value)*LSB_GET(mask)) & (mask))
/** Sets bit @p bit of lvalue @p var when @p set is true, clears it otherwise. */
#define WRITE_BIT(var, bit, set) ((var) = (set) ? ((var) | BIT(bit)) : ((var) & ~BIT(bit)))

/** Pointer <-> integer conversions without warnings. */
#define POINTER_TO_UINT(x) ((uintptr_t)(x))
#define UINT_TO_POINTER(x) ((void *)(uintptr_t)(x))
#define POINTER_TO_INT(x) ((intptr_t)(x))
#define INT_TO_POINTER(x) ((void *)(intptr_t)(x))

/** Sizes in bytes, as size_t. */
#define KB(x) (((size_t)(x)) << 10)
#define MB(x) (KB(x) << 10)
#define GB(x) (MB(x) << 10)
/** Frequencies in Hz. */
#define KHZ(x) ((x)*1000)
#define MHZ(x) (KHZ(x) * 1000)

/** Whether @p x is a power of two (0 is not). */
static inline bool is_power_of_two(unsigned int x) {
  return IS_POWER_OF_TWO(x);
}

/**
 * Sign-extends the value in bits 0..@p index of @p value (bit @p index is the sign).
 * @pre index < 32.
 */
static inline int32_t sign_extend(uint32_t value, uint8_t index) {
  const uint8_t shift = (uint8_t)(31U - index);

  return (int32_t)(value << shift) >> shift;
}

/** The 64-bit version of sign_extend(). @pre index < 64. */
static inline int64_t sign_extend_64(uint64_t value, uint8_t index) {
  const uint8_t shift = (uint8_t)(63U - index);

  return (int64_t)(value << shift) >> shift;
}

/**
 * Copies @p size bytes one byte access at a time, in order: for device memory that must not be
 * read or written with wider accesses, which memcpy may use.
 */
static inline void bytecpy(void *dst, const void *src, size_t size) {
  volatile uint8_t *d = (volatile uint8_t *)dst;
  const volatile uint8_t *s = (const volatile uint8_t *)src;

  for (size_t i = 0; i < size; ++i) {
    d[i] = s[i];
  }
}

/**
 * Writes @p value in decimal, without leading zeros, into @p buf of @p buflen bytes. When the
 * digits do not all fit, the leading ones that fit are written. A terminating NUL follows if
 * there is room for it.
 *
 * @returns the number of digits written (not counting the NUL).
 */
static inline uint8_t u8_to_dec(char *buf, uint8_t buflen, uint8_t value) {
  char digits[3];
  uint8_t count = 0;
  uint8_t written = 0;

  do {
    digits[count++] = (char)('0' + value % 10U);
    value /= 10U;
  } while (value != 0U);
  while (count > 0U && written < buflen) {
    buf[written++] = digits[--count];
  }
  if (written < buflen) {
    buf[written] = '\0';
  }
  return written;
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_UTIL_H_ */
