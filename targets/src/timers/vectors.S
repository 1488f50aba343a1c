#include "vectors.h"
	VECTORS tmr_vectors, 2, tmr_trap
