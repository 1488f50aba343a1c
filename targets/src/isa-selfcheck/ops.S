/* isa-selfcheck: instruction groups in assembly. Each function takes operands in x0/x1 (and more
 * where noted) and writes its results to the buffer at x2 (or x3), one 64-bit word each, NZCV after
 * flag-setting instructions; it returns the number of words written. */
	.arch armv8.1-a+crc

	.macro OUT reg
	str	\reg, [x2], #8
	.endm
	.macro OUTF reg		/* result and flags */
	mrs	x9, nzcv
	stp	\reg, x9, [x2], #16
	.endm
	.macro BEGIN name
	.text
	.global \name
	.type \name, %function
\name:
	mov	x15, x2
	.endm
	.macro END name
	sub	x0, x2, x15
	lsr	x0, x0, #3
	ret
	.size \name, . - \name
	.endm

/* ---- add/sub, carries and flags, conditional compare/select ---- */
BEGIN op_arith
	adds	x3, x0, x1
	OUTF	x3
	adds	w3, w0, w1
	OUTF	x3
	subs	x3, x0, x1
	OUTF	x3
	subs	w3, w0, w1
	OUTF	x3
	cmn	x0, x1
	adcs	x3, x0, x1
	OUTF	x3
	cmp	x0, x1
	adcs	w3, w0, w1
	OUTF	x3
	cmp	x1, x0
	sbcs	x3, x0, x1
	OUTF	x3
	cmp	x0, x1
	sbcs	w3, w0, w1
	OUTF	x3
	cmp	x0, x1
	adc	x3, x0, x1
	sbc	x4, x1, x0
	ngc	x5, x0
	ngcs	w6, w1
	OUTF	x3
	OUT	x4
	OUT	x5
	OUT	x6
	negs	x3, x0
	OUTF	x3
	negs	w3, w1
	OUTF	x3
	add	x3, x0, #0xfff
	sub	x4, x1, #0x123, lsl #12
	adds	w5, w0, #1
	OUTF	x5
	subs	x6, x1, #4095, lsl #12
	OUTF	x6
	OUT	x3
	OUT	x4
	add	x3, x0, x1, lsl #3
	sub	x4, x0, x1, lsr #17
	adds	x5, x0, x1, asr #63
	OUTF	x5
	subs	w6, w0, w1, asr #5
	OUTF	x6
	add	w7, w0, w1, lsl #31
	OUT	x3
	OUT	x4
	OUT	x7
	add	x3, x0, w1, uxtb
	add	x4, x0, w1, sxth #2
	sub	x5, x0, w1, sxtw #4
	add	x6, x0, x1, uxtx #1
	adds	w7, w0, w1, uxth #3
	OUTF	x7
	subs	x8, x0, w1, sxtb
	OUTF	x8
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	mov	x10, sp
	add	x3, sp, x1, uxtx #0	/* SP as base of an extended add */
	sub	x3, x3, x10
	OUT	x3
	/* every condition after CMP and after CMN: packed into one word */
	cmp	x0, x1
	mov	x3, #0
	.irp c, eq, ne, cs, cc, mi, pl, vs, vc, hi, ls, ge, lt, gt, le
	cset	x4, \c
	orr	x3, x4, x3, lsl #1
	.endr
	csinc	x4, xzr, xzr, al	/* AL and NV both mean "always": result xzr = 0 */
	orr	x3, x4, x3, lsl #1
	csinc	x4, xzr, xzr, nv
	orr	x3, x4, x3, lsl #1
	cmn	w0, w1
	.irp c, eq, ne, cs, cc, mi, pl, vs, vc, hi, ls, ge, lt, gt, le
	cset	w4, \c
	orr	x3, x4, x3, lsl #1
	.endr
	OUT	x3
	cmp	x0, x1
	csel	x3, x0, x1, lt
	csinc	x4, x0, x1, hi
	csinv	w5, w0, w1, ge
	csneg	x6, x0, x1, le
	csetm	x7, vs
	cinc	x8, x0, mi
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	cmp	x0, #5
	ccmp	x0, x1, #0xa, ge
	OUTF	xzr
	cmp	x1, #0
	ccmn	w0, #3, #0x5, ne
	OUTF	xzr
	ccmp	x1, #31, #0xf, cc
	OUTF	xzr
	ccmn	x0, x1, #0x0, vc
	OUTF	xzr
	mov	x3, #0
	msr	nzcv, x3
	cmp	w0, #0
	OUTF	xzr
