/* smmu-dma: the hypervisor's EL2 vector table (every entry saves a struct frame and calls hyp_trap) and the
 * first entry into the guest. */
#include "vectors.h"

	VECTORS hyp_vectors, 2, hyp_trap

	.text
/* enter_guest(entry, spsr): ERET to the guest with all general registers cleared. */
	.global enter_guest
	.type enter_guest, %function
enter_guest:
	msr	elr_el2, x0
	msr	spsr_el2, x1
	.irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	mov	x\r, #0
	.endr
	isb
	eret
	.size enter_guest, . - enter_guest
