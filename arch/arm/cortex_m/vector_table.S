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
#ifdef CONFIG_ARMV6_M
	/* Reserved on Armv6-M: every fault is a HardFault. */
	.word 0
	.word 0
	.word 0
#else
	.word z_arm_mpu_fault
	.word z_arm_bus_fault
	.word z_arm_usage_fault
#endif
	.word 0
	.word 0
	.word 0
	.word 0
	.word z_arm_svc
#ifdef CONFIG_ARMV6_M
	.word 0
#else
	.word z_arm_debug_monitor
#endif
	.word 0
	.word z_arm_pendsv
	.word z_arm_systick
	/* External interrupt n enters at z_arm_irq_<n>: IRQ_CONNECT defines it (see
	 * gale/arch/arm/arch_inlines.h); unconnected lines stay bound to the spurious handler. */
	.macro irq_vector n
	.word z_arm_irq_\n
	.weak z_arm_irq_\n
	.thumb_set z_arm_irq_\n, z_arm_exc_spurious
	.endm
	.altmacro
	.set irq, 0
	.rept CONFIG_NUM_IRQS
	irq_vector %irq
	.set irq, irq + 1
	.endr
	.noaltmacro
	.size _vector_table, . - _vector_table

/*
 * Faults and unexpected exceptions: pass the stacked frame (MSP or PSP, by EXC_RETURN bit 2)
 * and EXC_RETURN to z_arm_fault_handler (fault.cc), and return if it lets the system go on.
 */
	.section .text.z_arm_exc_spurious, "ax"
	.thumb_func
	.global z_arm_exc_spurious
	.type z_arm_exc_spurious, %function
z_arm_exc_spurious:
#ifdef CONFIG_ARMV6_M
	/* Thumb-1: no test against an immediate, no IT block. */
	movs r0, #4
	mov r1, lr
	tst r0, r1
	bne 1f
	mrs r0, msp
	b 2f
1:
	mrs r0, psp
2:
#else
	tst lr, #4
	ite eq
	mrseq r0, msp
	mrsne r0, psp
	mov r1, lr
#endif
	push {r4, lr}
	bl z_arm_fault_handler
	pop {r4, pc}
	.size z_arm_exc_spurious, . - z_arm_exc_spurious

	.irp handler, z_arm_nmi, z_arm_hard_fault, z_arm_mpu_fault, z_arm_bus_fault, z_arm_usage_fault, z_arm_svc, z_arm_debug_monitor, z_arm_pendsv, z_arm_systick
	.weak \handler
	.thumb_set \handler, z_arm_exc_spurious
	.endr
