#include "vectors.h"
	VECTORS hyp_vectors, 2, hyp_trap
	VECTORS guest_vectors, 1, guest_trap

	.text
	.global enter_el1	/* enter_el1(pc, spsr): ERET to EL1, x0-x3 cleared */
enter_el1:
	msr	elr_el2, x0
	msr	spsr_el2, x1
	mov	x0, #0
	mov	x1, #0
	isb
	eret
