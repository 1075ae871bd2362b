/*
 * Run a function in interrupt context (Zephyr's irq_offload.h), for tests of ISR behaviour.
 */
#ifndef GALE_IRQ_OFFLOAD_H_
#define GALE_IRQ_OFFLOAD_H_

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*irq_offload_routine_t)(const void *parameter);

/**
 * Run @p routine(@p parameter) in interrupt context and return when it has run; a thread it
 * readies runs after it, as after any interrupt.
 *
 * @pre thread context, interrupts unlocked, CONFIG_IRQ_OFFLOAD
 */
void irq_offload(irq_offload_routine_t routine, const void *parameter);

#ifdef __cplusplus
}
#endif

#endif /* GALE_IRQ_OFFLOAD_H_ */
