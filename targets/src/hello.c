/* hello: the smallest target. Prints one line over the PL011 and powers off via PSCI. */
#include "target.h"

int main(void) {
  putln("Hello from el2scope's hello target!");
  return 0;
}
