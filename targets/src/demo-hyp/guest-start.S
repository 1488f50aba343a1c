/* The guest's first instructions, at IPA 0x4000_0000, EL1, MMU off, stage 2 on. */
	.section .text.guest_entry, "ax"
	.global guest_entry
	.type guest_entry, %function
guest_entry:
	adrp	x9, guest_vectors
	add	x9, x9, :lo12:guest_vectors
	msr	vbar_el1, x9
	isb
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
2:	bl	guest_main
	/* guest_main powers off; if it returns, park */
3:	wfe
	b	3b
	.size guest_entry, . - guest_entry

/* The guest's own EL1 vectors: any exception the guest takes itself is reported to the hypervisor
 * with HVC #0xe1 (x1 = ESR_EL1, x2 = ELR_EL1, x3 = vector offset), which prints it and stops. */
	.section .text.guest_vectors, "ax"
	.balign 2048
	.global guest_vectors
guest_vectors:
	.set .Lvoff, 0
	.rept 16
	.balign 128
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mov	x3, #.Lvoff
	movz	x0, #0xc600, lsl #16
	movk	x0, #0x00e1
	hvc	#0xe1
	b	.
	.set .Lvoff, .Lvoff + 128
	.endr
