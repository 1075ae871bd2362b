/*
 * Atomic operations (Zephyr's <zephyr/sys/atomic.h> API) on the compiler's __atomic builtins,
 * all sequentially consistent. The operations are lock-free where the core allows: Cortex-M3
 * and later have LDREX/STREX, RISC-V rv32imac has the A extension, and the host has native
 * atomics. The Cortex-M0 (Armv6-M) has none: GCC calls the builtins' library functions there,
 * which the Cortex-M port provides with interrupts locked (arch/arm/cortex_m/atomic_v6m.cc).
 *
 * Every operation may be used from any context: thread, ISR, or with interrupts locked.
 * Names and contracts follow Zephyr 3.7's documented API; the implementation is Gale's own.
 */
#ifndef GALE_SYS_ATOMIC_H_
#define GALE_SYS_ATOMIC_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An atomic integer: one machine word. */
typedef long atomic_t;
/** The value held by an atomic_t. */
typedef atomic_t atomic_val_t;
/** An atomic pointer. */
typedef void *atomic_ptr_t;
/** The value held by an atomic_ptr_t. */
typedef atomic_ptr_t atomic_ptr_val_t;

/** Static initializer of an atomic_t holding @p i. */
#define ATOMIC_INIT(i) (i)
/** Static initializer of an atomic_ptr_t holding @p p. */
#define ATOMIC_PTR_INIT(p) (p)

/** Bits in one atomic_t (32 on Gale's targets). */
#define ATOMIC_BITS (sizeof(atomic_val_t) * __CHAR_BIT__)
/** The number of atomic_t needed to hold @p num_bits bits. */
#define ATOMIC_BITMAP_SIZE(num_bits) (((num_bits) + ATOMIC_BITS - 1U) / ATOMIC_BITS)
/** The mask of bit @p bit inside its atomic_t. */
#define ATOMIC_MASK(bit) ((atomic_val_t)(1UL << ((unsigned long)(bit) & (ATOMIC_BITS - 1U))))
/** The atomic_t of bitmap @p addr that holds bit @p bit. */
#define ATOMIC_ELEM(addr, bit) ((addr) + ((bit) / ATOMIC_BITS))

/**
 * Defines an array of atomic_t holding a bitmap of @p num_bits bits, all clear when static:
 * `static ATOMIC_DEFINE(flags, 40);` then `atomic_set_bit(flags, 33)`.
 */
#define ATOMIC_DEFINE(name, num_bits) atomic_t name[ATOMIC_BITMAP_SIZE(num_bits)]

/**
 * Compare and swap: stores @p new_value in @p target if it holds @p old_value.
 *
 * @retval true the value was @p old_value and has been replaced.
 * @retval false the value differed; nothing was written.
 */
static inline bool atomic_cas(atomic_t *target, atomic_val_t old_value, atomic_val_t new_value) {
  return __atomic_compare_exchange_n(target, &old_value, new_value, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST);
}

/**
 * Compare and swap on a pointer: stores @p new_value in @p target if it holds @p old_value.
 *
 * @retval true the value was @p old_value and has been replaced.
 * @retval false the value differed; nothing was written.
 */
static inline bool atomic_ptr_cas(atomic_ptr_t *target, atomic_ptr_val_t old_value,
                                  atomic_ptr_val_t new_value) {
  return __atomic_compare_exchange_n(target, &old_value, new_value, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST);
}

/** Adds @p value to @p target. @returns the previous value. */
static inline atomic_val_t atomic_add(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_add(target, value, __ATOMIC_SEQ_CST);
}

/** Subtracts @p value from @p target. @returns the previous value. */
static inline atomic_val_t atomic_sub(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_sub(target, value, __ATOMIC_SEQ_CST);
}

/** Adds one to @p target. @returns the previous value. */
static inline atomic_val_t atomic_inc(atomic_t *target) {
  return atomic_add(target, 1);
}

/** Subtracts one from @p target. @returns the previous value. */
static inline atomic_val_t atomic_dec(atomic_t *target) {
  return atomic_sub(target, 1);
}

