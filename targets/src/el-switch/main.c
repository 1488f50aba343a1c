/* el-switch: start at secure EL3 (QEMU -M virt,secure=on,virtualization=on; el2scope --el 3), drop
 * to non-secure EL2, EL1 and EL0 with ERET, then come back up one level at a time with SVC (EL0 ->
 * EL1), HVC (EL1 -> EL2) and SMC (EL2 -> EL3). Each handler calls the next level up from inside the
 * exception, so the return path unwinds through three ERETs back to EL0; a second SVC from EL0 then
 * asks EL3 to power the board off. Every step prints CurrentEL and the ESR/ELR/SPSR it saw. */
#include "target.h"
#include "vectors.h"

extern char el3_vectors[], el2_vectors[], el1_vectors[];
void eret_el3(void (*pc)(void), u64 spsr) __attribute__((noreturn));
void eret_el2(void (*pc)(void), u64 spsr) __attribute__((noreturn));
void eret_el1(void (*pc)(void), u64 spsr) __attribute__((noreturn));

static u64 el2_stack[512] __attribute__((aligned(16)));
static u64 el1_stack[512] __attribute__((aligned(16)));
static u64 el0_stack[512] __attribute__((aligned(16)));

#define SPSR_EL0t 0x0UL
#define SPSR_EL1h 0x5UL
#define SPSR_EL2h 0x9UL
#define SPSR_DAIF (0xfUL << 6)

static void el0_entry(void);
static void el1_entry(void);
static void el2_entry(void);

static void where(const char *who) {
  puts(who);
  puts(": CurrentEL=");
  putdec(current_el());
  puts(" SPSel=");
  putdec(read_sysreg(SPSel) & 1);
  putc('\n');
}

static void stop(void) __attribute__((noreturn));
static void stop(void) {
  putln("unexpected: stopping");
  system_off();
}

/* ---------------- EL3 ---------------- */
void el3_handler(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el3);
  puts("EL3: exception from slot ");
  putdec((u64)slot);
  putkv("ESR_EL3", esr);
  putkv("ELR_EL3", read_sysreg(elr_el3));
  putkv("SPSR_EL3", read_sysreg(spsr_el3));
  putc('\n');
  where("EL3");
  if (slot != 8 || (esr >> 26) != 0x17) stop();
  u64 imm = esr & 0xffff;
  if (imm == 0x33) {
    putln("EL3: SMC #0x33 asks for power off; driving the secure GPIO");
    system_off();
  }
  f->x[0] = 0x3000 + imm;   /* answer: x0 tells the caller who replied */
  putln("EL3: ERET back to EL2");
}

int main(void) {
  where("EL3");
  write_sysreg(vbar_el3, el3_vectors);
  /* SCR_EL3: NS (bit 0), RES1 bits 5:4, HCE (bit 8: HVC enabled), RW (bit 10: EL2 is AArch64). */
  write_sysreg(scr_el3, 0x531UL);
  /* SCTLR_EL2 with only its RES1 bits (MMU, caches, alignment checks off). */
  write_sysreg(sctlr_el2, 0x30c50830UL);
  write_sysreg(hcr_el2, 1UL << 31);   /* RW: EL1 is AArch64 */
  write_sysreg(sp_el2, (u64)&el2_stack[512]);
  isb();
  puts("EL3: SCR_EL3=");
  puthex(read_sysreg(scr_el3));
  puts(" ERET to EL2h");
  putkv("ELR_EL3", (u64)el2_entry);
  putkv("SPSR_EL3", SPSR_EL2h | SPSR_DAIF);
  putc('\n');
  eret_el3(el2_entry, SPSR_EL2h | SPSR_DAIF);
}

