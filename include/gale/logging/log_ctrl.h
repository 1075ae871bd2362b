/*
 * Logging control: panic mode, deferred processing, run-time levels per module (Zephyr's
 * log_ctrl.h functions, plus Gale's index-based API for the shell's `log` commands).
 */
#ifndef GALE_LOGGING_LOG_CTRL_H_
#define GALE_LOGGING_LOG_CTRL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct log_backend;

#ifdef CONFIG_LOG

/**
 * Enter panic mode: flush every buffered message to the backends now, and from then on output
 * each message at the call (as in immediate mode), with interrupts locked.
 * @pre any context; call before a fatal error stops the system.
 */
void log_panic(void);

/**
 * Deferred mode: output the oldest buffered message (after a "--- N messages dropped ---" note
 * when messages were lost). Immediate mode: does nothing.
 * @returns true when more messages are buffered.
 * @pre thread context.
 */
bool log_process(void);

/** Number of messages buffered and not yet output (0 in immediate mode). */
uint32_t log_buffered_cnt(void);

/** Number of log modules (sources) of domain 0 (the only domain). */
uint32_t log_src_cnt_get(uint32_t domain_id);

/** Name of source @p source_id of domain 0, or NULL when out of range. */
const char *log_source_name_get(uint32_t domain_id, uint32_t source_id);

/**
 * Set the run-time level of source @p source_id (-1: every source). Backends share one filter:
 * @p backend is ignored and may be NULL.
 * @returns the level now in effect (@p level capped at the source's compile-time level).
 */
uint32_t log_filter_set(struct log_backend const *backend, uint32_t domain_id, int16_t source_id,
                        uint32_t level);

/** Number of log modules in the image. */
size_t gale_log_module_count(void);

/** Name of module @p index (0 .. gale_log_module_count() - 1), or NULL when out of range. */
const char *gale_log_module_name(size_t index);

/**
 * Index of the module named @p name.
 * @retval >=0 the index.
 * @retval -ENOENT no module has that name.
 */
int gale_log_module_find(const char *name);

/**
 * Run-time level of module @p index.
 * @retval >=0 the level (LOG_LEVEL_NONE .. LOG_LEVEL_DBG).
 * @retval -EINVAL no such module.
 */
int gale_log_level_get(size_t index);

/** Compile-time level of module @p index, or -EINVAL. */
int gale_log_compiled_level_get(size_t index);

/**
 * Set the run-time level of module @p index.
 * @retval >=0 the level now in effect (@p level capped at the compile-time level).
 * @retval -EINVAL no such module, or @p level above LOG_LEVEL_DBG.
 */
int gale_log_level_set(size_t index, unsigned level);

/** Messages lost since boot because the deferred buffer was full. */
uint32_t gale_log_dropped_total(void);

/**
 * A function that sees every message as the backends get it (a text line, or a dictionary
 * record), for tests and tools. @p data is valid during the call only.
 */
typedef void (*gale_log_hook_t)(const void *data, size_t length, void *ctx);

/** Install (or, with NULL, remove) the message hook. */
void gale_log_hook_set(gale_log_hook_t hook, void *ctx);

#else

static inline void log_panic(void) {}
static inline bool log_process(void) {
  return false;
}
static inline uint32_t log_buffered_cnt(void) {
  return 0;
}

#endif /* CONFIG_LOG */

#ifdef __cplusplus
}
#endif

#endif /* GALE_LOGGING_LOG_CTRL_H_ */
