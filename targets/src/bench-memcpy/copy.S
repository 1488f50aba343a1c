	.text
	.global copy64
	.type copy64, %function
copy64:				/* x0 = dst, x1 = src, x2 = bytes (multiple of 64) */
1:	ldp	x3, x4, [x1]
	ldp	x5, x6, [x1, #16]
	ldp	x7, x8, [x1, #32]
	ldp	x9, x10, [x1, #48]
	add	x1, x1, #64
	stp	x3, x4, [x0]
	stp	x5, x6, [x0, #16]
	stp	x7, x8, [x0, #32]
	stp	x9, x10, [x0, #48]
	add	x0, x0, #64
	subs	x2, x2, #64
	b.ne	1b
	ret
	.size copy64, . - copy64
