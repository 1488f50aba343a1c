/* bench-c: a compiled C workload repeated ROUNDS times: quicksort of a pseudo-random array,
 * table-driven CRC-32 over it, and an integer matrix multiply. Prints one checksum. */
#include "target.h"

#ifndef ROUNDS
#define ROUNDS 60
#endif
#define N 16384
#define M 48

static u32 arr[N];
static u32 crc_table[256];
static s32 ma[M][M], mb[M][M], mc[M][M];

static void sort(u32 *a, long lo, long hi) {
  while (lo < hi) {
    u32 pivot = a[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        u32 t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      sort(a, lo, j);
      lo = i;
    } else {
      sort(a, i, hi);
      hi = j;
    }
  }
}

static u32 crc32_sw(const u8 *p, u64 n, u32 crc) {
  crc = ~crc;
  while (n--) crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return ~crc;
}

int main(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
  u32 seed = 12345, crc = 0;
  u64 acc = 0;
  for (int r = 0; r < ROUNDS; r++) {
    for (int i = 0; i < N; i++) {
      seed = seed * 1103515245u + 12345u;
      arr[i] = seed ^ (seed >> 15);
    }
    sort(arr, 0, N - 1);
    crc = crc32_sw((const u8 *)arr, sizeof arr, crc);
    for (int i = 0; i < M; i++)
      for (int j = 0; j < M; j++) {
        ma[i][j] = (s32)(arr[(i * M + j) * 3] >> 20) - 2048;
        mb[i][j] = (s32)(i * 7 - j * 3 + r);
      }
    for (int i = 0; i < M; i++)
      for (int j = 0; j < M; j++) {
        s32 s = 0;
        for (int k = 0; k < M; k++) s += ma[i][k] * mb[k][j];
        mc[i][j] = s;
      }
    for (int i = 0; i < M; i++) acc = acc * 31 + (u32)mc[i][(i * 5) % M];
  }
  puts("bench-c checksum crc=");
  puthex32(crc);
  puts(" acc=");
  puthex(acc);
  putc('\n');
  return 0;
}
