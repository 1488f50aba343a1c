/* Entry point shared by the targets: set up a stack, clear .bss, install the default vector table
 * for the EL we start at, call main(), then power off. QEMU's virt (-kernel ELF) and el2scope enter
 * here at the ELF entry point with the MMU off. */
#include "vectors.h"

	.section .text.boot, "ax"
	.global _start
	.type _start, %function
_start:
	adrp	x9, __stack_top
	add	x9, x9, :lo12:__stack_top
	mov	sp, x9
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	adrp	x9, lib_vectors
	add	x9, x9, :lo12:lib_vectors
	mrs	x10, CurrentEL
	cmp	x10, #(3 << 2)
	b.eq	3f
	cmp	x10, #(2 << 2)
	b.eq	4f
	msr	vbar_el1, x9
	b	5f
3:	msr	vbar_el3, x9
	b	5f
4:	msr	vbar_el2, x9
5:	isb
	bl	main
	bl	system_off
	.size _start, . - _start

/* Default vectors: report and power off. Installed for whichever EL we started at; the EL's
 * registers are read in C (lib_unexpected). */
	.section .text.vectors, "ax"
	.balign 2048
	.global lib_vectors
lib_vectors:
	.set .Lslot, 0
	.rept 16
	.balign 128
	mov	x0, #.Lslot
	b	lib_unexpected
	.set .Lslot, .Lslot + 1
	.endr
