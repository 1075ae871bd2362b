/*
 * The Cortex-M vector table: initial stack pointer, then the handlers of the architecture's
 * exceptions and of CONFIG_NUM_IRQS external interrupts. The handlers default to weak aliases of
 * z_arm_exc_spurious (fault.cc) that the kernel's scheduler and interrupt code replace.
 */
	.syntax unified
	.thumb

	.section .gale_vectors, "a"
	.align 2
	.global _vector_table
_vector_table:
	.word z_interrupt_stacks + CONFIG_ISR_STACK_SIZE
	.word z_arm_reset
	.word z_arm_nmi
	.word z_arm_hard_fault
	.word z_arm_mpu_fault
	.word z_arm_bus_fault
	.word z_arm_usage_fault
	.word 0
	.word 0
	.word 0
	.word 0
	.word z_arm_svc
	.word z_arm_debug_monitor
	.word 0
	.word z_arm_pendsv
	.word z_arm_systick
	.rept CONFIG_NUM_IRQS
	.word z_arm_isr_spurious
	.endr
	.size _vector_table, . - _vector_table

