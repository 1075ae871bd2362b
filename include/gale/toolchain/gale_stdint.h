/*
 * Integer types as every Zephyr application expects them on 32-bit targets: int32_t is int
 * and int64_t is long long (the toolchain's default makes int32_t long on Arm), so printf
 * formats like "%d" for int32_t and "%lld" for int64_t are right on every target. Read with
 * -imacros before anything else for cross builds (not for native_sim, whose host C library
 * defines its own types).
 */
#ifndef GALE_TOOLCHAIN_GALE_STDINT_H_
#define GALE_TOOLCHAIN_GALE_STDINT_H_

#if __SIZEOF_INT__ == 4
#undef __INT32_TYPE__
#undef __UINT32_TYPE__
#undef __INT_LEAST32_TYPE__
#undef __UINT_LEAST32_TYPE__
#undef __INT32_C
#undef __UINT32_C
#define __INT32_TYPE__ int
#define __UINT32_TYPE__ unsigned int
#define __INT_LEAST32_TYPE__ int
#define __UINT_LEAST32_TYPE__ unsigned int
#define __INT32_C(c) c
#define __UINT32_C(c) c##U
#endif

#undef __INT64_TYPE__
#undef __UINT64_TYPE__
#undef __INT_LEAST64_TYPE__
#undef __UINT_LEAST64_TYPE__
#undef __INT64_C
#undef __UINT64_C
#define __INT64_TYPE__ long long int
#define __UINT64_TYPE__ long long unsigned int
#define __INT_LEAST64_TYPE__ long long int
#define __UINT_LEAST64_TYPE__ long long unsigned int
#define __INT64_C(c) c##LL
#define __UINT64_C(c) c##ULL

#endif /* GALE_TOOLCHAIN_GALE_STDINT_H_ */
