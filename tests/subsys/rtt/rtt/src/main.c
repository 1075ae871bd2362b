/*
 * The RTT control block and its rings, with the test playing the host: it reads up-buffers and
 * writes down-buffers through the descriptors as a debugger would. Wrap-around, skip / trim /
 * block modes with nobody reading, dropped-byte counts, down-buffer reads, and writes from
 * interrupt handlers and with interrupts locked (block mode must then trim, never hang).
 */
#include <stddef.h>
#include <string.h>

#include <SEGGER_RTT.h>
#include <zephyr/irq.h>
#include <zephyr/irq_offload.h>
#include <zephyr/kernel.h>
#include <zephyr/ztest.h>

#define RING 16

static char up_ring[RING];
static char down_ring[8];

/* As a host: take everything between RdOff and WrOff of up channel 1. */
static size_t host_drain(char *out, size_t max)
{
	struct gale_rtt_buffer *b = &_SEGGER_RTT.aUp[1];
	size_t n = 0;

	while (b->RdOff != b->WrOff && n < max) {
		out[n++] = b->pBuffer[b->RdOff];
		b->RdOff = (b->RdOff + 1U) % b->SizeOfBuffer;
	}
	return n;
}

/* As a host: append bytes to down channel 1. */
static void host_send(const char *data, size_t len)
{
	struct gale_rtt_buffer *b = &_SEGGER_RTT.aDown[1];

	for (size_t i = 0; i < len; i++) {
		b->pBuffer[b->WrOff] = data[i];
		b->WrOff = (b->WrOff + 1U) % b->SizeOfBuffer;
	}
}

static void rtt_before(void *fixture)
{
	ARG_UNUSED(fixture);
	zassert_ok(gale_rtt_config_up(1, "test", up_ring, sizeof(up_ring),
				      SEGGER_RTT_MODE_NO_BLOCK_SKIP));
	zassert_ok(gale_rtt_config_down(1, "test", down_ring, sizeof(down_ring), 0));
	gale_rtt_dropped[1] = 0;
}

ZTEST_SUITE(rtt, NULL, NULL, rtt_before, NULL, NULL);

ZTEST(rtt, test_control_block)
{
	zassert_mem_equal(_SEGGER_RTT.acID, "SEGGER RTT", 11);
	zassert_equal(_SEGGER_RTT.MaxNumUpBuffers, 3);
	zassert_equal(_SEGGER_RTT.MaxNumDownBuffers, 2);
	zassert_not_null(_SEGGER_RTT.aUp[0].pBuffer);
	zassert_equal(_SEGGER_RTT.aUp[0].SizeOfBuffer, 64);
	zassert_equal(_SEGGER_RTT.aDown[0].SizeOfBuffer, CONFIG_SEGGER_RTT_BUFFER_SIZE_DOWN);
	zassert_str_equal(_SEGGER_RTT.aUp[0].sName, "Terminal");
	/* SEGGER's layout: 16-byte id, two ints, then descriptors of six pointer-sized words on
	 * 32-bit targets. */
	zassert_equal(offsetof(struct gale_rtt_control_block, MaxNumUpBuffers), 16);
	zassert_equal(offsetof(struct gale_rtt_control_block, aUp), 24);
	if (sizeof(void *) == 4) {
		zassert_equal(sizeof(struct gale_rtt_buffer), 24);
		zassert_equal(offsetof(struct gale_rtt_control_block, aDown), 24 + 3 * 24);
		zassert_equal(offsetof(struct gale_rtt_buffer, WrOff), 12);
		zassert_equal(offsetof(struct gale_rtt_buffer, RdOff), 16);
	}
}

ZTEST(rtt, test_wrap_around)
{
	char out[RING];

	zassert_ok(SEGGER_RTT_SetFlagsUpBuffer(1, SEGGER_RTT_MODE_NO_BLOCK_TRIM));
	zassert_equal(gale_rtt_write(1, "0123456789", 10), 10);
	zassert_equal(host_drain(out, sizeof(out)), 10);
	zassert_mem_equal(out, "0123456789", 10);
	/* 10 more: 6 to the end of the ring, 4 from its start. */
	zassert_equal(gale_rtt_write(1, "abcdefghij", 10), 10);
	zassert_equal(_SEGGER_RTT.aUp[1].WrOff, 4);
	zassert_mem_equal(up_ring, "ghij", 4);
	zassert_equal(SEGGER_RTT_GetBytesInBuffer(1), 10);
	zassert_equal(host_drain(out, sizeof(out)), 10);
	zassert_mem_equal(out, "abcdefghij", 10);
	zassert_equal(gale_rtt_dropped_count(1), 0);
}

ZTEST(rtt, test_skip_drops_whole_writes)
{
	char out[RING];

	zassert_equal(SEGGER_RTT_Write(1, "0123456789", 10), 10);
	/* 5 bytes free (one byte of the ring always stays free): 10 do not fit. */
	zassert_equal(SEGGER_RTT_Write(1, "abcdefghij", 10), 0);
	zassert_equal(gale_rtt_dropped_count(1), 10);
	zassert_equal(SEGGER_RTT_Write(1, "ABCDE", 5), 5);
	zassert_equal(SEGGER_RTT_Write(1, "x", 1), 0);
	zassert_equal(gale_rtt_dropped[1], 11);
	zassert_equal(host_drain(out, sizeof(out)), 15);
	zassert_mem_equal(out, "0123456789ABCDE", 15);
}

