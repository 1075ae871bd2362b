/*
 * The Cortex-M vector table: initial stack pointer, then the handlers of the architecture's
 * exceptions and of CONFIG_NUM_IRQS external interrupts. The handlers default to weak aliases of
 * z_arm_exc_spurious (below) that the kernel's scheduler and interrupt code replace.
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


/*
 * Every fault and unexpected exception lands here: find the stacked frame (MSP or PSP, from
 * EXC_RETURN bit 2) and report it with the exception number (fault.cc).
 */
	.section .text.z_arm_exc_spurious, "ax"
	.thumb_func
	.global z_arm_exc_spurious
	.type z_arm_exc_spurious, %function
z_arm_exc_spurious:
	tst lr, #4
	ite eq
	mrseq r0, msp
	mrsne r0, psp
	mrs r1, ipsr
	b z_arm_fault_report
	.size z_arm_exc_spurious, . - z_arm_exc_spurious

	.irp handler, z_arm_nmi, z_arm_hard_fault, z_arm_mpu_fault, z_arm_bus_fault, z_arm_usage_fault, z_arm_svc, z_arm_debug_monitor, z_arm_pendsv, z_arm_systick, z_arm_isr_spurious
	.weak \handler
	.thumb_set \handler, z_arm_exc_spurious
	.endr
