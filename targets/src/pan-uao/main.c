/* pan-uao: PSTATE.PAN and PSTATE.UAO in a VHE host (E2H=1, TGE=1, EL2&0 regime): privileged loads
 * from an EL0-accessible page fault while PAN=1; LDTR checks EL0 permissions (so it succeeds on the
 * user page under PAN and faults on a kernel-only page) unless UAO=1, which makes LDTR use the
 * privileged permissions; exception entry sets PAN when SCTLR_EL2.SPAN=0.
 * Arm ARM D8.4.2 (PAN), C6 LDTR, D1 (PSTATE on exception entry). */
#include "target.h"
#include "vectors.h"

extern char pan_vectors[];
u64 ld_priv(u64 va), ld_unpriv(u64 va);
void svc_self(void);

static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2_low[512] __attribute__((aligned(4096)));
static volatile int faulted;
static volatile u64 pan_in_handler;

#define USER_PAGE 0x10000000UL
#define KERNEL_PAGE 0x40080000UL   /* this image */
#define USER_PA 0x46000000UL

void pan_trap(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el2);
  u64 ec = esr >> 26;
  if (ec == 0x15) {                          /* our own SVC at EL2: record PSTATE.PAN on entry */
    pan_in_handler = read_sysreg(S3_0_C4_C2_3);
    return;
  }
  if (ec != 0x25) {
    puts("unexpected exception");
    putkv("ESR_EL2", esr);
    putkv("ELR_EL2", read_sysreg(elr_el2));
    putc('\n');
    system_off();
  }
  puts(" -> data abort DFSC=");
  putx(esr & 0x3f);
  puts(" FAR=");
  putx(read_sysreg(far_el2));
  faulted = 1;
  f->elr = f->x[30];                         /* return from ld_priv/ld_unpriv */
  f->x[0] = 0xdead;
}

static void try(const char *what, u64 (*fn)(u64), u64 va) {
  faulted = 0;
  puts(what);
  u64 v = fn(va);
  if (!faulted) {
    puts(" -> ");
    putx(v);
  }
  putc('\n');
}

static void set_pan(int on) {
  if (on) __asm__ volatile("msr pan, #1" ::: "memory");
  else __asm__ volatile("msr pan, #0" ::: "memory");
}
static void set_uao(int on) {
  if (on) __asm__ volatile(".arch armv8.2-a\n msr uao, #1\n .arch armv8.1-a" ::: "memory");
  else __asm__ volatile(".arch armv8.2-a\n msr uao, #0\n .arch armv8.1-a" ::: "memory");
}

int main(void) {
  putln("pan-uao: PAN and UAO in the EL2&0 regime (E2H=1, TGE=1)");
  write_sysreg(vbar_el2, pan_vectors);
  *(volatile u64 *)USER_PA = 0x05e7;
  l1[0] = (u64)l2_low | 3;
  l2_low[0x09000000UL >> 21] = 0x09000000UL | 1 | (1UL << 2) | (1UL << 10) | (1UL << 54) | (1UL << 53);
  /* user page (2 MiB block): EL0 and EL2 read/write (AP=01), not executable */
  l2_low[USER_PAGE >> 21] = USER_PA | 1 | (1UL << 6) | (3UL << 8) | (1UL << 10) | (1UL << 11) | (1UL << 54) | (1UL << 53);
  /* kernel: 1 GiB at 0x4000_0000, EL2 only (AP=00) */
  l1[1] = 0x40000000UL | 1 | (3UL << 8) | (1UL << 10) | (1UL << 54);
  dsb_sy();
  write_sysreg(hcr_el2, (1UL << 31) | (1UL << 34) | (1UL << 27));
  isb();
  write_sysreg(mair_el2, 0x00ffUL);
  write_sysreg(tcr_el2, 32UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) | (2UL << 30));
  write_sysreg(ttbr0_el2, (u64)l1);
  __asm__ volatile("isb\n tlbi alle2\n dsb ish\n isb" ::: "memory");
  /* SCTLR_EL2 (E2H=1 layout): M, C, I; SPAN (bit 23) = 1 for now */
  write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | 1UL | (1UL << 2) | (1UL << 12) | (1UL << 23));
  isb();

  set_pan(0);
  set_uao(0);
  try("PAN=0: LDR  user page", ld_priv, USER_PAGE);
  try("PAN=0: LDTR user page", ld_unpriv, USER_PAGE);
  try("PAN=0: LDTR kernel page", ld_unpriv, KERNEL_PAGE);
  set_pan(1);
  try("PAN=1: LDR  user page", ld_priv, USER_PAGE);
  try("PAN=1: LDTR user page", ld_unpriv, USER_PAGE);
  try("PAN=1: LDR  kernel page", ld_priv, KERNEL_PAGE);
  set_uao(1);
  try("PAN=1 UAO=1: LDTR user page", ld_unpriv, USER_PAGE);
  try("PAN=1 UAO=1: LDTR kernel page", ld_unpriv, KERNEL_PAGE);
  set_uao(0);
  set_pan(0);

  svc_self();
  puts("SCTLR_EL2.SPAN=1: PSTATE.PAN in the handler = ");
  putx(pan_in_handler);
  putc('\n');
  write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) & ~(1UL << 23));
  isb();
  svc_self();
  puts("SCTLR_EL2.SPAN=0: PSTATE.PAN in the handler = ");
  putx(pan_in_handler);
  putc('\n');
  putln("pan-uao: done");
  return 0;
}
