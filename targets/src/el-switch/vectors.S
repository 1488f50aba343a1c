/* el-switch: one vector table per EL, each calling its C handler with a saved frame. */
#include "vectors.h"

	VECTORS el3_vectors, 3, el3_handler
	VECTORS el2_vectors, 2, el2_handler
	VECTORS el1_vectors, 1, el1_handler

/* eret_to(elr, spsr, sp_for_lower): program the current EL's ELR/SPSR and ERET. The lower EL's
 * stack pointer is set by the caller (SP_ELx registers), so this only does the return. */
	.text
	.global eret_el3
eret_el3:
	msr	elr_el3, x0
	msr	spsr_el3, x1
	isb
	eret
	.global eret_el2
eret_el2:
	msr	elr_el2, x0
	msr	spsr_el2, x1
	isb
	eret
	.global eret_el1
eret_el1:
	msr	elr_el1, x0
	msr	spsr_el1, x1
	isb
	eret
