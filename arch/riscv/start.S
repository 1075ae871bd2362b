/*
 * RISC-V reset entry, linked first at the start of the image: the boot ROM (QEMU's reset
 * vector, the HiFive1 bootloader) jumps here in machine mode. Interrupts off, the start-up
 * stack is the interrupt stack, traps go to z_riscv_trap, then C takes over.
 */
	.section .gale_reset, "ax"
	.option push
	.option norelax
	.global _start
	.type _start, @function
_start:
	csrci mstatus, 8
	csrw mie, zero
	la sp, z_interrupt_stacks + CONFIG_ISR_STACK_SIZE
	la t0, z_riscv_trap
	csrw mtvec, t0
	/* No thread pointer yet (z_riscv_reset sets the boot TLS block up). */
	mv tp, zero
	call z_riscv_reset
1:
	wfi
	j 1b
	.size _start, . - _start
	.option pop
