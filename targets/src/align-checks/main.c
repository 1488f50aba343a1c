/* align-checks: the syndromes harness with the alignment cases QEMU 7.2 does not model; its golden
 * output is written from the Arm ARM (targets/golden/align-checks.md explains each line). */
#define ALIGN_CHECKS 1
#include "../syndromes/main.c"
