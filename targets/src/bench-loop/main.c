/* bench-loop: ~200M instructions of tight integer loop; prints only the checksum. */
#include "target.h"
u64 bench_loop(void);
int main(void) {
  u64 h = bench_loop();
  puts("bench-loop checksum ");
  puthex(h);
  putc('\n');
  return 0;
}
