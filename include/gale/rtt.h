/*
 * SEGGER-RTT-compatible real-time transfer: byte channels between the target and a debug host
 * through a control block in RAM that the host reads and writes while the target runs (or in
 * short halts). The block has SEGGER's published layout, so existing RTT host tools find it
 * (symbol `_SEGGER_RTT`, or the id "SEGGER RTT" when scanning RAM).
 *
 * Up-buffers carry target -> host data, down-buffers host -> target. The target owns WrOff of
 * an up-buffer and RdOff of a down-buffer; the host owns the other offset.
 *
 * Gale's API is gale_rtt_*(); the SEGGER_RTT_*() names Zephyr applications use are provided too
 * (<SEGGER_RTT.h> forwards here). Enabled with CONFIG_USE_SEGGER_RTT.
 */
#ifndef GALE_RTT_H_
#define GALE_RTT_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Up-buffer modes (the low two bits of an up-buffer's Flags). */
/** Drop the whole write when it does not fit. */
#define SEGGER_RTT_MODE_NO_BLOCK_SKIP 0U
/** Write the part that fits, drop the rest. */
#define SEGGER_RTT_MODE_NO_BLOCK_TRIM 1U
/** Wait until the host has read enough. In an ISR or with interrupts locked: trim instead. */
#define SEGGER_RTT_MODE_BLOCK_IF_FIFO_FULL 2U
#define SEGGER_RTT_MODE_MASK 3U

/** One ring buffer descriptor, as SEGGER RTT lays it out (24 bytes on 32-bit targets). */
struct gale_rtt_buffer {
  const char *sName;       /**< channel name, e.g. "Terminal"; NULL when unused */
  char *pBuffer;           /**< the ring */
  unsigned SizeOfBuffer;   /**< ring size in bytes; one byte stays free (full = size - 1) */
  volatile unsigned WrOff; /**< next byte to write (writer-owned) */
  volatile unsigned RdOff; /**< next byte to read (reader-owned) */
  unsigned Flags;          /**< SEGGER_RTT_MODE_* for up-buffers */
};

#ifdef CONFIG_USE_SEGGER_RTT
/** The control block (SEGGER's layout): id, counts, then the up and the down descriptors. */
struct gale_rtt_control_block {
  char acID[16]; /**< "SEGGER RTT" once initialised; written last so a host never sees a half
                      built block */
  int MaxNumUpBuffers;
  int MaxNumDownBuffers;
  struct gale_rtt_buffer aUp[CONFIG_SEGGER_RTT_MAX_NUM_UP_BUFFERS];
  struct gale_rtt_buffer aDown[CONFIG_SEGGER_RTT_MAX_NUM_DOWN_BUFFERS];
};

/** The control block, for host tools (in .bss: a reset clears the id until init). */
extern struct gale_rtt_control_block _SEGGER_RTT;

/** Bytes dropped per up channel (skip and trim), for host tools; wraps at 2^32. */
extern volatile uint32_t gale_rtt_dropped[CONFIG_SEGGER_RTT_MAX_NUM_UP_BUFFERS];
#endif

/**
 * Set up the control block (done at boot, PRE_KERNEL_1, and by the first write if earlier):
 * channel 0 up ("Terminal", CONFIG_SEGGER_RTT_BUFFER_SIZE_UP bytes, the configured default
 * mode) and channel 0 down (CONFIG_SEGGER_RTT_BUFFER_SIZE_DOWN bytes). Idempotent.
 * @pre any context
 */
void gale_rtt_init(void);

/**
 * Write @p len bytes to up channel @p channel in the channel's mode.
 * @returns the number of bytes written (less than @p len when trimmed, 0 when skipped)
 * @retval -EINVAL no such channel, or the channel has no buffer
 * @pre any context (block mode waits only in a thread with interrupts unlocked)
 */
int gale_rtt_write(unsigned channel, const void *data, size_t len);

/**
 * Read at most @p len bytes the host wrote to down channel @p channel.
 * @returns the number of bytes read (0 when none are waiting)
 * @retval -EINVAL no such channel, or the channel has no buffer
 * @pre any context
 */
int gale_rtt_read(unsigned channel, void *buf, size_t len);

/**
 * Configure up channel @p channel: its name, ring (@p buf of @p size bytes, may be NULL to keep
 * the current one) and mode (SEGGER_RTT_MODE_*). Data in the old ring is discarded when the
 * ring changes.
 * @retval 0 done
 * @retval -EINVAL no such channel, a size below 2, or a mode out of range
 * @pre any context
 */
int gale_rtt_config_up(unsigned channel, const char *name, void *buf, size_t size, unsigned flags);

/** Same for down channel @p channel (@p flags is stored but unused by the target). */
int gale_rtt_config_down(unsigned channel, const char *name, void *buf, size_t size,
                         unsigned flags);

/** Bytes dropped on up channel @p channel so far (0 for no such channel). */
uint32_t gale_rtt_dropped_count(unsigned channel);

/* SEGGER RTT's names (the subset Zephyr applications use). Counts are unsigned; errors are
 * returned as SEGGER does: < 0 from the config calls, 0 bytes from the transfer calls. */
#define SEGGER_RTT_Init() gale_rtt_init()
unsigned SEGGER_RTT_Write(unsigned BufferIndex, const void *pBuffer, unsigned NumBytes);
unsigned SEGGER_RTT_WriteNoLock(unsigned BufferIndex, const void *pBuffer, unsigned NumBytes);
unsigned SEGGER_RTT_WriteString(unsigned BufferIndex, const char *s);
unsigned SEGGER_RTT_PutChar(unsigned BufferIndex, char c);
unsigned SEGGER_RTT_Read(unsigned BufferIndex, void *pBuffer, unsigned BufferSize);
unsigned SEGGER_RTT_ReadNoLock(unsigned BufferIndex, void *pBuffer, unsigned BufferSize);
int SEGGER_RTT_ConfigUpBuffer(unsigned BufferIndex, const char *sName, void *pBuffer,
                              unsigned BufferSize, unsigned Flags);
int SEGGER_RTT_ConfigDownBuffer(unsigned BufferIndex, const char *sName, void *pBuffer,
                                unsigned BufferSize, unsigned Flags);
int SEGGER_RTT_SetFlagsUpBuffer(unsigned BufferIndex, unsigned Flags);
int SEGGER_RTT_SetFlagsDownBuffer(unsigned BufferIndex, unsigned Flags);
/** Bytes waiting in down channel @p BufferIndex. */
unsigned SEGGER_RTT_HasData(unsigned BufferIndex);
/** Bytes written to up channel @p BufferIndex and not yet read by the host. */
unsigned SEGGER_RTT_GetBytesInBuffer(unsigned BufferIndex);
/** Whether a byte waits in down channel 0. */
int SEGGER_RTT_HasKey(void);
/** The next byte from down channel 0, or -1. */
int SEGGER_RTT_GetKey(void);
/** Waits (polling) for a byte on down channel 0. @pre thread context */
int SEGGER_RTT_WaitKey(void);
/** Zephyr's RTT lock hooks: irq lock around a sequence of NoLock calls. */
#define SEGGER_RTT_LOCK() unsigned int gale_rtt_lock_key_ = gale_rtt_lock()
#define SEGGER_RTT_UNLOCK() gale_rtt_unlock(gale_rtt_lock_key_)
unsigned int gale_rtt_lock(void);
void gale_rtt_unlock(unsigned int key);

#ifdef __cplusplus
}
#endif

#endif /* GALE_RTT_H_ */
