#include "vectors.h"
	VECTORS el3_vectors, 3, el3_trap
	VECTORS el2_vectors, 2, el2_trap

	.text
	.global eret_to		/* eret_to(elr, spsr) at EL3 */
eret_to:
	msr	elr_el3, x0
	msr	spsr_el3, x1
	isb
	eret
	.global eret2_to	/* eret2_to(elr, spsr) at EL2, registers cleared */
eret2_to:
	msr	elr_el2, x0
	msr	spsr_el2, x1
	mov	x0, #0
	mov	x1, #0
	isb
	eret
