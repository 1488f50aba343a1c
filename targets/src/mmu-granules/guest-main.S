/* mmu-granules guest (EL1, IPA 0x4000_0000): turns on a 64 KiB-granule stage 1 and reads through
 * it; the hypervisor's stage 2 uses the 16 KiB granule. Tables live in the guest's RAM. */
	.section .text.guest_entry, "ax"
	.global guest_entry
guest_entry:
	adrp	x20, g_l2			/* level-2 table (start level for 64K, T0SZ=32) */
	add	x20, x20, :lo12:g_l2
	adrp	x21, g_l3			/* level-3 table for VA 0x6000_0000 */
	add	x21, x21, :lo12:g_l3
	/* g_l2[2]: VA 0x4000_0000, a 512 MiB block -> IPA 0x4000_0000, Normal (AttrIndx 0), AF, SH inner */
	movz	x0, #0x4000, lsl #16
	mov	x1, #0x701			/* block, AttrIndx 0, SH=3, AF */
	orr	x0, x0, x1
	str	x0, [x20, #2 * 8]
	/* g_l2[3]: VA 0x6000_0000 -> the level-3 table */
	orr	x0, x21, #3
	str	x0, [x20, #3 * 8]
	/* g_l3[0], g_l3[1], g_l3[2]: 64 KiB pages -> IPA 0x4201_0000, 0x4202_0000, 0x4203_0000 */
	movz	x0, #0x4201, lsl #16
	mov	x1, #0x703			/* page, AttrIndx 0, SH=3, AF */
	orr	x0, x0, x1
	str	x0, [x21, #0]
	add	x0, x0, #0x10000
	str	x0, [x21, #8]
	add	x0, x0, #0x10000
	str	x0, [x21, #16]
	/* g_l3[3] stays invalid */
	dsb	ish
	mov	x0, #0xff			/* MAIR: attr0 Normal WB */
	msr	mair_el1, x0
	/* TCR_EL1: T0SZ=32, IRGN0=ORGN0=1, SH0=3, TG0=01 (64 KiB), EPD1, IPS=0 */
	movz	x0, #0x7520
	movk	x0, #0x80, lsl #16
	msr	tcr_el1, x0
	msr	ttbr0_el1, x20
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x0, sctlr_el1
	orr	x0, x0, #1			/* M */
	orr	x0, x0, #(1 << 2)		/* C */
	orr	x0, x0, #(1 << 12)		/* I */
	msr	sctlr_el1, x0
	isb
	/* read through both stages */
	movz	x9, #0x6000, lsl #16
	ldr	x1, [x9, #0x20]			/* VA 0x6000_0020 -> IPA 0x4201_0020 */
	add	x9, x9, #0x10000
	ldr	x2, [x9, #0x3ff8]		/* VA 0x6001_3ff8 -> IPA 0x4202_3ff8 (last word of a 16K page) */
	add	x9, x9, #0x4000
	ldr	x3, [x9]			/* VA 0x6001_4000 -> IPA 0x4202_4000: the next 16K page */
	add	x9, x9, #0xc000
	ldr	x4, [x9, #8]			/* VA 0x6002_0008 -> IPA 0x4203_0008: stage 2 has no page */
	movz	x0, #0xc600, lsl #16
	add	x0, x0, #1
	hvc	#1				/* report x1..x4 */
	movz	x0, #0x8400, lsl #16
	add	x0, x0, #8
	smc	#0
	b	.

	.section .bss.guest_tables, "aw", %nobits
	.balign 65536
	.global g_l3
g_l3:	.skip 65536
	.global g_l2
g_l2:	.skip 64
