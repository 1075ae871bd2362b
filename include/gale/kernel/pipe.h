/*
 * Pipes (Zephyr 3.7's k_pipe API): byte streams between threads through an optional ring
 * buffer, with data copied straight between a writer and a waiting reader (or the reverse).
 */
#ifndef GALE_KERNEL_PIPE_H_
#define GALE_KERNEL_PIPE_H_

#include <stddef.h>
#include <stdint.h>

#include <gale/kernel/types.h>
#include <gale/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A pipe (kernel-private layout). */
struct k_pipe {
  /** Ring buffer, or NULL. */
  unsigned char *buffer;
  /** Ring buffer size in bytes (0: no buffer). */
  size_t size;
  /** Bytes in the ring buffer. */
  size_t bytes_used;
  size_t read_index;
  size_t write_index;
  struct {
    /** Threads waiting to read. */
    _wait_q_t readers;
    /** Threads waiting to write. */
    _wait_q_t writers;
  } wait_q;
#ifdef CONFIG_POLL
  sys_dlist_t poll_events;
#endif
  /** K_PIPE_FLAG_ALLOC */
  uint8_t flags;
};

/** The buffer came from k_pipe_alloc_init(). */
#define K_PIPE_FLAG_ALLOC BIT(0)

#ifdef CONFIG_POLL
#define Z_PIPE_POLL_INIT(obj) .poll_events = SYS_DLIST_STATIC_INIT(&(obj).poll_events),
#else
#define Z_PIPE_POLL_INIT(obj)
#endif

#define Z_PIPE_INITIALIZER(obj, pipe_buffer, pipe_buffer_size)                             \
  {                                                                                        \
    .buffer = (pipe_buffer), .size = (pipe_buffer_size), .bytes_used = 0, .read_index = 0, \
    .write_index = 0,                                                                      \
    .wait_q = {.readers = Z_WAIT_Q_INIT(&(obj).wait_q.readers),                            \
               .writers = Z_WAIT_Q_INIT(&(obj).wait_q.writers)},                           \
    Z_PIPE_POLL_INIT(obj).flags = 0                                                        \
  }

/**
 * Define and initialise pipe @p name with a ring buffer of @p pipe_buffer_size bytes (0: none)
 * aligned to @p pipe_align bytes.
 */
#define K_PIPE_DEFINE(name, pipe_buffer_size, pipe_align)                                   \
  static unsigned char __noinit __aligned(pipe_align) _k_pipe_buf_##name[pipe_buffer_size]; \
  struct k_pipe name = Z_PIPE_INITIALIZER(name, _k_pipe_buf_##name, pipe_buffer_size)

/**
 * Initialise a pipe.
 *
 * @param buffer ring buffer, or NULL for none
 * @param size its size in bytes, or 0 for none
 * @pre any context
 */
void k_pipe_init(struct k_pipe *pipe, unsigned char *buffer, size_t size);

/**
 * Initialise a pipe with a ring buffer of @p size bytes from the heap (k_malloc()).
 *
 * @retval 0 initialised
 * @retval -ENOMEM no memory (or no heap)
 * @pre thread context
 */
int k_pipe_alloc_init(struct k_pipe *pipe, size_t size);

/**
 * Free the buffer k_pipe_alloc_init() allocated (nothing to do for other pipes).
 *
 * @retval 0 done
 * @retval -EAGAIN threads still wait on the pipe: nothing was freed
 * @pre thread context
 */
int k_pipe_cleanup(struct k_pipe *pipe);

/**
 * Write up to @p bytes_to_write bytes: first to waiting readers, then into the buffer, then,
 * unless @p timeout is K_NO_WAIT, to readers as they come. Returns as soon as all the bytes
 * are written, or at least @p min_xfer (when not 0) are.
 *
 * @param bytes_written set to the number of bytes written, whatever the result
 * @param min_xfer the fewest bytes that make a success
 * @retval 0 at least @p min_xfer bytes were written
 * @retval -EIO K_NO_WAIT and fewer than @p min_xfer bytes could be written: none were
 * @retval -EAGAIN the timeout expired with fewer than @p min_xfer bytes written (those stay
 *         written)
 * @retval -EINVAL @p min_xfer is above @p bytes_to_write, or @p bytes_written is NULL
 * @pre thread context, or any context with K_NO_WAIT
 */
int k_pipe_put(struct k_pipe *pipe, const void *data, size_t bytes_to_write, size_t *bytes_written,
               size_t min_xfer, k_timeout_t timeout);

/**
 * Read up to @p bytes_to_read bytes: first from the buffer, then from waiting writers, then,
 * unless @p timeout is K_NO_WAIT, from writers as they come. Returns as soon as all the bytes
 * are read, or at least @p min_xfer (when not 0) are.
 *
 * @param bytes_read set to the number of bytes read, whatever the result
 * @retval 0 at least @p min_xfer bytes were read
 * @retval -EIO K_NO_WAIT and fewer than @p min_xfer bytes could be read: none were
 * @retval -EAGAIN the timeout expired with fewer than @p min_xfer bytes read (those stay read)
 * @retval -EINVAL @p min_xfer is above @p bytes_to_read, or @p bytes_read is NULL
 * @pre thread context, or any context with K_NO_WAIT
 */
int k_pipe_get(struct k_pipe *pipe, void *data, size_t bytes_to_read, size_t *bytes_read,
               size_t min_xfer, k_timeout_t timeout);

/** Bytes in the pipe's buffer (0 for a pipe without one). @pre any context */
size_t k_pipe_read_avail(struct k_pipe *pipe);

/** Free bytes in the pipe's buffer (0 for a pipe without one). @pre any context */
size_t k_pipe_write_avail(struct k_pipe *pipe);

/**
 * Discard the buffer's data and the data of every waiting writer; the writers return as if
 * their data had been read.
 * @pre any context
 */
void k_pipe_flush(struct k_pipe *pipe);

/**
 * Discard the buffer's data; waiting writers then fill the buffer again as far as they can.
 * @pre any context
 */
void k_pipe_buffer_flush(struct k_pipe *pipe);

#ifdef __cplusplus
}
#endif

#endif /* GALE_KERNEL_PIPE_H_ */
