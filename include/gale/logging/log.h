/*
 * Logging: Zephyr's logging API (LOG_MODULE_REGISTER, LOG_ERR/WRN/INF/DBG, LOG_HEXDUMP_*).
 *
 * Each module has a compile-time level (the second argument of LOG_MODULE_REGISTER, or
 * CONFIG_LOG_DEFAULT_LEVEL): calls above it compile to nothing. Each module also has a
 * run-time level (initially the compile-time one, never above it) that log_filter_set() and
 * gale_log_level_set() change. Module descriptors live in an iterable linker section sorted by
 * module name; a module's index there is its source id.
 *
 * Without CONFIG_LOG every macro compiles to nothing (the arguments are still type-checked).
 *
 * With CONFIG_LOG_DICTIONARY_SUPPORT the format strings (and hexdump titles, which must then be
 * string literals) are placed in the non-loadable ELF section `.gale_log_strings`: they stay in
 * the ELF and are not flashed; the target sends binary records that the host decodes with the
 * ELF (sdk/logs; the record format is in subsys/logging/README.md).
 */
#ifndef GALE_LOGGING_LOG_H_
#define GALE_LOGGING_LOG_H_

#include <stddef.h>
#include <stdint.h>

#include <gale/sys/iterable_sections.h>
#include <gale/sys/util_macro.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LOG_LEVEL_NONE 0U  ///< No message.
#define LOG_LEVEL_ERR 1U   ///< Errors only.
#define LOG_LEVEL_WRN 2U   ///< Warnings and above.
#define LOG_LEVEL_INF 3U   ///< Information and above.
#define LOG_LEVEL_DBG 4U   ///< Everything.

/** A module's constant descriptor (flash), in the iterable section gale_log_module. */
struct gale_log_module {
  const char *name;        ///< Module name, as given to LOG_MODULE_REGISTER.
  uint8_t compiled_level;  ///< Compile-time level: messages above it do not exist in the image.
};

/** A module's run-time state (RAM), in gale_log_rt, same order as gale_log_module. */
struct gale_log_rt {
  uint8_t level;  ///< Run-time level: messages above it are dropped at the call.
};

/* Printf checking for arguments that are compiled out or sent in dictionary records. */
static inline __printf_like(1, 2) void z_log_printf_arg_checker(const char *fmt, ...) {
  (void)fmt;
}

#ifdef CONFIG_LOG

/* Internal entry points behind the macros; not for direct use. */
void z_log_printf(const struct gale_log_module *module, uint8_t level, const char *fmt, ...)
    __printf_like(3, 4);
void z_log_hexdump(const struct gale_log_module *module, uint8_t level, const void *data,
                   size_t length, const char *title);
void z_log_dict(const struct gale_log_module *module, uint8_t level, const char *fmt,
                uint32_t types, ...);

/* Argument type codes of a dictionary record (3 bits per argument in `types`). */
#define Z_LOG_ARG_U32 1U  ///< An integer or pointer of up to 32 bits.
#define Z_LOG_ARG_U64 2U  ///< A 64-bit integer (or a pointer on a 64-bit target).
#define Z_LOG_ARG_DBL 3U  ///< A double.
#define Z_LOG_ARG_STR 4U  ///< A `char *` string, copied into the record.
#define Z_LOG_MAX_DICT_ARGS 10