ZTEST(rtt, test_trim_writes_what_fits)
{
	char out[RING];

	zassert_ok(SEGGER_RTT_SetFlagsUpBuffer(1, SEGGER_RTT_MODE_NO_BLOCK_TRIM));
	zassert_equal(gale_rtt_write(1, "0123456789abcdefghij", 20), 15);
	zassert_equal(gale_rtt_dropped_count(1), 5);
	zassert_equal(gale_rtt_write(1, "z", 1), 0);
	zassert_equal(gale_rtt_dropped_count(1), 6);
	zassert_equal(host_drain(out, sizeof(out)), 15);
	zassert_mem_equal(out, "0123456789abcde", 15);
}

static void block_write_isr(const void *arg)
{
	*(int *)arg = gale_rtt_write(1, "0123456789abcdefghij", 20);
}

ZTEST(rtt, test_block_trims_in_isr_and_with_irqs_locked)
{
	int written = -1;
	char out[RING];

	zassert_ok(SEGGER_RTT_SetFlagsUpBuffer(1, SEGGER_RTT_MODE_BLOCK_IF_FIFO_FULL));
	irq_offload(block_write_isr, &written);
	zassert_equal(written, 15, "an ISR must not wait for the host");
	zassert_equal(gale_rtt_dropped_count(1), 5);
	zassert_equal(host_drain(out, sizeof(out)), 15);

	unsigned int key = irq_lock();

	written = gale_rtt_write(1, "0123456789abcdefghij", 20);
	irq_unlock(key);
	zassert_equal(written, 15, "a caller holding interrupts locked must not wait");
	zassert_equal(gale_rtt_dropped_count(1), 10);
}

static volatile bool host_done;
static char host_got[64];
static volatile size_t host_got_n;

static void host_thread(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p1);
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	while (host_got_n < 40) {
		host_got_n += host_drain(&host_got[host_got_n], sizeof(host_got) - host_got_n);
		k_yield();
	}
	host_done = true;
}

static K_THREAD_STACK_DEFINE(host_stack, 1024 + CONFIG_TEST_EXTRA_STACK_SIZE);
static struct k_thread host;

ZTEST(rtt, test_block_waits_for_the_host)
{
	static const char data[] = "0123456789abcdefghijABCDEFGHIJ!@#$%^&*()";

	host_got_n = 0;
	host_done = false;
	zassert_ok(SEGGER_RTT_SetFlagsUpBuffer(1, SEGGER_RTT_MODE_BLOCK_IF_FIFO_FULL));
	k_thread_create(&host, host_stack, K_THREAD_STACK_SIZEOF(host_stack), host_thread, NULL,
			NULL, NULL, k_thread_priority_get(k_current_get()), 0, K_NO_WAIT);
	zassert_equal(gale_rtt_write(1, data, 40), 40);
	zassert_ok(k_thread_join(&host, K_SECONDS(5)));
	zassert_true(host_done);
	zassert_equal(host_got_n, 40);
	zassert_mem_equal(host_got, data, 40);
	zassert_equal(gale_rtt_dropped_count(1), 0);
}

ZTEST(rtt, test_down_buffer_read)
{
	char in[8];

	zassert_equal(gale_rtt_read(1, in, sizeof(in)), 0, "nothing sent yet");
	zassert_equal(SEGGER_RTT_HasData(1), 0);
	host_send("hello", 5);
	zassert_equal(SEGGER_RTT_HasData(1), 5);
	zassert_equal(gale_rtt_read(1, in, 3), 3);
	zassert_mem_equal(in, "hel", 3);
	/* Wraps: the ring is 8 bytes, WrOff goes 5 -> 2. */
	host_send("world", 5);
	zassert_equal(_SEGGER_RTT.aDown[1].WrOff, 2);
	zassert_equal(SEGGER_RTT_Read(1, in, sizeof(in)), 7);
	zassert_mem_equal(in, "loworld", 7);
	zassert_equal(_SEGGER_RTT.aDown[1].RdOff, 2);
	zassert_equal(gale_rtt_read(1, in, sizeof(in)), 0);
}

ZTEST(rtt, test_bad_channels_and_arguments)
{
	char c;

	zassert_equal(gale_rtt_write(3, "x", 1), -EINVAL);
	zassert_equal(gale_rtt_read(2, &c, 1), -EINVAL);
	zassert_equal(gale_rtt_write(2, "x", 1), -EINVAL, "channel 2 has no ring");
	zassert_equal(SEGGER_RTT_Write(7, "x", 1), 0);
	zassert_equal(gale_rtt_config_up(3, NULL, NULL, 0, 0), -EINVAL);
	zassert_equal(gale_rtt_config_up(1, NULL, NULL, 0, 3), -EINVAL);
	zassert_equal(gale_rtt_config_up(1, NULL, up_ring, 1, 0), -EINVAL);
	zassert_equal(gale_rtt_config_down(2, NULL, NULL, 0, 0), -EINVAL);
	/* A host that broke RdOff must not make the target write outside the ring. */
	_SEGGER_RTT.aUp[1].RdOff = 1000;
	zassert_equal(gale_rtt_write(1, "abc", 3), 3);
	zassert_true(_SEGGER_RTT.aUp[1].WrOff < RING);
}

static void isr_write(const void *arg)
{
	ARG_UNUSED(arg);
	gale_rtt_write(1, "I", 1);
}

ZTEST(rtt, test_isr_and_thread_writes_interleave_whole)
{
	char out[RING];

	zassert_equal(gale_rtt_write(1, "ab", 2), 2);
	irq_offload(isr_write, NULL);
	zassert_equal(gale_rtt_write(1, "cd", 2), 2);
	zassert_equal(host_drain(out, sizeof(out)), 5);
	zassert_mem_equal(out, "abIcd", 5);
}
