#include "vectors.h"
	VECTORS pan_vectors, 2, pan_trap

	.text
	.global ld_priv		/* u64 ld_priv(u64 va) */
ld_priv:
	ldr	x0, [x0]
	ret
	.global ld_unpriv	/* u64 ld_unpriv(u64 va): LDTR */
ld_unpriv:
	ldtr	x0, [x0]
	ret
	.global svc_self
svc_self:
	svc	#7
	ret
