/* el2-traps-v8x: test bodies for the HCR_EL2 controls of v8.1-v8.3 features. */
	.arch armv8.3-a
#include "../syndromes/tests.S"

	.text
	.macro TEST4 name
	.global \name
	.type \name, %function
\name:
	.endm

TEST4 t_apkey
	mrs	x0, apiakeylo_el1
	ret
TEST4 t_pacia
	mov	x1, #0x40
	pacia	x0, x1
	ret
TEST4 t_autia
	mov	x1, #0x40
	autia	x0, x1
	ret
TEST4 t_erridr
	mrs	x0, S3_0_C5_C3_0		/* ERRIDR_EL1 */
	ret
TEST4 t_lorc
	mrs	x0, S3_0_C10_C4_3		/* LORC_EL1 */
	ret
TEST4 t_lorid
	mrs	x0, S3_0_C10_C4_7		/* LORID_EL1 */
	ret
TEST4 t_ccsidr
	mrs	x0, ccsidr_el1
	ret
TEST4 t_csselr
	mov	x1, #0
	msr	csselr_el1, x1
	mov	x0, #0x62
	ret