END op_arith

/* ---- logical (register, shifted, immediate), shifts, moves ---- */
BEGIN op_logic
	and	x3, x0, x1
	orr	x4, x0, x1, lsl #7
	eor	x5, x0, x1, lsr #13
	bic	x6, x0, x1, asr #2
	orn	x7, x0, x1, ror #9
	eon	x8, x0, x1, ror #63
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	ands	x3, x0, x1, ror #1
	OUTF	x3
	bics	w3, w0, w1, lsl #4
	OUTF	x3
	and	w3, w0, w1, ror #31
	orr	w4, w0, w1, asr #3
	eor	w5, w1, w0
	orn	w6, wzr, w0
	eon	w7, w0, w1, lsr #30
	bic	w8, w1, w0
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	and	x3, x0, #0x5555555555555555
	orr	x4, x0, #0x00ff00ff00ff00ff
	eor	x5, x0, #0xfffffffffffffffe
	and	x6, x1, #0x0000ffff0000ffff
	orr	x7, x1, #0x3
	eor	x8, x1, #0x7ffffffffffffff0
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	and	w3, w0, #0x0f0f0f0f
	orr	w4, w0, #0x80000001
	eor	w5, w1, #0xfffe
	ands	x6, x0, #0xc000000000000003
	OUTF	x6
	tst	w1, #0x1
	OUTF	xzr
	tst	x0, #0x8000000000000000
	OUTF	xzr
	OUT	x3
	OUT	x4
	OUT	x5
	orr	x3, xzr, #0x1111111111111111
	mov	x4, #0xffff0000ffff0000
	OUT	x3
	OUT	x4
	lslv	x3, x0, x1
	lsrv	x4, x0, x1
	asrv	x5, x0, x1
	rorv	x6, x0, x1
	lslv	w7, w0, w1
	lsrv	w8, w0, w1
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	asrv	w3, w0, w1
	rorv	w4, w0, w1
	lsl	x5, x0, #17
	lsr	w6, w1, #9
	asr	x7, x1, #40
	ror	w8, w0, #5
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	movz	x3, #0xbeef, lsl #32
	movk	x3, #0xdead, lsl #48
	movk	x3, #0x1234
	movn	x4, #0x55, lsl #16
	movn	w5, #0x1
	movz	w6, #0x8000, lsl #16
	mov	x7, x0
	movk	w7, #0xabcd, lsl #16
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
END op_logic

/* ---- bitfield, extract, extend, bit counting and reversal ---- */
BEGIN op_bits
	ubfx	x3, x0, #5, #17
	sbfx	x4, x0, #60, #4
	ubfx	w5, w1, #31, #1
	sbfx	w6, w1, #3, #20
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	mov	x3, x1
	bfi	x3, x0, #8, #12
	mov	x4, x1
	bfxil	x4, x0, #40, #24
	mov	w5, w1
	bfi	w5, w0, #0, #31
	mov	x6, x0
	bfi	x6, xzr, #4, #56
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	ubfiz	x3, x0, #33, #13
	sbfiz	x4, x1, #2, #7
	ubfiz	w5, w0, #16, #16
	sbfiz	w6, w1, #30, #2
	sbfm	x7, x0, #50, #10	/* rotate-and-extract form with immr > imms */
	ubfm	w8, w1, #20, #3
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	extr	x3, x0, x1, #13
	extr	w4, w0, w1, #31
	extr	x5, x1, x1, #1
	sxtb	x6, w0
	sxth	w7, w1
	sxtw	x8, w0
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	uxtb	w3, w1
	uxth	w4, w0
	clz	x5, x0
	clz	w6, w1
	cls	x7, x0
	cls	w8, w1
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	rbit	x3, x0
	rbit	w4, w1
	rev	x5, x0
	rev	w6, w1
	rev16	x7, x0
	rev32	x8, x1
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	rev16	w3, w0
	OUT	x3
END op_bits

