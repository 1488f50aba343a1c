/* bench-loop: a tight integer loop, ITERS iterations of 8 instructions. */
#ifndef ITERS
#define ITERS 25000000
#endif
	.text
	.global bench_loop
	.type bench_loop, %function
bench_loop:			/* u64 bench_loop(void): returns a checksum */
	movz	x0, #(ITERS & 0xffff)
	movk	x0, #((ITERS >> 16) & 0xffff), lsl #16
	mov	x1, #1
	mov	x2, #0x9e37
	mov	x3, #0
1:	add	x1, x1, x0
	eor	x2, x2, x1, ror #7
	add	x3, x3, x2, lsr #3
	orr	x4, x3, x1
	sub	x2, x2, x4, lsl #1
	eor	x1, x1, x3
	subs	x0, x0, #1
	b.ne	1b
	eor	x0, x1, x2
	add	x0, x0, x3
	ret
	.size bench_loop, . - bench_loop
