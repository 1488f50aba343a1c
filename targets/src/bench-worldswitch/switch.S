#ifndef ROUNDS
#define ROUNDS 300000
#endif
/* bench-worldswitch: the hypervisor's world switch, written out as a real one would be. On every
 * guest HVC the EL2 vector saves the guest's 31 GPRs, SP_EL0, SP_EL1, ELR_EL2, SPSR_EL2 and (when
 * FP/SIMD exists) its 32 Q registers and FPSR/FPCR into the vCPU context, "runs the host" (counts
 * the call and computes the reply), then restores everything and ERETs. */

	.equ CTX_X, 0			/* x0..x30 */
	.equ CTX_SP_EL0, 248
	.equ CTX_SP_EL1, 256
	.equ CTX_ELR, 264
	.equ CTX_SPSR, 272
	.equ CTX_FPSR, 280
	.equ CTX_FPCR, 288
	.equ CTX_Q, 304			/* q0..q31, 16-byte aligned */
	.equ CTX_SIZE, 304 + 512

	.bss
	.balign 16
	.global vcpu_ctx
vcpu_ctx:
	.skip CTX_SIZE
	.global host_calls
host_calls:
	.skip 8
	.global have_fp
have_fp:
	.skip 8

	.text
	.balign 2048
	.global ws_vectors
ws_vectors:
	.rept 8
	.balign 128
	b	ws_unexpected
	.endr
	.balign 128			/* lower EL, AArch64, synchronous */
	b	world_switch
	.rept 7
	.balign 128
	b	ws_unexpected
	.endr

ws_unexpected:
	mrs	x0, esr_el2
	mrs	x1, elr_el2
	b	ws_report_unexpected

	.global world_switch
world_switch:
	/* save the guest: x0/x1 first to get a pointer register */
	stp	x0, x1, [sp, #-16]!
	adrp	x0, vcpu_ctx
	add	x0, x0, :lo12:vcpu_ctx
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #0]
	str	x30, [x0, #240]
	mrs	x2, sp_el0
	mrs	x3, sp_el1
	stp	x2, x3, [x0, #CTX_SP_EL0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #CTX_ELR]
	adrp	x4, have_fp
	ldr	x4, [x4, :lo12:have_fp]
	cbz	x4, 1f
	mrs	x2, fpsr
	mrs	x3, fpcr
	stp	x2, x3, [x0, #CTX_FPSR]
	add	x1, x0, #CTX_Q
	stp	q0, q1, [x1, #0]
	stp	q2, q3, [x1, #32]
	stp	q4, q5, [x1, #64]
	stp	q6, q7, [x1, #96]
	stp	q8, q9, [x1, #128]
	stp	q10, q11, [x1, #160]
	stp	q12, q13, [x1, #192]
	stp	q14, q15, [x1, #224]
	stp	q16, q17, [x1, #256]
	stp	q18, q19, [x1, #288]
	stp	q20, q21, [x1, #320]
	stp	q22, q23, [x1, #352]
	stp	q24, q25, [x1, #384]
	stp	q26, q27, [x1, #416]
	stp	q28, q29, [x1, #448]
	stp	q30, q31, [x1, #480]
1:
	/* the host's work: anything but HVC goes to C; an HVC gets x0 = x0 + calls */
	mrs	x2, esr_el2
	lsr	x3, x2, #26
	cmp	x3, #0x16
	b.ne	ws_other
	adrp	x4, host_calls
	ldr	x5, [x4, :lo12:host_calls]
	add	x5, x5, #1
	str	x5, [x4, :lo12:host_calls]
	ldr	x6, [x0, #0]
	add	x6, x6, x5
	str	x6, [x0, #0]

	/* restore the guest */
ws_restore:
	adrp	x0, vcpu_ctx
	add	x0, x0, :lo12:vcpu_ctx
	adrp	x4, have_fp
	ldr	x4, [x4, :lo12:have_fp]
	cbz	x4, 2f
	ldp	x2, x3, [x0, #CTX_FPSR]
	msr	fpsr, x2
	msr	fpcr, x3
	add	x1, x0, #CTX_Q
	ldp	q0, q1, [x1, #0]
	ldp	q2, q3, [x1, #32]
	ldp	q4, q5, [x1, #64]
	ldp	q6, q7, [x1, #96]
	ldp	q8, q9, [x1, #128]
	ldp	q10, q11, [x1, #160]
	ldp	q12, q13, [x1, #192]
	ldp	q14, q15, [x1, #224]
	ldp	q16, q17, [x1, #256]
	ldp	q18, q19, [x1, #288]
	ldp	q20, q21, [x1, #320]
	ldp	q22, q23, [x1, #352]
	ldp	q24, q25, [x1, #384]
	ldp	q26, q27, [x1, #416]
	ldp	q28, q29, [x1, #448]
	ldp	q30, q31, [x1, #480]
2:	ldp	x2, x3, [x0, #CTX_SP_EL0]
	msr	sp_el0, x2
	msr	sp_el1, x3
	ldp	x2, x3, [x0, #CTX_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #0]
	eret

ws_other:				/* SMC (trapped by HCR_EL2.TSC) and anything else: C decides */
	mov	x1, x0
	mov	x0, x2
	bl	ws_host_exit		/* (esr, ctx): powers off or reports */
	b	.

/* enter_guest_ws(entry): first entry, registers cleared */
	.global enter_guest_ws
enter_guest_ws:
	msr	elr_el2, x0
	mov	x1, #0x3c5
	msr	spsr_el2, x1
	.irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	mov	x\r, #0
	.endr
	isb
	eret

/* The guest: fill registers with known values, make ROUNDS hypercalls, then check that none of
 * its registers changed and report through x0 (returns with x0 = sum of calls seen, x1 = number of
 * registers found corrupted) via SMC. */
	.global guest_ws
guest_ws:
	adrp	x9, guest_stack
	add	x9, x9, :lo12:guest_stack
	add	x9, x9, #4096
	mov	sp, x9
	.irp r, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29
	mov	x\r, #(\r * 0x81)
	.endr
	mov	x0, #0
	movz	x1, #(ROUNDS & 0xffff)
	movk	x1, #((ROUNDS >> 16) & 0xffff), lsl #16
	mov	x30, #0			/* sum of the replies */
3:	mov	x0, #0
	hvc	#0
	add	x30, x30, x0
	subs	x1, x1, #1
	b.ne	3b
	/* count registers that no longer hold their value */
	mov	x1, #0
	.irp r, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29
	cmp	x\r, #(\r * 0x81)
	cinc	x1, x1, ne
	.endr
	mov	x2, x30
	movz	x0, #0x8400, lsl #16
	add	x0, x0, #8
	smc	#0
	b	.
