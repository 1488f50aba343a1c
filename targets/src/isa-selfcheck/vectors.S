/* isa-selfcheck's EL2 vectors: an instruction the CPU does not implement makes its group report
 * UNDEFINED instead of stopping the whole run. */
#include "vectors.h"
	VECTORS isa_vectors, 2, isa_trap
