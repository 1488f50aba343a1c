/* sel2: FEAT_SEL2 from EL3. EL3 (secure, QEMU -M virt,secure=on; el2scope --el 3) sets
 * SCR_EL3.EEL2=1 with NS=0 and ERETs to *secure* EL2, which runs a secure EL1 guest under a secure
 * stage 2 (VSTTBR_EL2/VSTCR_EL2) and reports the guest's stage-2 abort, hypercall and trapped SMC.
 * Secure EL2 then SMCs to EL3, which flips SCR_EL3.NS=1 and ERETs to non-secure EL2; there
 * VSTTBR_EL2 does not exist (UNDEFINED). A final SMC lets EL3 power off.
 * Arm ARM: D1 (Secure EL2, SCR_EL3.EEL2), D8 (secure stage 2: VSTCR_EL2.SA/SW), D17.2. */
#include "target.h"
#include "vectors.h"

extern char el3_vectors[], el2_vectors[];
extern char guest_entry[], __guest_pa[];
void eret_to(void (*pc)(void), u64 spsr) __attribute__((noreturn));
void eret2_to(void *pc, u64 spsr) __attribute__((noreturn));

static u64 el2_stack[1024] __attribute__((aligned(16)));
u64 s2_l1[512] __attribute__((aligned(4096)));
u64 s2_l2[512] __attribute__((aligned(4096)));

#define SCR_NS (1UL << 0)
#define SCR_RES1 (3UL << 4)
#define SCR_HCE (1UL << 8)
#define SCR_RW (1UL << 10)
#define SCR_EEL2 (1UL << 18)
/* VSTTBR_EL2 = S3_4_C2_C6_0, VSTCR_EL2 = S3_4_C2_C6_2 (binutils may not know the names) */

static void secure_el2_entry(void);
static void nonsecure_el2_entry(void);
static int world = 0; /* 0: secure EL2 running, 1: non-secure EL2 running */

static void line(const char *who, const char *what) {
  puts(who);
  puts(": ");
  puts(what);
}

/* ---------------- EL3 ---------------- */
void el3_trap(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el3);
  line("EL3", "SMC");
  putkv("ESR_EL3", esr);
  putkv("SPSR_EL3", read_sysreg(spsr_el3));
  puts(" SCR_EL3.NS=");
  putdec(read_sysreg(scr_el3) & 1);
  putc('\n');
  if (slot != 8 || (esr >> 26) != 0x17) {
    line("EL3", "unexpected\n");
    system_off();
  }
  if (world == 0) {
    line("EL3", "switching to the non-secure world: SCR_EL3.NS=1, ERET to EL2h\n");
    write_sysreg(scr_el3, SCR_RES1 | SCR_HCE | SCR_RW | SCR_EEL2 | SCR_NS);
    isb();
    world = 1;
    f->elr = (u64)nonsecure_el2_entry;
    f->spsr = 0x3c9;
    return;
  }
  line("EL3", "done; powering off through the secure GPIO\n");
  system_off();
}

int main(void) {
  u64 pfr0 = read_sysreg(id_aa64pfr0_el1);
  puts("sel2: Secure EL2 (FEAT_SEL2)\nEL3: CurrentEL=");
  putdec(current_el());
  puts(" ID_AA64PFR0_EL1.SEL2=");
  putdec((pfr0 >> 36) & 0xf);
  putc('\n');
  write_sysreg(vbar_el3, el3_vectors);
  write_sysreg(scr_el3, SCR_RES1 | SCR_HCE | SCR_RW | SCR_EEL2); /* NS=0: EL2 is secure EL2 */
  write_sysreg(sctlr_el2, 0x30c50830UL);
  write_sysreg(hcr_el2, 1UL << 31);
  write_sysreg(sp_el2, (u64)&el2_stack[1024]);
  isb();
  puts("EL3: SCR_EL3=");
  puthex(read_sysreg(scr_el3));
  puts(", ERET to secure EL2\n");
  eret_to(secure_el2_entry, 0x3c9);
}

