#include "vectors.h"
	VECTORS haf_vectors, 2, haf_trap
