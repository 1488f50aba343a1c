/* Secondary CPUs start here (PSCI CPU_ON entry), MMU off, x0 = context id = CPU index. */
	.text
	.global secondary_entry
secondary_entry:
	adrp	x9, sec_stacks
	add	x9, x9, :lo12:sec_stacks
	add	x10, x0, #1
	lsl	x10, x10, #12			/* 4 KiB per CPU */
	add	x9, x9, x10
	mov	sp, x9
	bl	secondary_main
	b	.

	.bss
	.balign 16
	.global sec_stacks
sec_stacks:
	.skip 4096 * 8
