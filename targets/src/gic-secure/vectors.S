/* gic-secure: EL3 and Secure EL1 vector tables, and the ERET helper. */
#include "vectors.h"

	VECTORS el3_vectors, 3, el3_handler

	.text
	.global eret_el3
eret_el3:
	msr	elr_el3, x0
	msr	spsr_el3, x1
	isb
	eret
