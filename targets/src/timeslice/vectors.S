#include "vectors.h"
	VECTORS hyp_vectors, 2, hyp_trap
	VECTORS guest_vectors, 1, guest_trap

	.text
	.global enter_el1	/* enter_el1(pc, spsr, x0): first ERET into a guest */
enter_el1:
	msr	elr_el2, x0
	msr	spsr_el2, x1
	mov	x0, x2
	mov	x1, #0
	mov	x2, #0
	isb
	eret
