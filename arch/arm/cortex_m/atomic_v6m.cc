// Atomic read-modify-write operations for Armv6-M, which has no exclusive load and store
// (LDREX/STREX). GCC compiles the __atomic builtins that gale/sys/atomic.h uses into calls of
// these library functions (the interface libatomic documents); each runs with interrupts locked,
// which on a single core makes it atomic against threads and interrupt handlers alike. The
// memory-order arguments need nothing more: locking interrupts orders everything on one core.
//
// The functions are defined under their library names through asm labels: declaring them by
// those names would clash with the compiler's built-in declarations.
#include <stdint.h>

#include <gale/arch.h>

namespace {

class Locked {
 public:
  Locked() : key_(arch_irq_lock()) {}
  ~Locked() { arch_irq_unlock(key_); }
  Locked(const Locked &) = delete;
  Locked &operator=(const Locked &) = delete;

 private:
  unsigned int key_;
};

// Applies @p op; returns the value before (fetch_op) or after it (op_fetch).
template <typename T, bool kReturnNew, typename Op>
T Apply(volatile void *ptr, T value, Op op) {
  Locked lock;
  auto *p = static_cast<volatile T *>(ptr);
  T old = *p;
  T result = op(old, value);
  *p = result;
  return kReturnNew ? result : old;
}

template <typename T>
T Exchange(volatile void *ptr, T value) {
  Locked lock;
  auto *p = static_cast<volatile T *>(ptr);
  T old = *p;
  *p = value;
  return old;
}

// The library form has no `weak` argument: the compiler drops it from the call.
template <typename T>
bool CompareExchange(volatile void *ptr, void *expected, T desired) {
  Locked lock;
  auto *p = static_cast<volatile T *>(ptr);
  auto *e = static_cast<T *>(expected);
  T current = *p;
  if (current == *e) {
    *p = desired;
    return true;
  }
  *e = current;
  return false;
}

}  // namespace

#define GALE_ATOMIC_FETCH(name, size, type, expr, new_value)                               \
  extern "C" type gale_atomic_##name##_##size(volatile void *ptr, type value,              \
                                              int) __asm__("__atomic_" #name "_" #size);   \
  extern "C" type gale_atomic_##name##_##size(volatile void *ptr, type value, int) {       \
    return Apply<type, new_value>(ptr, value,                                              \
                                  [](type a, type b) { return static_cast<type>(expr); }); \
  }

#define GALE_ATOMIC_SIZE(size, type)                                                      \
  GALE_ATOMIC_FETCH(fetch_add, size, type, a + b, false)                                  \
  GALE_ATOMIC_FETCH(fetch_sub, size, type, a - b, false)                                  \
  GALE_ATOMIC_FETCH(fetch_and, size, type, a &b, false)                                   \
  GALE_ATOMIC_FETCH(fetch_or, size, type, a | b, false)                                   \
  GALE_ATOMIC_FETCH(fetch_xor, size, type, a ^ b, false)                                  \
  GALE_ATOMIC_FETCH(fetch_nand, size, type, ~(a & b), false)                              \
  GALE_ATOMIC_FETCH(add_fetch, size, type, a + b, true)                                   \
  GALE_ATOMIC_FETCH(sub_fetch, size, type, a - b, true)                                   \
  extern "C" type gale_atomic_exchange_##size(volatile void *ptr, type value,             \
                                              int) __asm__("__atomic_exchange_" #size);   \
  extern "C" type gale_atomic_exchange_##size(volatile void *ptr, type value, int) {      \
    return Exchange<type>(ptr, value);                                                    \
  }                                                                                       \
  extern "C" bool gale_atomic_compare_exchange_##size(                                    \
      volatile void *ptr, void *expected, type desired, int,                              \
      int) __asm__("__atomic_compare_exchange_" #size);                                   \
  extern "C" bool gale_atomic_compare_exchange_##size(volatile void *ptr, void *expected, \
                                                      type desired, int, int) {           \
    return CompareExchange<type>(ptr, expected, desired);                                 \
  }

GALE_ATOMIC_SIZE(1, uint8_t)
GALE_ATOMIC_SIZE(2, uint16_t)
GALE_ATOMIC_SIZE(4, uint32_t)