/* ---- multiply and divide ---- */
BEGIN op_muldiv
	mul	x3, x0, x1
	mul	w4, w0, w1
	madd	x5, x0, x1, x0
	msub	x6, x0, x1, x1
	mneg	w7, w0, w1
	madd	w8, w1, w1, w0
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	smaddl	x3, w0, w1, x0
	umaddl	x4, w0, w1, x1
	smsubl	x5, w1, w0, x1
	umsubl	x6, w1, w1, x0
	smull	x7, w0, w1
	umull	x8, w0, w1
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	smulh	x3, x0, x1
	umulh	x4, x0, x1
	smnegl	x5, w0, w1
	umnegl	x6, w0, w0
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	udiv	x3, x0, x1
	sdiv	x4, x0, x1
	udiv	w5, w0, w1
	sdiv	w6, w0, w1
	udiv	x7, x1, x0
	sdiv	w8, w1, w0
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
END op_muldiv

/* ---- CRC32 / CRC32C: x0 = seed, x1 = data ---- */
BEGIN op_crc
	crc32b	w3, w0, w1
	crc32h	w4, w0, w1
	crc32w	w5, w0, w1
	crc32x	w6, w0, x1
	crc32cb	w7, w0, w1
	crc32ch	w8, w0, w1
	OUT	x3
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	crc32cw	w3, w0, w1
	crc32cx	w4, w1, x0
	OUT	x3
	OUT	x4
END op_crc

/* ---- loads and stores: every addressing mode. x0 = pattern, x1 = scratch buffer (>= 256 bytes,
 * 16-byte aligned), x2 = out. ---- */