/** @returns the value of @p target. */
static inline atomic_val_t atomic_get(const atomic_t *target) {
  return __atomic_load_n(target, __ATOMIC_SEQ_CST);
}

/** @returns the value of @p target. */
static inline atomic_ptr_val_t atomic_ptr_get(const atomic_ptr_t *target) {
  return __atomic_load_n(target, __ATOMIC_SEQ_CST);
}

/** Stores @p value in @p target. @returns the previous value. */
static inline atomic_val_t atomic_set(atomic_t *target, atomic_val_t value) {
  return __atomic_exchange_n(target, value, __ATOMIC_SEQ_CST);
}

/** Stores @p value in @p target. @returns the previous value. */
static inline atomic_ptr_val_t atomic_ptr_set(atomic_ptr_t *target, atomic_ptr_val_t value) {
  return __atomic_exchange_n(target, value, __ATOMIC_SEQ_CST);
}

/** Stores 0 in @p target. @returns the previous value. */
static inline atomic_val_t atomic_clear(atomic_t *target) {
  return atomic_set(target, 0);
}

/** Stores NULL in @p target. @returns the previous value. */
static inline atomic_ptr_val_t atomic_ptr_clear(atomic_ptr_t *target) {
  return atomic_ptr_set(target, NULL);
}

/** @p target |= @p value. @returns the previous value. */
static inline atomic_val_t atomic_or(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_or(target, value, __ATOMIC_SEQ_CST);
}

/** @p target ^= @p value. @returns the previous value. */
static inline atomic_val_t atomic_xor(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_xor(target, value, __ATOMIC_SEQ_CST);
}

/** @p target &= @p value. @returns the previous value. */
static inline atomic_val_t atomic_and(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_and(target, value, __ATOMIC_SEQ_CST);
}

/** @p target = ~(@p target & @p value). @returns the previous value. */
static inline atomic_val_t atomic_nand(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_nand(target, value, __ATOMIC_SEQ_CST);
}

/*
 * Bit operations on a bitmap of atomic_t (see ATOMIC_DEFINE). Bit n lives in word
 * n / ATOMIC_BITS; each operation is atomic on that word only.
 * @pre bit >= 0 and inside the bitmap.
 */

/** @returns whether bit @p bit of bitmap @p target is set. */
static inline bool atomic_test_bit(const atomic_t *target, int bit) {
  return (atomic_get(ATOMIC_ELEM(target, bit)) & ATOMIC_MASK(bit)) != 0;
}

/** Clears bit @p bit. @returns whether it was set. */
static inline bool atomic_test_and_clear_bit(atomic_t *target, int bit) {
  const atomic_val_t mask = ATOMIC_MASK(bit);

  return (atomic_and(ATOMIC_ELEM(target, bit), ~mask) & mask) != 0;
}

/** Sets bit @p bit. @returns whether it was already set. */
static inline bool atomic_test_and_set_bit(atomic_t *target, int bit) {
  const atomic_val_t mask = ATOMIC_MASK(bit);

  return (atomic_or(ATOMIC_ELEM(target, bit), mask) & mask) != 0;
}

/** Clears bit @p bit. */
static inline void atomic_clear_bit(atomic_t *target, int bit) {
  (void)atomic_and(ATOMIC_ELEM(target, bit), ~ATOMIC_MASK(bit));
}

/** Sets bit @p bit. */
static inline void atomic_set_bit(atomic_t *target, int bit) {
  (void)atomic_or(ATOMIC_ELEM(target, bit), ATOMIC_MASK(bit));
}

/** Sets bit @p bit when @p val is true, clears it otherwise. */
static inline void atomic_set_bit_to(atomic_t *target, int bit, bool val) {
  if (val) {
    atomic_set_bit(target, bit);
  } else {
    atomic_clear_bit(target, bit);
  }
}

#ifdef __cplusplus
}
#endif

#endif /* GALE_SYS_ATOMIC_H_ */
