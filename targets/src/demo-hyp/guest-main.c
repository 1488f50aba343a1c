/* The demo guest: an EL1 "kernel" that believes the PL011 is at 0x0900_0000. Stage 2 leaves that
 * IPA unmapped, so every access traps to the hypervisor, which emulates the UART. */
typedef unsigned long u64;
typedef unsigned int u32;

#define GUEST_UART 0x09000000UL
#define UART_DR (*(volatile u32 *)(GUEST_UART + 0x00))
#define UART_FR (*(volatile u32 *)(GUEST_UART + 0x18))

__attribute__((noinline)) static void guest_putc(char c) {
  while (UART_FR & (1u << 5)) { /* TXFF: each read of FR is a trapped load */
  }
  UART_DR = (unsigned char)c;     /* each store is a trapped stage-2 data abort */
}

__attribute__((noinline)) static void guest_puts(const char *s) {
  while (*s) guest_putc(*s++);
}

static void guest_puthex(u64 v) {
  guest_puts("0x");
  int n = 1;
  while (n < 16 && (v >> (n * 4))) n++;
  for (int i = n - 1; i >= 0; i--) guest_putc("0123456789abcdef"[(v >> (i * 4)) & 15]);
}

static u64 guest_hvc(u64 fn, u64 *x1) {
  register u64 r0 __asm__("x0") = fn;
  register u64 r1 __asm__("x1") = 0;
  __asm__ volatile("hvc #0x1" : "+r"(r0), "+r"(r1) : : "x2", "x3", "memory");
  *x1 = r1;
  return r0;
}

static u64 guest_smc(u64 fn) {
  register u64 r0 __asm__("x0") = fn;
  __asm__ volatile("smc #0" : "+r"(r0) : : "x1", "x2", "x3", "memory");
  return r0;
}

/* Counts so far, kept by the guest itself (a .bss variable, zeroed by guest_entry). */
static u64 guest_lines;

void guest_main(void) {
  u64 el;
  __asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
  guest_puts("hello from the guest\n");
  guest_lines++;
  guest_puts("[guest] running at EL");
  guest_putc((char)('0' + ((el >> 2) & 3)));
  guest_puts(", my RAM starts at IPA ");
  guest_puthex((u64)&guest_main & ~0xfffffUL);
  guest_puts("\n");
  guest_lines++;

  u64 x1;
  u64 r = guest_hvc(0xc6000001UL, &x1);
  guest_puts("[guest] HVC #1 (who are you?) -> x0=");
  guest_puthex(r);
  guest_puts(" x1=");
  guest_puthex(x1);
  guest_puts("\n");
  guest_lines++;

  u64 v = guest_smc(0x84000000UL);
  guest_puts("[guest] PSCI_VERSION via SMC -> ");
  guest_puthex(v);
  guest_puts("\n");
  guest_lines++;

  guest_puts("[guest] printed ");
  guest_putc((char)('0' + guest_lines + 1));
  guest_puts(" lines; PSCI SYSTEM_OFF via SMC, bye\n");
  guest_smc(0x84000008UL);
}
