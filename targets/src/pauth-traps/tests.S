#include "../el2-traps-v8x/tests.S"
