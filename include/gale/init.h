/*
 * System initialization levels (Zephyr's SYS_INIT API).
 *
 * Functions registered with SYS_INIT() run once at boot, by level, then by priority within a
 * level (lower first), before main(). The linker gathers and sorts them; nothing is registered
 * at run time.
 *
 * | level        | context                                                       |
 * | ------------ | ------------------------------------------------------------- |
 * | PRE_KERNEL_1 | start-up, interrupts locked, no kernel services               |
 * | PRE_KERNEL_2 | start-up, after the PRE_KERNEL_1 drivers                      |
 * | POST_KERNEL  | main thread, kernel services available                        |
 * | APPLICATION  | main thread, just before main()                               |
 */
#ifndef GALE_INIT_H_
#define GALE_INIT_H_

#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

struct device;

/** The function an init entry calls: SYS_INIT functions take nothing, device ones the device. */
union init_function {
  int (*sys)(void);
  int (*dev)(const struct device *dev);
};

/** One statically registered initialization step. */
struct init_entry {
  union init_function init_fn;
  /** The device this entry initialises, or NULL for a SYS_INIT function. */
  const struct device *dev;
};

/* Section of an entry: the level by name and the priority as a trailing decimal number, which
 * the linker's SORT_BY_INIT_PRIORITY orders numerically. The priority must expand to an integer
 * literal (0-99 by convention), as Kconfig int symbols do. */
#define Z_INIT_ENTRY_SECTION(level, prio) \
  __attribute__((__section__(".gale_init_" #level "." STRINGIFY(prio))))

#define Z_INIT_ENTRY_NAME(name) _CONCAT(__init_, name)

/**
 * Run @p init_fn (`int fn(void)`) at boot, at @p level (PRE_KERNEL_1, PRE_KERNEL_2,
 * POST_KERNEL, APPLICATION) and priority @p prio. A non-zero return is reported on the
 * console and boot continues.
 */
#define SYS_INIT(init_fn, level, prio) SYS_INIT_NAMED(init_fn, init_fn, level, prio)

/** As SYS_INIT, with an explicit @p name so one function can be registered several times. */
#define SYS_INIT_NAMED(name, init_fn_, level, prio)                                               \
  static const Z_DECL_ALIGN_INIT(struct init_entry) Z_INIT_ENTRY_NAME(name) Z_INIT_ENTRY_SECTION( \
      level, prio) __used = {.init_fn = {.sys = (init_fn_)}, .dev = (const struct device *)0}

#define Z_DECL_ALIGN_INIT(type) __aligned(__alignof(type)) type

#ifdef __cplusplus
}
#endif

#endif /* GALE_INIT_H_ */
