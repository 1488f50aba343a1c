/* vhe-host: the EL0 "process" (runs at a user VA alias of this page, 0x0800_0000 + offset). */
#include "vectors.h"
	VECTORS host_vectors, 2, host_trap

	.section .text.user, "ax"
	.balign 4096
	.global user_entry
user_entry:
	movz	x9, #0x1000, lsl #16		/* VA 0x1000_0000: this process's data (ASID-tagged) */
	ldr	x1, [x9]
	svc	#1
	movz	x9, #0x4008, lsl #16		/* the kernel's own VA: EL0 has no access */
	ldr	x2, [x9]
	svc	#2
	b	.
	.balign 4096

	.text
	.global eret_to_el0		/* eret_to_el0(pc): EL0t, registers cleared */
eret_to_el0:
	msr	elr_el2, x0
	msr	spsr_el2, xzr
	mov	x0, #0
	mov	x1, #0
	mov	x2, #0
	isb
	eret
