/**
 * @file
 * Gale trace: user markers, counters and a C++ scope guard recorded in the kernel's trace
 * stream (CONFIG_TRACING; see docs/tracing.md for the stream format and `gale trace`).
 *
 * Named markers and counters send the address of their name, not the text: pass string
 * literals (or other strings that live in the image's read-only data), and the host reads
 * the text from the ELF it decodes against. Without CONFIG_TRACING every call compiles to
 * nothing. Usable from C and C++ (the scope guard is C++ only).
 *
 * Every call returns at once: when the trace channel is full the record is dropped and
 * counted (the host sees how many), never waited for.
 */
#ifndef GALE_TRACING_TRACING_H_
#define GALE_TRACING_TRACING_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifdef CONFIG_TRACING

/// Records an instant marker with a numeric id.
/// @pre any context (thread, ISR, interrupts locked)
void gale_trace_mark(uint32_t id);

/// Records an instant marker named @p name (a string literal).
/// @pre any context
void gale_trace_mark_named(const char *name);

/// Opens a span named @p name (a string literal) on the running thread; close it with
/// gale_trace_end() with the same name.
/// @pre any context
void gale_trace_begin(const char *name);

/// Closes the span gale_trace_begin(@p name) opened.
/// @pre any context
void gale_trace_end(const char *name);

/// Records the value of counter @p id.
/// @pre any context
void gale_trace_counter(uint32_t id, int32_t value);

/// Records the value of the counter named @p name (a string literal).
/// @pre any context
void gale_trace_counter_named(const char *name, int32_t value);

/// Whether a host is capturing the trace now.
/// @retval 1 a capture is running
/// @retval 0 none is: events cost a test and a branch
int gale_trace_is_active(void);

#else

static inline void gale_trace_mark(uint32_t id) { (void)id; }
static inline void gale_trace_mark_named(const char *name) { (void)name; }
static inline void gale_trace_begin(const char *name) { (void)name; }
static inline void gale_trace_end(const char *name) { (void)name; }
static inline void gale_trace_counter(uint32_t id, int32_t value) { (void)id; (void)value; }
static inline void gale_trace_counter_named(const char *name, int32_t value)
{
	(void)name;
	(void)value;
}
static inline int gale_trace_is_active(void) { return 0; }

#endif /* CONFIG_TRACING */

#ifdef __cplusplus
}  // extern "C"

namespace gale::trace {

/// A span from construction to the end of the scope: `gale::trace::Scope scope("parse");`.
/// @pre any context; @p name a string literal
class Scope {
 public:
  explicit Scope(const char *name) : name_(name) { gale_trace_begin(name_); }
  ~Scope() { gale_trace_end(name_); }
  Scope(const Scope &) = delete;
  Scope &operator=(const Scope &) = delete;

 private:
  const char *name_;
};

}  // namespace gale::trace

/// A span named @p name for the rest of the enclosing scope (C++).
#define GALE_TRACE_SCOPE(name) ::gale::trace::Scope GALE_TRACE_CONCAT_(gale_trace_scope_, __LINE__)(name)
#define GALE_TRACE_CONCAT_(a, b) GALE_TRACE_CONCAT2_(a, b)
#define GALE_TRACE_CONCAT2_(a, b) a##b
#endif /* __cplusplus */

#endif /* GALE_TRACING_TRACING_H_ */
