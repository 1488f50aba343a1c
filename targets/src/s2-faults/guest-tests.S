/* s2-faults guest: EL1, MMU off, stage 2 on. Each access below reaches an IPA that stage 2 does not
 * map (or maps read-only, or without the access flag), so it traps to EL2 as a stage-2 abort; the
 * hypervisor prints the syndrome, emulates what it can and resumes. */
	.section .text.guest_entry, "ax"
	.global guest_entry
guest_entry:
	adrp	x9, __guest_stack_top
	add	x9, x9, :lo12:__guest_stack_top
	mov	sp, x9
	/* recognisable register contents for the stores */
	movz	x2, #0x1122
	movk	x2, #0x3344, lsl #16
	movk	x2, #0x5566, lsl #32
	movk	x2, #0x7788, lsl #48
	add	x3, x2, #1
	add	x4, x2, #2
	add	x5, x2, #3
	add	x15, x2, #4
	add	x22, x2, #5
	mov	x20, #8
	movz	x1, #0x0a00, lsl #16		/* MMIO window at IPA 0x0a00_0000 (level-1 hole) */
	add	x1, x1, #0x10

	.global guest_accesses
guest_accesses:
	strb	w2, [x1]
	strh	w3, [x1, #2]
	str	w4, [x1, #4]
	str	x5, [x1, #8]
	str	wzr, [x1]
	ldrb	w6, [x1]
	ldrsb	w7, [x1]
	ldrsb	x8, [x1]
	ldrh	w9, [x1, #2]
	ldrsh	x10, [x1, #2]
	ldrsh	w10, [x1, #2]
	ldr	w11, [x1, #4]
	ldrsw	x12, [x1, #4]
	ldr	x13, [x1, #8]
	ldar	w14, [x1]
	stlr	x15, [x1]
	ldr	w19, [x1, x20]
	ldur	w21, [x1, #-4]
	str	w22, [x1, #0xfe0]
	ldr	x16, [x1, #8]!			/* writeback: no instruction syndrome (ISV=0) */
	ldp	x17, x18, [x1]			/* pair: ISV=0 */
	sub	x1, x1, #8
	movz	x23, #0x0a00, lsl #16
	add	x23, x23, #0x3000
	strh	w2, [x23, #0x22]		/* another page of the window: HPFAR changes */

	/* level-2 hole: IPA 0x4040_0000 (level-1 entry valid, level-2 entry invalid) */
	movz	x24, #0x4040, lsl #16
	ldr	x25, [x24, #0x18]
	/* level-3 hole: IPA 0x4060_1000 (level-3 table, entry 1 invalid); entry 0 is mapped */
	movz	x24, #0x4060, lsl #16
	ldr	x26, [x24, #0x40]		/* mapped: reads the hypervisor's pattern, no trap */
	str	x26, [x24, #0x1008]
	/* read-only 2 MiB block at IPA 0x4020_0000: loads work, stores are permission faults */
	movz	x24, #0x4020, lsl #16
	ldr	x27, [x24, #0x100]
	str	x27, [x24, #0x100]
	/* block without the access flag at IPA 0x4080_0000: access flag fault */
	movz	x24, #0x4080, lsl #16
	ldrb	w28, [x24, #5]
	/* instruction fetch from the unmapped window: stage-2 instruction abort */
	adr	x30, 1f
	br	x1
1:
	/* report the registers the loads produced, then power off through the trapped SMC */
	mov	x0, #0xc6000000
	add	x0, x0, #2
	hvc	#2
	movz	x0, #0x8400, lsl #16
	add	x0, x0, #8
	smc	#0
	b	.
