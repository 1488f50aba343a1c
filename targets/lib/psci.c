/* Power control: PSCI over SMC below EL3 (QEMU's virt answers it when no EL3 firmware is loaded);
 * at EL3 there is no PSCI firmware, so drive the secure PL061's pin 0 high, which QEMU's virt wires
 * to its power-off controller (DTB node /gpio-poweroff, gpios = <&pl061@90b0000 0 0>). */
#include "target.h"

u64 smc_call(u64 fn, u64 a1, u64 a2, u64 a3) {
  register u64 x0 __asm__("x0") = fn;
  register u64 x1 __asm__("x1") = a1;
  register u64 x2 __asm__("x2") = a2;
  register u64 x3 __asm__("x3") = a3;
  __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
  return x0;
}

u64 hvc_call(u64 fn, u64 a1, u64 a2, u64 a3) {
  register u64 x0 __asm__("x0") = fn;
  register u64 x1 __asm__("x1") = a1;
  register u64 x2 __asm__("x2") = a2;
  register u64 x3 __asm__("x3") = a3;
  __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
  return x0;
}

void system_off(void) {
  if (current_el() == 3) {
    volatile u32 *dir = (volatile u32 *)(SGPIO_BASE + 0x400);
    volatile u32 *data0 = (volatile u32 *)(SGPIO_BASE + (1u << 2)); /* address-masked bit 0 */
    *dir = *dir | 1u;
    *data0 = 1u;
  } else {
    smc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
  }
  for (;;) __asm__ volatile("wfi");
}

void *memset(void *d, int c, unsigned long n) {
  u8 *p = d;
  while (n--) *p++ = (u8)c;
  return d;
}

void *memcpy(void *d, const void *s, unsigned long n) {
  u8 *p = d;
  const u8 *q = s;
  while (n--) *p++ = *q++;
  return d;
}
