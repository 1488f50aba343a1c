/* The secure EL1 guest: runs under secure EL2's stage 2 (VSTTBR_EL2) at IPA 0x4000_0000. */
	.section .text.guest_entry, "ax"
	.global guest_entry
guest_entry:
	adr	x1, guest_data
	ldr	x2, [x1]			/* through secure stage 2: reads the image's word */
	movz	x3, #0x0a00, lsl #16
	str	x2, [x3, #0x40]			/* unmapped IPA: secure stage-2 fault to S-EL2 */
	mov	x0, x2
	hvc	#0x5e			/* hypercall with the value read */
	smc	#0x1			/* trapped by HCR_EL2.TSC: S-EL2 hands over to EL3 */
	b	.
	.balign 8
guest_data:
	.quad	0x5ec0de0000005e12
