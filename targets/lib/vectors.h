/* Vector-table generator for assembly: VECTORS name, el, handler builds a 2 KiB-aligned table whose
 * 16 entries all save a struct frame (x0-x30, ELR, SPSR) on the current stack, call
 * handler(struct frame *f, int slot), then restore (ELR/SPSR from the frame, so C may edit them)
 * and ERET. Slot = 4*group + kind: groups are current EL SP0, current EL SPx, lower EL AArch64,
 * lower EL AArch32; kinds are sync, IRQ, FIQ, SError. */
#ifndef VECTORS_H
#define VECTORS_H
#ifdef __ASSEMBLER__

#define FRAME_SIZE 272

.macro VECTORS name, el, handler
	.section .text.vectors, "ax"
	.balign 2048
	.global \name
\name:
	.set .Lvslot, 0
	.rept 16
	.balign 128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #.Lvslot
	b	\name\()_common
	.set .Lvslot, .Lvslot + 1
	.endr
\name\()_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x9, elr_el\el
	mrs	x10, spsr_el\el
	stp	x30, x9, [sp, #240]
	str	x10, [sp, #256]
	mov	x0, sp
	bl	\handler
	ldp	x30, x9, [sp, #240]
	ldr	x10, [sp, #256]
	msr	elr_el\el, x9
	msr	spsr_el\el, x10
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

#else
struct frame {
  unsigned long x[31];
  unsigned long elr;
  unsigned long spsr;
  unsigned long pad;
};
#endif
#endif