BEGIN op_ldst
	mov	x10, x1
	add	x3, x0, #1
	str	x0, [x10]
	str	x3, [x10, #8]
	str	w0, [x10, #16]
	strh	w3, [x10, #20]
	strb	w0, [x10, #22]
	strb	w3, [x10, #23]
	ldr	x4, [x10]
	ldr	w5, [x10, #16]
	ldrh	w6, [x10, #20]
	ldrb	w7, [x10, #23]
	ldrsb	x8, [x10, #22]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	ldrsh	x4, [x10, #20]
	ldrsh	w5, [x10, #16]
	ldrsb	w6, [x10, #23]
	ldrsw	x7, [x10, #16]
	ldrsw	x8, [x10, #4]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	/* pre/post index, writeback visible in the base register */
	add	x11, x10, #32
	str	x0, [x11, #16]!
	sub	x4, x11, x10
	str	w3, [x11], #-8
	sub	x5, x11, x10
	ldr	x6, [x11, #8]!
	sub	x7, x11, x10
	ldrh	w8, [x11], #2
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	sub	x4, x11, x10
	ldrsb	x5, [x11, #-1]!
	ldrsh	w6, [x11, #1]!	/* base now 16-byte aligned + 50: halfword aligned */
	sub	x7, x11, x10
	strb	w0, [x11], #1
	sub	x8, x11, x10
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	/* unscaled */
	stur	x0, [x10, #-0]
	stur	w3, [x10, #100]
	sturh	w0, [x10, #98]
	sturb	w3, [x10, #97]
	ldur	x4, [x10, #96]
	ldur	w5, [x10, #100]
	ldursh	x6, [x10, #98]
	ldursb	w7, [x10, #97]
	ldursw	x8, [x10, #100]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	/* register offset */
	mov	x12, #3
	mov	w13, #-2
	str	x0, [x10, x12, lsl #3]
	ldr	x4, [x10, #24]
	str	w3, [x10, w12, uxtw #2]
	ldr	w5, [x10, #12]
	add	x14, x10, #64
	ldr	x6, [x14, w13, sxtw #3]	/* x10 + 48 */
	strh	w0, [x14, x12, lsl #1]
	ldrh	w7, [x14, #6]
	ldrb	w8, [x10, x12]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	ldrsw	x4, [x14, w13, sxtw #2]
	ldrsh	x5, [x14, w13, sxtw]
	ldrsb	x6, [x14, w13, sxtw]
	OUT	x4
	OUT	x5
	OUT	x6
	/* literal */
	ldr	x4, lit64
	ldr	w5, lit32
	ldrsw	x6, lit32
	adr	x7, lit64
	adrp	x8, lit64
	sub	x7, x7, x8
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	prfm	pldl1keep, [x10]
	prfm	pstl2strm, lit64
	/* pairs */
	stp	x0, x3, [x10, #128]
	ldp	x4, x5, [x10, #128]
	stp	w3, w0, [x10, #144]!
	sub	x6, x10, x1
	ldp	w7, w8, [x10], #-16
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	sub	x4, x10, x1
	ldpsw	x5, x6, [x10, #16]
	stnp	x6, x5, [x10, #32]
	ldnp	x7, x8, [x10, #32]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	stp	x0, x3, [x10, #-16]!
	ldp	x4, x5, [x10], #16
	sub	x6, x10, x1
	OUT	x4
	OUT	x5
	OUT	x6
	/* acquire/release */
	mov	x10, x1
	stlr	x0, [x10]
	ldar	x4, [x10]
	stlrb	w3, [x10, #0]
	ldarb	w5, [x10]
	stlrh	w3, [x10]
	ldarh	w6, [x10]
	stlr	w0, [x10]
	ldar	w7, [x10]
	ldr	x8, [x10]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	/* load/store of XZR/WZR and SP-based addressing */
	str	xzr, [x10, #8]
	ldr	x4, [x10, #8]
	mov	x12, sp
	sub	sp, sp, #32
	stp	x0, x3, [sp, #16]
	ldr	x5, [sp, #16]
	ldr	x6, [sp, #24]
	mov	x13, sp
	add	sp, sp, #32
	sub	x7, x12, x13
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
END op_ldst

/* ---- exclusives: x0 = value, x1 = buffer ---- */
BEGIN op_excl
	mov	x10, x1
	str	x0, [x10]
	clrex
	stxr	w4, x0, [x10]	/* monitor open: must fail, status 1 */
	OUT	x4
	ldxr	x5, [x10]
	add	x5, x5, #1
	stxr	w6, x5, [x10]	/* must succeed, status 0 */
	ldr	x7, [x10]
	OUT	x5
	OUT	x6
	OUT	x7
	ldaxr	w5, [x10]
	eor	w5, w5, #0xff
	stlxr	w6, w5, [x10]
	ldr	x7, [x10]
	OUT	x6
	OUT	x7
	ldxrb	w5, [x10]
	stxrb	w6, w0, [x10]
	ldxrh	w7, [x10]
	stxrh	w8, w7, [x10, #0]
	OUT	x5
	OUT	x6
	OUT	x8
	ldr	x7, [x10]
	OUT	x7
	ldxp	x5, x6, [x10]
	stxp	w7, x6, x5, [x10]
	ldp	x8, x9, [x10]
	OUT	x7
	OUT	x8
	OUT	x9
	ldaxp	w5, w6, [x10]
	stlxp	w7, w6, w5, [x10]
	ldr	x8, [x10]
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	/* an atomic increment loop */
	mov	x11, #10
1:	ldaxr	x5, [x10]
	add	x5, x5, x0
	stlxr	w6, x5, [x10]
	cbnz	w6, 1b
	subs	x11, x11, #1
	b.ne	1b
	ldr	x7, [x10]
	OUT	x7
END op_excl

/* ---- LSE atomics: x0 = operand, x1 = buffer (two words initialised by the caller) ---- */
BEGIN op_lse
	mov	x10, x1
	ldadd	x0, x4, [x10]
	ldclra	x0, x5, [x10]
	ldeorl	x0, x6, [x10]
	ldsetal	x0, x7, [x10]
	ldr	x8, [x10]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	ldsmax	x0, x4, [x10]
	ldsmin	x0, x5, [x10]
	ldumax	x0, x6, [x10]
	ldumin	x0, x7, [x10]
	ldr	x8, [x10]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	ldaddb	w0, w4, [x10]
	ldclrh	w0, w5, [x10]
	ldeor	w0, w6, [x10]
	ldsmaxb	w0, w7, [x10]
	ldsminh	w0, w8, [x10]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	ldumaxh	w0, w4, [x10]
	lduminb	w0, w5, [x10]
	swp	x0, x6, [x10]
	swpal	w6, w7, [x10]
	swpb	w0, w8, [x10]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	ldr	x4, [x10]
	mov	x5, x4
	cas	x5, x0, [x10]		/* compare matches: store */
	ldr	x6, [x10]
	mov	x7, #1
	casal	x7, x4, [x10]		/* compare fails (unless equal): x7 gets memory */
	ldr	x8, [x10]
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	ldr	w4, [x10]
	casb	w4, w0, [x10]
	caslh	w4, w0, [x10]
	casa	w4, w0, [x10]
	ldr	x5, [x10]
	OUT	x4
	OUT	x5
	ldp	x4, x5, [x10]
	casp	x4, x5, x0, x1, [x10]
	ldp	x6, x7, [x10]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	mov	x6, #0
	mov	x7, #0
	caspal	x6, x7, x0, x1, [x10]	/* fails unless memory is zero */
	ldp	x8, x9, [x10]
	OUT	x6
	OUT	x7
	OUT	x8
	OUT	x9
	stadd	x0, [x10]
	stclrl	w0, [x10]
	steorb	w0, [x10]
	stsmax	x0, [x10]
	stumin	w0, [x10]
	ldr	x4, [x10]
	OUT	x4
END op_lse

/* ---- branches and conditional branches: returns a bit pattern of taken branches ---- */
BEGIN op_branch
	mov	x17, x30
	mov	x3, #0
	cbz	x0, 1f
	orr	x3, x3, #1
1:	cbnz	w1, 2f
	orr	x3, x3, #2
2:	tbz	x0, #63, 3f
	orr	x3, x3, #4
3:	tbnz	w1, #0, 4f
	orr	x3, x3, #8
4:	cmp	x0, x1
	b.hi	5f
	orr	x3, x3, #16
5:	b.le	6f
	orr	x3, x3, #32
6:	adr	x4, 7f
	br	x4
	orr	x3, x3, #64
7:	bl	8f
	orr	x3, x3, #128
	b	9f
8:	adr	x5, 7b
	add	x5, x5, #4
	sub	x5, x30, x5		/* BL wrote the return address: 0 */
	orr	x3, x3, x5
	ret				/* back to just after the BL */
9:	OUT	x3
	mov	x30, x17
END op_branch

	.section .rodata
	.balign 8
lit64:	.quad 0x8badf00dcafebabe
lit32:	.word 0x80000001

/* ---- ARMv8.1-8.4 integer extras, one group per feature: x0/x1 operands, x2 out ---- */
	.arch armv8.4-a
BEGIN op_flagm			/* FEAT_FlagM: CFINV, RMIF, SETF8, SETF16 */
	cmp	x0, x1
	cfinv
	OUTF	xzr
	rmif	x0, #3, #0xf
	OUTF	xzr
	rmif	x1, #63, #0x5
	OUTF	xzr
	setf8	w0
	OUTF	xzr
	setf16	w1
	OUTF	xzr
END op_flagm

BEGIN op_lrcpc			/* FEAT_LRCPC / LRCPC2: LDAPR*, LDAPUR*, STLUR*; x1 = buffer */
	mov	x10, x1
	stlr	x0, [x10]
	ldapr	x4, [x10]
	ldaprb	w5, [x10]
	ldaprh	w6, [x10]
	ldapr	w7, [x10]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	stlur	w0, [x10, #12]
	stlurb	w0, [x10, #17]
	stlurh	w0, [x10, #18]
	stlur	x0, [x10, #24]
	ldapur	x4, [x10, #8]
	ldapursb x5, [x10, #17]
	ldapursh w6, [x10, #18]
	ldapursw x7, [x10, #12]
	ldapurb	w8, [x10, #17]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	ldapurh	w4, [x10, #-0]
	ldapur	w5, [x10, #24]
	OUT	x4
	OUT	x5
END op_lrcpc

BEGIN op_lor			/* FEAT_LOR: LDLAR*, STLLR* */
	mov	x10, x1
	stllr	x0, [x10]
	ldlar	x4, [x10]
	add	x11, x10, #8
	stllrb	w0, [x11]
	ldlarb	w5, [x11]
	add	x11, x10, #16
	stllrh	w0, [x11]
	ldlarh	w6, [x11]
	add	x11, x10, #24
	stllr	w0, [x11]
	ldlar	w7, [x11]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
END op_lor

BEGIN op_unpriv			/* LDTR/STTR family (at EL2 with E2H=0: as LDR/STR) */
	mov	x10, x1
	sttr	x0, [x10, #8]
	sttr	w0, [x10, #20]
	sttrh	w0, [x10, #30]
	sttrb	w0, [x10, #33]
	ldtr	x4, [x10, #8]
	ldtr	w5, [x10, #20]
	ldtrh	w6, [x10, #30]
	ldtrb	w7, [x10, #33]
	ldtrsb	x8, [x10, #33]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
	OUT	x8
	ldtrsh	w4, [x10, #30]
	ldtrsh	x5, [x10, #30]
	ldtrsw	x6, [x10, #20]
	ldtrsb	w7, [x10, #-3]
	OUT	x4
	OUT	x5
	OUT	x6
	OUT	x7
END op_unpriv
