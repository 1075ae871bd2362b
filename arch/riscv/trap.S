/*
 * RISC-V trap entry and exit, and with them the context switch.
 *
 * Every trap (interrupt, ecall, exception) saves all registers, mepc and mstatus in a 128-byte
 * frame (struct arch_esf, gale/arch/cpu.h) on the stack it interrupted, moves to the interrupt
 * stack unless it already is on it (a fault inside a handler), and calls
 * z_riscv_trap_handler(frame) (irq.cc). That returns the frame to resume: the same one, or, when
 * the outermost trap leaves a different thread to run, the incoming thread's saved frame. So a
 * switched-out thread's context is exactly the frame of the trap that switched it out:
 * arch_swap() traps with ecall, preemption happens on interrupt exit.
 */
#define FRAME_SIZE 128

	.section .text.z_riscv_trap, "ax"
	.balign 4 /* mtvec direct mode: the low two bits are the mode */
	.global z_riscv_trap
	.type z_riscv_trap, @function
z_riscv_trap:
	addi sp, sp, -FRAME_SIZE
	sw ra, 0(sp)
	sw t0, 4(sp)
	sw t1, 8(sp)
	sw t2, 12(sp)
	sw a0, 16(sp)
	sw a1, 20(sp)
	sw a2, 24(sp)
	sw a3, 28(sp)
	sw a4, 32(sp)
	sw a5, 36(sp)
	sw a6, 40(sp)
	sw a7, 44(sp)
	sw t3, 48(sp)
	sw t4, 52(sp)
	sw t5, 56(sp)
	sw t6, 60(sp)
	csrr t0, mepc
	sw t0, 64(sp)
	csrr t0, mstatus
	sw t0, 68(sp)
	sw tp, 72(sp)
	sw s0, 76(sp)
	sw s1, 80(sp)
	sw s2, 84(sp)
	sw s3, 88(sp)
	sw s4, 92(sp)
	sw s5, 96(sp)
	sw s6, 100(sp)
	sw s7, 104(sp)
	sw s8, 108(sp)
	sw s9, 112(sp)
	sw s10, 116(sp)
	sw s11, 120(sp)
	addi t0, sp, FRAME_SIZE
	sw t0, 124(sp)

	mv s0, sp
	la t0, z_riscv_nested
	lw t1, 0(t0)
	addi t2, t1, 1
	sw t2, 0(t0)
	bnez t1, 1f
	la sp, z_interrupt_stacks + CONFIG_ISR_STACK_SIZE
1:
	mv a0, s0
	call z_riscv_trap_handler
	/* a0: the frame to resume. Interrupts stay off (MIE is clear in a trap) until mret. */
	mv sp, a0
	la t0, z_riscv_nested
	lw t1, 0(t0)
	addi t1, t1, -1
	sw t1, 0(t0)

	lw t0, 64(sp)
	csrw mepc, t0
	lw t0, 68(sp)
	csrw mstatus, t0
	lw ra, 0(sp)
	lw t0, 4(sp)
	lw t1, 8(sp)
	lw t2, 12(sp)
	lw a0, 16(sp)
	lw a1, 20(sp)
	lw a2, 24(sp)
	lw a3, 28(sp)
	lw a4, 32(sp)
	lw a5, 36(sp)
	lw a6, 40(sp)
	lw a7, 44(sp)
	lw t3, 48(sp)
	lw t4, 52(sp)
	lw t5, 56(sp)
	lw t6, 60(sp)
	lw tp, 72(sp)
	lw s0, 76(sp)
	lw s1, 80(sp)
	lw s2, 84(sp)
	lw s3, 88(sp)
	lw s4, 92(sp)
	lw s5, 96(sp)
	lw s6, 100(sp)
	lw s7, 104(sp)
	lw s8, 108(sp)
	lw s9, 112(sp)
	lw s10, 116(sp)
	lw s11, 120(sp)
	addi sp, sp, FRAME_SIZE
	mret
	.size z_riscv_trap, . - z_riscv_trap

/*
 * The PLIC dispatch table: entry n is z_riscv_irq_<n>, which IRQ_CONNECT defines (see
 * gale/arch/riscv/arch_inlines.h); unconnected sources stay bound to the spurious handler.
 * Entries are called with a0 = the source number.
 */
	.section .rodata.z_riscv_irq_table, "a"
	.balign 4
	.global z_riscv_irq_table
z_riscv_irq_table:
	.macro irq_entry n
	.word z_riscv_irq_\n
	.weak z_riscv_irq_\n
	.set z_riscv_irq_\n, z_riscv_irq_spurious
	.endm
	.altmacro
	.set irq, 0
	.rept CONFIG_NUM_IRQS
	irq_entry %irq
	.set irq, irq + 1
	.endr
	.noaltmacro
	.size z_riscv_irq_table, . - z_riscv_irq_table