/* ---------------- EL2 ---------------- */
void el2_handler(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el2);
  puts("EL2: exception from slot ");
  putdec((u64)slot);
  putkv("ESR_EL2", esr);
  putkv("ELR_EL2", read_sysreg(elr_el2));
  putkv("SPSR_EL2", read_sysreg(spsr_el2));
  putc('\n');
  where("EL2");
  if (slot != 8 || (esr >> 26) != 0x16) stop();
  u64 imm = esr & 0xffff;
  puts("EL2: passing it up with SMC #");
  putx(imm + 0x11);
  putc('\n');
  u64 r;
  if (imm == 0x22) {
    register u64 x0 __asm__("x0") = 0;
    __asm__ volatile("smc #0x33" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    r = x0;
  } else {
    register u64 x0 __asm__("x0") = 0;
    __asm__ volatile("smc #0x32" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    r = x0;
  }
  puts("EL2: SMC returned x0=");
  putx(r);
  putkv("ELR_EL2", read_sysreg(elr_el2));
  putc('\n');
  where("EL2");
  f->x[0] = r + 0x200;
  putln("EL2: ERET back to EL1");
}

static void el2_entry(void) {
  where("EL2");
  write_sysreg(vbar_el2, el2_vectors);
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(sp_el1, (u64)&el1_stack[512]);
  isb();
  puts("EL2: HCR_EL2=");
  puthex(read_sysreg(hcr_el2));
  puts(" ERET to EL1h");
  putkv("ELR_EL2", (u64)el1_entry);
  putkv("SPSR_EL2", SPSR_EL1h | SPSR_DAIF);
  putc('\n');
  eret_el2(el1_entry, SPSR_EL1h | SPSR_DAIF);
}

/* ---------------- EL1 ---------------- */
void el1_handler(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el1);
  puts("EL1: exception from slot ");
  putdec((u64)slot);
  putkv("ESR_EL1", esr);
  putkv("ELR_EL1", read_sysreg(elr_el1));
  putkv("SPSR_EL1", read_sysreg(spsr_el1));
  putc('\n');
  where("EL1");
  if (slot != 8 || (esr >> 26) != 0x15) stop();
  u64 imm = esr & 0xffff;
  puts("EL1: passing it up with HVC #");
  putx(imm + 0x11);
  putc('\n');
  u64 r;
  if (imm == 0x11) {
    register u64 x0 __asm__("x0") = 0;
    __asm__ volatile("hvc #0x22" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    r = x0;
  } else {
    register u64 x0 __asm__("x0") = 0;
    __asm__ volatile("hvc #0x21" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    r = x0;
  }
  puts("EL1: HVC returned x0=");
  putx(r);
  putkv("ELR_EL1", read_sysreg(elr_el1));
  putc('\n');
  where("EL1");
  f->x[0] = r + 0x10;
  putln("EL1: ERET back to EL0");
}

static void el1_entry(void) {
  where("EL1");
  write_sysreg(vbar_el1, el1_vectors);
  write_sysreg(sp_el0, (u64)&el0_stack[512]);
  isb();
  puts("EL1: SCTLR_EL1=");
  puthex(read_sysreg(sctlr_el1));
  puts(" ERET to EL0t");
  putkv("ELR_EL1", (u64)el0_entry);
  putkv("SPSR_EL1", SPSR_EL0t);
  putc('\n');
  eret_el1(el0_entry, SPSR_EL0t);
}

/* ---------------- EL0 ---------------- */
static void el0_entry(void) {
  /* CurrentEL is not readable at EL0; the UART is (MMU off: no stage-1 permissions). */
  putln("EL0: running; SVC #0x10 to EL1");
  register u64 x0 __asm__("x0") = 0;
  __asm__ volatile("svc #0x10" : "+r"(x0) : : "x1", "x2", "x3", "memory");
  u64 r = x0;
  puts("EL0: SVC returned x0=");
  putx(r);
  putc('\n');
  putln("EL0: SVC #0x11 to ask for power off");
  __asm__ volatile("svc #0x11" ::: "x0", "x1", "x2", "x3", "memory");
  putln("EL0: still running?!");
  for (;;) {
  }
}
