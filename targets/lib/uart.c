/* PL011 transmit only: wait while the TX FIFO is full (FR.TXFF), then write DR. */
#include "target.h"

#define UART_DR (*(volatile u32 *)(UART_BASE + 0x00))
#define UART_FR (*(volatile u32 *)(UART_BASE + 0x18))

void putc(char c) {
  while (UART_FR & (1u << 5)) {
  }
  UART_DR = (u8)c;
}

void puts(const char *s) {
  while (*s) putc(*s++);
}

void putln(const char *s) {
  puts(s);
  putc('\n');
}

static void hexdigits(u64 v, int n) {
  for (int i = n - 1; i >= 0; i--) putc("0123456789abcdef"[(v >> (i * 4)) & 15]);
}

void puthex(u64 v) {
  puts("0x");
  hexdigits(v, 16);
}

void puthex32(u32 v) {
  puts("0x");
  hexdigits(v, 8);
}

void putx(u64 v) {
  int n = 1;
  while (n < 16 && (v >> (n * 4))) n++;
  puts("0x");
  hexdigits(v, n);
}

void putdec(u64 v) {
  char buf[21];
  int i = 20;
  buf[i] = 0;
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  puts(&buf[i]);
}

void putkv(const char *k, u64 v) {
  putc(' ');
  puts(k);
  putc('=');
  puthex(v);
}
