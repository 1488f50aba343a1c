#include "../syndromes/tests.S"
