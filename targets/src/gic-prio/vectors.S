#include "vectors.h"
	VECTORS hyp_vectors, 2, hyp_trap

	.text
	.global enter_el1	/* enter_el1(pc, spsr) */
enter_el1:
	msr	elr_el2, x0
	msr	spsr_el2, x1
	isb
	eret
