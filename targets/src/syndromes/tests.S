/* syndromes: the test bodies (leaf functions, x30 untouched so the handlers can resume at x30),
 * the two vector tables and the EL2 <-> lower-EL switch. */
#include "vectors.h"

	VECTORS el2_vectors, 2, el2_handler
	VECTORS el1_vectors, 1, el1_handler

	.text
/* u64 enter_lower(void (*fn)(void), u64 spsr, void (*done)(void)): run fn at the EL/SP described
 * by spsr with x30 = done; the done stub ends with SMC/SVC #0xffff and the EL2 handler calls
 * resume_el2(x0), which returns from enter_lower. */
	.global enter_lower
enter_lower:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	adrp	x9, saved_el2_sp
	mov	x10, sp
	str	x10, [x9, :lo12:saved_el2_sp]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	mov	x30, x2
	mov	x0, #0
	mov	x1, #0
	mov	x2, #0
	mov	x3, #0
	isb
	eret

	.global resume_el2
resume_el2:
	adrp	x9, saved_el2_sp
	ldr	x10, [x9, :lo12:saved_el2_sp]
	mov	sp, x10
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

	.global el1_done
el1_done:			/* SMC always reaches EL2: HCR_EL2.TSC is set in every test */
	smc	#0xffff
	b	.
	.global el0_done
el0_done:
	svc	#0xffff
	b	.
	.global el1_back_to_el2
el1_back_to_el2:		/* x0 = result; called by the EL1 handler */
	smc	#0xffff
	b	.

	.bss
	.balign 8
saved_el2_sp:
	.skip 8

	.text
	.macro TEST name
	.global \name
	.type \name, %function
\name:
	.endm

TEST t_udf
	udf	#0x1234
	ret
TEST t_mrs_el0
	mrs	x0, sctlr_el1
	ret
TEST t_svc
	svc	#0x42
	mov	x0, #0x5c
	ret
TEST t_hvc
	mov	x0, #0
	hvc	#0x44
	ret
TEST t_smc
	mov	x0, #0
	smc	#0x45
	ret
TEST t_brk
	brk	#0x46
	ret
TEST t_pc_align			/* RET, not BR: BR would also set PSTATE.BTYPE on FEAT_BTI CPUs */
	adr	x1, 1f
	add	x1, x1, #2
	ret	x1
1:	nop
	ret
TEST t_sp_align_el1t
	msr	spsel, #0
TEST t_sp_align
	mov	x1, sp
	add	x1, x1, #4
	mov	sp, x1
	ldr	x0, [sp]
	ret
TEST t_ldr_unaligned
	adrp	x1, scratch
	add	x1, x1, :lo12:scratch
	add	x1, x1, #1
	ldr	x0, [x1]
	ret
TEST t_ldxr_align
	adrp	x1, scratch
	add	x1, x1, :lo12:scratch
	add	x1, x1, #4
	ldxr	x0, [x1]
	ret
TEST t_stxr_align
	adrp	x1, scratch
	add	x1, x1, :lo12:scratch
	add	x1, x1, #2
	mov	x3, #7
	stxr	w2, w3, [x1]
	ret
TEST t_mrs_tid3
	mov	x2, #0
	mrs	x2, id_aa64pfr0_el1
	mov	x0, x2
	ret
TEST t_msr_tvm
	mrs	x5, sctlr_el1
	msr	sctlr_el1, x5
	mov	x0, #0x77
	ret
TEST t_wfi
	wfi
	mov	x0, #0x88
	ret
TEST t_fp
	fmov	d0, x1
	mov	x0, #0x99
	ret
TEST t_eret_el0
	eret
	ret
TEST t_illegal_ret
	mov	x1, #0x3c9		/* SPSR: EL2h, DAIF masked: not reachable from EL1 */
	msr	spsr_el1, x1
	adr	x1, 1f
	msr	elr_el1, x1
	eret
1:	nop
	ret

	.bss
	.balign 16
	.global scratch
scratch:
	.skip 64
