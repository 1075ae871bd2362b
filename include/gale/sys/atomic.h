/*
 * Atomic operations (Zephyr's atomic API) on the compiler's __atomic builtins: LDREX/STREX on
 * Armv7-M, AMO instructions on RISC-V with the A extension, the host's on native_sim.
 * Every operation is sequentially consistent and returns the previous value unless noted.
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

typedef long atomic_t;
typedef atomic_t atomic_val_t;
typedef void *atomic_ptr_t;
typedef atomic_ptr_t atomic_ptr_val_t;

#define ATOMIC_INIT(i) (i)
#define ATOMIC_PTR_INIT(p) (p)
#define ATOMIC_BITS (sizeof(atomic_val_t) * 8)
#define ATOMIC_MASK(bit) ((atomic_val_t)1 << ((uint32_t)(bit) & (ATOMIC_BITS - 1U)))
#define ATOMIC_ELEM(addr, bit) ((addr) + ((bit) / ATOMIC_BITS))
/** Number of atomic_t needed for @p num_bits bits. */
#define ATOMIC_BITMAP_SIZE(num_bits) (1 + ((num_bits) - 1) / ATOMIC_BITS)
/** Define a bitmap of @p num_bits atomic bits, all clear. */
#define ATOMIC_DEFINE(name, num_bits) atomic_t name[ATOMIC_BITMAP_SIZE(num_bits)]

#define Z_ATOMIC_ORDER __ATOMIC_SEQ_CST

/** Compare @p target with @p old_value and, when equal, set it to @p new_value. @returns whether it was set */
static inline bool atomic_cas(atomic_t *target, atomic_val_t old_value, atomic_val_t new_value) {
  return __atomic_compare_exchange_n(target, &old_value, new_value, false, Z_ATOMIC_ORDER,
                                     Z_ATOMIC_ORDER);
}
static inline bool atomic_ptr_cas(atomic_ptr_t *target, atomic_ptr_val_t old_value,
                                  atomic_ptr_val_t new_value) {
  return __atomic_compare_exchange_n(target, &old_value, new_value, false, Z_ATOMIC_ORDER,
                                     Z_ATOMIC_ORDER);
}
static inline atomic_val_t atomic_add(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_add(target, value, Z_ATOMIC_ORDER);
}
static inline atomic_val_t atomic_sub(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_sub(target, value, Z_ATOMIC_ORDER);
}
static inline atomic_val_t atomic_inc(atomic_t *target) {
  return atomic_add(target, 1);
}
static inline atomic_val_t atomic_dec(atomic_t *target) {
  return atomic_sub(target, 1);
}
static inline atomic_val_t atomic_get(const atomic_t *target) {
  return __atomic_load_n(target, Z_ATOMIC_ORDER);
}
static inline atomic_ptr_val_t atomic_ptr_get(const atomic_ptr_t *target) {
  return __atomic_load_n(target, Z_ATOMIC_ORDER);
}
static inline atomic_val_t atomic_set(atomic_t *target, atomic_val_t value) {
  return __atomic_exchange_n(target, value, Z_ATOMIC_ORDER);
}
static inline atomic_ptr_val_t atomic_ptr_set(atomic_ptr_t *target, atomic_ptr_val_t value) {
  return __atomic_exchange_n(target, value, Z_ATOMIC_ORDER);
}
static inline atomic_val_t atomic_clear(atomic_t *target) {
  return atomic_set(target, 0);
}
static inline atomic_ptr_val_t atomic_ptr_clear(atomic_ptr_t *target) {
  return atomic_ptr_set(target, NULL);
}
static inline atomic_val_t atomic_or(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_or(target, value, Z_ATOMIC_ORDER);
}
static inline atomic_val_t atomic_xor(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_xor(target, value, Z_ATOMIC_ORDER);
}
static inline atomic_val_t atomic_and(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_and(target, value, Z_ATOMIC_ORDER);
}
static inline atomic_val_t atomic_nand(atomic_t *target, atomic_val_t value) {
  return __atomic_fetch_nand(target, value, Z_ATOMIC_ORDER);
}

/** Whether bit @p bit of the bitmap @p target is set. */
static inline bool atomic_test_bit(const atomic_t *target, int bit) {
  return (atomic_get(ATOMIC_ELEM(target, bit)) & ATOMIC_MASK(bit)) != 0;
}
/** Clear bit @p bit. @returns whether it was set */
static inline bool atomic_test_and_clear_bit(atomic_t *target, int bit) {
  return (atomic_and(ATOMIC_ELEM(target, bit), ~ATOMIC_MASK(bit)) & ATOMIC_MASK(bit)) != 0;
}
/** Set bit @p bit. @returns whether it was set */
static inline bool atomic_test_and_set_bit(atomic_t *target, int bit) {
  return (atomic_or(ATOMIC_ELEM(target, bit), ATOMIC_MASK(bit)) & ATOMIC_MASK(bit)) != 0;
}
static inline void atomic_clear_bit(atomic_t *target, int bit) {
  (void)atomic_and(ATOMIC_ELEM(target, bit), ~ATOMIC_MASK(bit));
}
static inline void atomic_set_bit(atomic_t *target, int bit) {
  (void)atomic_or(ATOMIC_ELEM(target, bit), ATOMIC_MASK(bit));
}
/** Set bit @p bit to @p val. */
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
