/* mmu-s12 guest: runs at EL1 with its own stage-1 translation (set up by the hypervisor) under
 * stage 2. Each step below either reports a value with HVC #0x10, or faults: stage-1 faults are
 * taken at EL1 (guest_vectors reports ESR_EL1/FAR_EL1 with HVC #0x11 and skips the instruction),
 * stage-2 faults at EL2 (the hypervisor reports and skips or emulates them). */
	.section .text.guest_entry, "ax"
	.global guest_entry
guest_entry:
	ldr	x9, =__guest_stack_top
	mov	sp, x9
	ldr	x9, =guest_vectors
	msr	vbar_el1, x9
	isb
	movz	x10, #0x1000, lsl #16		/* VA 0x1000_0000: the data pages */
	movz	x1, #0x7777
	ldr	x1, [x10]			/* 1: normal load */
	hvc	#0x10
	str	x1, [x10, #0x1000]		/* 2: stage-1 read-only page: EL1 permission fault */
	str	x1, [x10, #0x2000]		/* 3: stage-2 read-only page: EL2, ISV */
	ldr	x1, [x10, #0x3000]		/* 4: stage-1 AF=0: EL1 access flag fault */
	add	x12, x10, #0x4000
	ldr	w3, [x12]			/* 5: stage-2 level-3 hole: EL2, ISV, emulated */
	mov	x1, x3
	hvc	#0x10
	add	x11, x10, #0x200000
	ldr	x1, [x11]			/* 6: stage-1 table in a stage-2 hole: S1PTW */
	movz	x1, #0x8000, lsl #48
	ldr	x1, [x1]			/* 7: VA outside T0SZ: EL1 translation fault level 0 */
	hvc	#0x12				/* 8: the hypervisor switches to VMID 2 (no TLBI) */
	ldr	x1, [x10]
	hvc	#0x10
	hvc	#0x13				/* 9: back to VMID 1 */
	ldr	x1, [x10]
	hvc	#0x10
	/* 10: remap VA 0x1000_0000 to IPA 0x4020_1000 in the guest's level-3 table, then TLBI */
	ldr	x4, =guest_l3_entry0
	ldr	x4, [x4]
	ldr	x5, [x4]
	add	x5, x5, #0x1000
	str	x5, [x4]
	dsb	ishst
	lsr	x6, x10, #12
	tlbi	vae1is, x6
	dsb	ish
	isb
	ldr	x1, [x10]
	hvc	#0x10
	at	s1e1r, x10			/* 11: AT from EL1 */
	isb
	mrs	x1, par_el1
	hvc	#0x14
	add	x7, x10, #0x1000
	at	s1e1w, x7
	isb
	mrs	x1, par_el1
	hvc	#0x14
	at	s1e0r, x10
	isb
	mrs	x1, par_el1
	hvc	#0x14
	movz	x0, #0x0008			/* PSCI SYSTEM_OFF */
	movk	x0, #0x8400, lsl #16
	hvc	#0
1:	b	1b

	.balign 8
	.global guest_l3_entry0
guest_l3_entry0:
	.quad	0				/* VA of the guest's L3[0] descriptor, filled by the hypervisor */
	.ltorg

	.section .text.guest_vectors, "ax"
	.balign 2048
	.global guest_vectors
guest_vectors:
	.rept 4
	.balign 128
	b	guest_unexpected
	.endr
	.balign 128				/* 0x200: current EL with SP_ELx, synchronous */
	mrs	x1, esr_el1
	mrs	x2, far_el1
	hvc	#0x11
	mrs	x3, elr_el1
	add	x3, x3, #4
	msr	elr_el1, x3
	eret
	.rept 11
	.balign 128
	b	guest_unexpected
	.endr

	.text
guest_unexpected:
	mrs	x1, esr_el1
	mrs	x2, far_el1
	mrs	x3, elr_el1
	hvc	#0x1f
1:	b	1b