#ifdef __cplusplus
}
template <typename T>
struct z_log_arg_type {
  static constexpr unsigned value = sizeof(T) > 4 ? Z_LOG_ARG_U64 : Z_LOG_ARG_U32;
};
template <>
struct z_log_arg_type<char *> {
  static constexpr unsigned value = Z_LOG_ARG_STR;
};
template <>
struct z_log_arg_type<const char *> {
  static constexpr unsigned value = Z_LOG_ARG_STR;
};
template <>
struct z_log_arg_type<float> {
  static constexpr unsigned value = Z_LOG_ARG_DBL;
};
template <>
struct z_log_arg_type<double> {
  static constexpr unsigned value = Z_LOG_ARG_DBL;
};
template <typename T>
T z_log_decay(T);
#define Z_LOG_ARG_TYPE(x) (z_log_arg_type<decltype(z_log_decay(x))>::value)
#define Z_LOG_STATIC_ASSERT static_assert
extern "C" {
#else
#define Z_LOG_STATIC_ASSERT _Static_assert
#define Z_LOG_ARG_TYPE(x) \
  _Generic((x), char *: Z_LOG_ARG_STR, const char *: Z_LOG_ARG_STR, float: Z_LOG_ARG_DBL, \
      double: Z_LOG_ARG_DBL, default: (sizeof(x) > 4 ? Z_LOG_ARG_U64 : Z_LOG_ARG_U32))
#endif

/* Index 0 is a placeholder so that a call without arguments gives 0. */
#define Z_LOG_TYPE_BIT(i, x) \
  | ((i) == 0 ? 0U : ((uint32_t)Z_LOG_ARG_TYPE(x) << ((3U * (i)-3U) & 31U)))
#define Z_LOG_TYPES(...) (0U FOR_EACH_IDX(Z_LOG_TYPE_BIT, (), 0, ##__VA_ARGS__))

#define Z_LOG_CURRENT_MODULE (z_log_current_module())
#define Z_LOG_CONST_LEVEL_CHECK(_level) ((_level) <= (unsigned)__log_level)

#ifdef CONFIG_LOG_DICTIONARY_SUPPORT
#define Z_LOG_EMIT(_level, _fmt, ...)                                                        \
  do {                                                                                       \
    static const char z_log_fmt[] __attribute__((__section__(".gale_log_strings"))) = _fmt;  \
    Z_LOG_STATIC_ASSERT(NUM_VA_ARGS_LESS_1(_fmt, ##__VA_ARGS__) <= Z_LOG_MAX_DICT_ARGS,      \
                   "dictionary logging takes at most 10 arguments");                         \
    if (0) {                                                                                 \
      z_log_printf_arg_checker(_fmt, ##__VA_ARGS__);                                         \
    }                                                                                        \
    z_log_dict(Z_LOG_CURRENT_MODULE, (uint8_t)(_level), z_log_fmt, Z_LOG_TYPES(__VA_ARGS__), \
               ##__VA_ARGS__);                                                               \
  } while (0)
#define Z_LOG_HEXDUMP_EMIT(_level, _data, _length, _str)                                      \
  do {                                                                                        \
    static const char z_log_title[] __attribute__((__section__(".gale_log_strings"))) = _str; \
    z_log_hexdump(Z_LOG_CURRENT_MODULE, (uint8_t)(_level), (_data), (_length), z_log_title);  \
  } while (0)
#else
#define Z_LOG_EMIT(_level, ...) z_log_printf(Z_LOG_CURRENT_MODULE, (uint8_t)(_level), __VA_ARGS__)
#define Z_LOG_HEXDUMP_EMIT(_level, _data, _length, _str) \
  z_log_hexdump(Z_LOG_CURRENT_MODULE, (uint8_t)(_level), (_data), (_length), (_str))
#endif

#define Z_LOG(_level, ...)                   \
  do {                                       \
    if (Z_LOG_CONST_LEVEL_CHECK(_level)) {   \
      Z_LOG_EMIT(_level, __VA_ARGS__);       \
    } else if (0) {                          \
      z_log_printf_arg_checker(__VA_ARGS__); \
    }                                        \
  } while (0)

#define Z_LOG_HEXDUMP(_level, _data, _length, _str)     \
  do {                                                  \
    if (Z_LOG_CONST_LEVEL_CHECK(_level)) {              \
      Z_LOG_HEXDUMP_EMIT(_level, _data, _length, _str); \
    } else if (0) {                                     \
      (void)(_data);                                    \
      (void)(_length);                                  \
      (void)(_str);                                     \
    }                                                   \
  } while (0)

#define Z_LOG_MODULE_DECLARE2(_name, _level, ...)                                   \
  extern struct gale_log_module _gale_log_module_##_name;                           \
  static inline __unused const struct gale_log_module *z_log_current_module(void) { \
    return &_gale_log_module_##_name;                                               \
  }                                                                                 \
  enum { __log_level = (_level) }

#define Z_LOG_MODULE_REGISTER2(_name, _level, ...)                                               \
  STRUCT_SECTION_ITERABLE_NAMED(gale_log_module, _name, _gale_log_module_##_name) = {            \
      #_name, (uint8_t)(_level)};                                                                \
  STRUCT_SECTION_ITERABLE_NAMED(gale_log_rt, _name, _gale_log_rt_##_name) = {(uint8_t)(_level)}; \
  Z_LOG_MODULE_DECLARE2(_name, _level)

#else /* !CONFIG_LOG */

#define Z_LOG(_level, ...)                   \
  do {                                       \
    if (0) {                                 \
      z_log_printf_arg_checker(__VA_ARGS__); \
    }                                        \
  } while (0)
#define Z_LOG_HEXDUMP(_level, _data, _length, _str) \
  do {                                              \
    if (0) {                                        \
      (void)(_data);                                \
      (void)(_length);                              \
      (void)(_str);                                 \
    }                                               \
  } while (0)
#define Z_LOG_MODULE_DECLARE2(_name, _level, ...) enum { __log_level = 0 }
#define Z_LOG_MODULE_REGISTER2(_name, _level, ...) enum { __log_level = 0 }

#endif /* CONFIG_LOG */

#ifndef CONFIG_LOG_DEFAULT_LEVEL
#define CONFIG_LOG_DEFAULT_LEVEL LOG_LEVEL_INF
#endif

/**
 * Register the log module @p name (one file of the module, at file scope) with an optional
 * compile-time level (default CONFIG_LOG_DEFAULT_LEVEL): LOG_MODULE_REGISTER(name[, level]).
 */
#define LOG_MODULE_REGISTER(...) Z_LOG_MODULE_REGISTER2(__VA_ARGS__, CONFIG_LOG_DEFAULT_LEVEL, ~)

/**
 * Use the module @p name registered in another file: LOG_MODULE_DECLARE(name[, level]); the
 * level applies to this file's calls.
 */
#define LOG_MODULE_DECLARE(...) Z_LOG_MODULE_DECLARE2(__VA_ARGS__, CONFIG_LOG_DEFAULT_LEVEL, ~)

/** Log an error: printf-style format and arguments. @pre any context (thread or ISR). */
#define LOG_ERR(...) Z_LOG(LOG_LEVEL_ERR, __VA_ARGS__)
/** Log a warning. */
#define LOG_WRN(...) Z_LOG(LOG_LEVEL_WRN, __VA_ARGS__)
/** Log information. */
#define LOG_INF(...) Z_LOG(LOG_LEVEL_INF, __VA_ARGS__)
/** Log a debug message. */
#define LOG_DBG(...) Z_LOG(LOG_LEVEL_DBG, __VA_ARGS__)

/** Log @p _length bytes at @p _data in hexadecimal and ASCII under the title @p _str. */
#define LOG_HEXDUMP_ERR(_data, _length, _str) Z_LOG_HEXDUMP(LOG_LEVEL_ERR, _data, _length, _str)
#define LOG_HEXDUMP_WRN(_data, _length, _str) Z_LOG_HEXDUMP(LOG_LEVEL_WRN, _data, _length, _str)
#define LOG_HEXDUMP_INF(_data, _length, _str) Z_LOG_HEXDUMP(LOG_LEVEL_INF, _data, _length, _str)
#define LOG_HEXDUMP_DBG(_data, _length, _str) Z_LOG_HEXDUMP(LOG_LEVEL_DBG, _data, _length, _str)

#ifdef __cplusplus
}
#endif

#include <gale/logging/log_ctrl.h>

#endif /* GALE_LOGGING_LOG_H_ */
