/* el2-controls: the syndromes harness plus the test bodies for EL2's trap and virtualization
 * controls. */
#include "../syndromes/tests.S"

	.text
	.macro TEST2 name
	.global \name
	.type \name, %function
\name:
	.endm

TEST2 t_aidr
	mrs	x0, aidr_el1
	ret
TEST2 t_revidr
	mrs	x3, revidr_el1
	mov	x0, x3
	ret
TEST2 t_ctr
	mrs	x0, ctr_el0
	ret
TEST2 t_clidr
	mrs	x0, clidr_el1
	ret
TEST2 t_actlr
	mrs	x0, actlr_el1
	ret
TEST2 t_trvm
	mrs	x0, ttbr0_el1
	ret
TEST2 t_tvm_tcr
	mov	x0, #0
	msr	tcr_el1, x0
	mov	x0, #0x66
	ret
TEST2 t_tlbi
	tlbi	vmalle1
	mov	x0, #0x55
	ret
TEST2 t_dc_civac
	adrp	x1, scratch
	add	x1, x1, :lo12:scratch
	dc	civac, x1
	mov	x0, #0x44
	ret
TEST2 t_ic_ivau
	adrp	x1, scratch
	add	x1, x1, :lo12:scratch
	ic	ivau, x1
	mov	x0, #0x45
	ret
TEST2 t_dc_isw
	mov	x1, #0
	dc	isw, x1
	mov	x0, #0x46
	ret
TEST2 t_dc_zva
	adrp	x1, scratch
	add	x1, x1, :lo12:scratch
	dc	zva, x1
	mov	x0, #0x47
	ret
TEST2 t_midr
	mrs	x0, midr_el1
	ret
TEST2 t_mpidr
	mrs	x0, mpidr_el1
	ret
TEST2 t_cntpct
	mrs	x0, cntpct_el0
	ret
TEST2 t_mdscr
	mrs	x0, mdscr_el1
	ret
TEST2 t_unmask_i
	msr	daifclr, #2
	nop
	mov	x0, #0x71
	ret
TEST2 t_unmask_f
	msr	daifclr, #1
	nop
	mov	x0, #0x72
	ret
TEST2 t_unmask_a
	msr	daifclr, #4
	nop
	mov	x0, #0x73
	ret
TEST2 t_nop
	nop
	mov	x0, #0x74
	ret
