/* bench-memcpy: copy a MiB-sized buffer back and forth PASSES times with 64-byte LDP/STP blocks;
 * prints a checksum of the result. The buffers live at fixed RAM addresses above the image. */
#include "target.h"

#ifndef PASSES
#define PASSES 400
#endif
#ifndef BYTES
#define BYTES (1UL << 20)
#endif
#define BUF_A ((u64 *)0x40400000UL)
#define BUF_B ((u64 *)0x40c00000UL)

void copy64(u64 *dst, const u64 *src, u64 bytes);   /* bytes: a multiple of 64 */

int main(void) {
  u64 n = BYTES / 8;
  u64 x = 0x243f6a8885a308d3UL;
  for (u64 i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    BUF_A[i] = x;
  }
  for (u64 p = 0; p < PASSES; p++) {
    if (p & 1) copy64(BUF_A, BUF_B, BYTES);
    else copy64(BUF_B, BUF_A, BYTES);
    BUF_A[p % n] += p; /* make every pass's data differ a little */
  }
  u64 h = 0;
  for (u64 i = 0; i < n; i += 97) h = (h ^ BUF_A[i]) * 0x100000001b3UL + BUF_B[i];
  puts("bench-memcpy checksum ");
  puthex(h);
  putc('\n');
  return 0;
}
