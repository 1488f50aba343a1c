/* nv: the syndromes harness plus test bodies for FEAT_NV/FEAT_NV2 (a guest hypervisor at EL1). */
	.arch armv8.4-a
#include "../syndromes/tests.S"

	.text
	.macro TEST3 name
	.global \name
	.type \name, %function
\name:
	.endm

TEST3 t_nv_currentel
	mrs	x0, CurrentEL
	ret
TEST3 t_nv_mrs_hcr
	mrs	x0, hcr_el2
	ret
TEST3 t_nv_msr_vttbr
	mov	x1, #0x1234
	msr	vttbr_el2, x1
	mov	x0, #0x99
	ret
TEST3 t_nv_mrs_tpidr2
	mrs	x0, tpidr_el2
	ret
TEST3 t_nv_sctlr12
	mrs	x0, sctlr_el12
	ret
TEST3 t_nv_eret
	adr	x1, 1f
	msr	elr_el1, x1
	mov	x1, #0x3c5
	msr	spsr_el1, x1
	eret
1:	mov	x0, #0x31
	ret
