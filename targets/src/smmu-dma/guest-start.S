/* smmu-dma guest entry (IPA 0x4000_0000, EL1, stage 1 off) and its EL1 vectors. */
#include "vectors.h"

	.section .text.guest_entry, "ax"
	.global guest_entry
guest_entry:
	adrp	x9, __guest_stack_top
	add	x9, x9, :lo12:__guest_stack_top
	mov	sp, x9
	adrp	x9, __guest_bss_start
	add	x9, x9, :lo12:__guest_bss_start
	adrp	x10, __guest_bss_end
	add	x10, x10, :lo12:__guest_bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	adrp	x9, guest_vectors
	add	x9, x9, :lo12:guest_vectors
	msr	vbar_el1, x9
	isb
	bl	guest_main
	b	.

	VECTORS guest_vectors, 1, guest_exception
