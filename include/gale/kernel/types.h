/*
 * Basic kernel types shared by every kernel object: timeouts, wait queues and the timeout
 * record embedded in threads and timers (Zephyr's sys_clock.h and kernel_structs.h subset).
 */
#ifndef GALE_KERNEL_TYPES_H_
#define GALE_KERNEL_TYPES_H_

#include <stdbool.h>
#include <stdint.h>

#include <gale/sys/dlist.h>
#include <gale/sys/time_units.h>
#include <gale/sys/util.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A count of system clock ticks (CONFIG_SYS_CLOCK_TICKS_PER_SEC per second). */
typedef int64_t k_ticks_t;

/** The tick count that means "wait forever". */
#define K_TICKS_FOREVER ((k_ticks_t)-1)

/**
 * How long a call may wait: K_NO_WAIT, K_FOREVER, a relative duration (K_MSEC() and
 * friends) or an absolute uptime (K_TIMEOUT_ABS_MS() and friends). Opaque: compare with
 * K_TIMEOUT_EQ().
 */
typedef struct {
  k_ticks_t ticks;
} k_timeout_t;

#ifdef __cplusplus
#define Z_TIMEOUT_TICKS(t) (k_timeout_t{(k_ticks_t)(t)})
#else
#define Z_TIMEOUT_TICKS(t) ((k_timeout_t){.ticks = (t)})
#endif

/** Whether two timeouts are the same. */
#define K_TIMEOUT_EQ(a, b) ((a).ticks == (b).ticks)

#define Z_TIMEOUT_NO_WAIT Z_TIMEOUT_TICKS(0)
#define Z_FOREVER Z_TIMEOUT_TICKS(K_TICKS_FOREVER)

/*
 * Absolute timeouts are encoded as tick counts below K_TICKS_FOREVER: -2 is uptime 0, -3 is
 * uptime 1, and so on.
 */
#define Z_TICK_ABS(t) (K_TICKS_FOREVER - 1 - (t))
#define Z_IS_TIMEOUT_RELATIVE(timeout) ((timeout).ticks >= 0)

#define Z_TIMEOUT_MS(t) Z_TIMEOUT_TICKS((k_ticks_t)k_ms_to_ticks_ceil64(MAX(t, 0)))
#define Z_TIMEOUT_US(t) Z_TIMEOUT_TICKS((k_ticks_t)k_us_to_ticks_ceil64(MAX(t, 0)))
#define Z_TIMEOUT_NS(t) Z_TIMEOUT_TICKS((k_ticks_t)k_ns_to_ticks_ceil64(MAX(t, 0)))
#define Z_TIMEOUT_CYC(t) Z_TIMEOUT_TICKS((k_ticks_t)k_cyc_to_ticks_ceil64(MAX(t, 0)))

struct _timeout;
typedef void (*_timeout_func_t)(struct _timeout *t);

/**
 * A pending timeout (kernel-private layout). Timeouts wait in a list sorted by expiry, each
 * holding the ticks after its predecessor's expiry.
 */
struct _timeout {
  sys_dnode_t node;
  _timeout_func_t fn;
  int64_t dticks;
};

/** A wait queue: threads pended on an object, in priority order (kernel-private layout). */
typedef struct {
  sys_dlist_t waitq;
} _wait_q_t;

#define Z_WAIT_Q_INIT(wait_q) {SYS_DLIST_STATIC_INIT(&(wait_q)->waitq)}

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_TYPES_H_ */