/* ---------------- EL2 (secure, then non-secure) ---------------- */
static struct {
  int undef_seen;
} ns;

void el2_trap(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el2);
  u64 ec = esr >> 26;
  const char *who = world ? "NS-EL2" : "S-EL2";
  if (world == 1) { /* non-secure EL2's own UNDEFINED access */
    line(who, "exception");
    putkv("ESR_EL2", esr);
    puts(" slot ");
    putdec((u64)slot);
    putc('\n');
    ns.undef_seen = 1;
    f->elr += 4;
    return;
  }
  if (ec == 0x24) {
    line(who, "secure guest stage-2 data abort");
    putkv("ESR_EL2", esr);
    putkv("FAR_EL2", read_sysreg(far_el2));
    putkv("HPFAR_EL2", read_sysreg(hpfar_el2));
    putc('\n');
    f->elr += 4;
    return;
  }
  if (ec == 0x16) {
    line(who, "HVC from secure EL1");
    putkv("ESR_EL2", esr);
    puts(" x0=");
    putx(f->x[0]);
    putc('\n');
    return;
  }
  if (ec == 0x17) {
    line(who, "secure EL1's SMC trapped (HCR_EL2.TSC); handing over to EL3 with SMC #0x2\n");
    __asm__ volatile("smc #0x2" ::: "x0", "x1", "x2", "x3", "memory");
    line(who, "SMC returned (unexpected)\n");
    system_off();
  }
  line(who, "unexpected exception");
  putkv("ESR_EL2", esr);
  putkv("ELR_EL2", read_sysreg(elr_el2));
  putc('\n');
  system_off();
}

static void secure_el2_entry(void) {
  line("S-EL2", "CurrentEL=");
  putdec(current_el());
  putc('\n');
  write_sysreg(vbar_el2, el2_vectors);
  /* secure stage 2: IPA 0x4000_0000 (2 MiB) -> PA of the guest image; Normal WB, RW, AF */
  s2_l1[1] = (u64)s2_l2 | 3;
  s2_l2[0] = (u64)__guest_pa | 1 | (0xfUL << 2) | (3UL << 6) | (3UL << 8) | (1UL << 10);
  dsb_sy();
  /* VTCR_EL2 supplies the walk attributes and PS; VSTCR_EL2 the secure T0SZ/SL0/TG0, SA=SW=0
   * (the walk and the output are in the secure PA space). */
  write_sysreg(vtcr_el2, 32UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 31));
  write_sysreg(S3_4_C2_C6_2, 32UL | (1UL << 6));
  write_sysreg(S3_4_C2_C6_0, (u64)s2_l1);
  write_sysreg(vttbr_el2, 0);
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(hcr_el2, (1UL << 31) | (1UL << 19) | 1UL); /* RW, TSC, VM */
  isb();
  __asm__ volatile("tlbi vmalls12e1\n dsb ish\n isb" ::: "memory");
  line("S-EL2", "VSTCR_EL2=");
  puthex(read_sysreg(S3_4_C2_C6_2));
  puts(" VSTTBR_EL2=");
  puthex(read_sysreg(S3_4_C2_C6_0));
  puts("; entering the secure EL1 guest\n");
  eret2_to(guest_entry, 0x3c5);
}

static void nonsecure_el2_entry(void) {
  line("NS-EL2", "CurrentEL=");
  putdec(current_el());
  putc('\n');
  write_sysreg(vbar_el2, el2_vectors);
  isb();
  line("NS-EL2", "reading VSTTBR_EL2 (only secure EL2 has it)\n");
  u64 v = 0x1234;
  __asm__ volatile("mrs %0, S3_4_C2_C6_0" /* VSTTBR_EL2 */ : "+r"(v));
  line("NS-EL2", ns.undef_seen ? "it was UNDEFINED" : "it read as ");
  if (!ns.undef_seen) putx(v);
  putc('\n');
  line("NS-EL2", "SMC #0x3 to finish\n");
  __asm__ volatile("smc #0x3" ::: "x0", "x1", "x2", "x3", "memory");
  for (;;) {
  }
}
