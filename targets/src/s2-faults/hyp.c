/* s2-faults: a hypervisor at EL2 whose stage-2 tables leave holes at every level and include a
 * read-only block and a block without the access flag. The guest (guest-tests.S) accesses each;
 * for every stage-2 abort the hypervisor prints ESR_EL2 with its ISS fields decoded (ISV, SAS, SSE,
 * SRT, SF, AR, WnR, S1PTW, DFSC/IFSC), FAR_EL2 and HPFAR_EL2, emulates loads and stores that carry
 * an instruction syndrome (loads return a fixed pattern, sign-/zero-extended as SSE/SF say), skips
 * those that do not, and finally prints the registers the guest's loads produced.
 * Arm ARM: D8 (stage 2 translation, faults), D17.2.37 ESR_ELx ISS encoding for Data Aborts,
 * D17.2.60 HPFAR_EL2. */
#include "target.h"
#include "vectors.h"

extern char hyp_vectors[];
extern char guest_entry[], __guest_pa[];
void enter_guest(void *entry, u64 spsr) __attribute__((noreturn));

#define VMID 9UL
#define HCR_VM (1UL << 0)
#define HCR_TSC (1UL << 19)
#define HCR_RW (1UL << 31)

#define D_TABLE 0x3UL
#define D_BLOCK 0x1UL
#define D_PAGE 0x3UL
#define MEMATTR_WB (0xfUL << 2)
#define S2AP_RO (0x1UL << 6)
#define S2AP_RW (0x3UL << 6)
#define SH_INNER (0x3UL << 8)
#define AF (1UL << 10)
#define NORMAL_RW (MEMATTR_WB | S2AP_RW | SH_INNER | AF)

u64 s2_l1[512] __attribute__((aligned(4096)));
u64 s2_l2[512] __attribute__((aligned(4096)));
u64 s2_l3[512] __attribute__((aligned(4096)));

static unsigned traps;

#define PA(off) ((u64)__guest_pa + (off))

static void build_stage2(void) {
  s2_l1[1] = (u64)s2_l2 | D_TABLE;                        /* IPA 0x4000_0000..0x7fff_ffff */
  s2_l2[0] = PA(0) | D_BLOCK | NORMAL_RW;                 /* 0x4000_0000: guest RAM */
  s2_l2[1] = PA(0x200000) | D_BLOCK | MEMATTR_WB | S2AP_RO | SH_INNER | AF; /* 0x4020_0000: RO */
  /* s2_l2[2] (0x4040_0000) stays invalid: a level-2 hole */
  s2_l2[3] = (u64)s2_l3 | D_TABLE;                        /* 0x4060_0000: level 3 */
  s2_l3[0] = PA(0x600000) | D_PAGE | NORMAL_RW;           /* 0x4060_0000 page; 0x4060_1000 hole */
  s2_l2[4] = PA(0x800000) | D_BLOCK | MEMATTR_WB | S2AP_RW | SH_INNER; /* 0x4080_0000: AF=0 */
  /* the data the guest will read from the mapped pages */
  *(volatile u64 *)PA(0x200100) = 0x0123456789abcdefUL;
  *(volatile u64 *)PA(0x600040) = 0xfedcba9876543210UL;
  dsb_sy();
  u64 vtcr = 32UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 31);
  write_sysreg(vtcr_el2, vtcr);
  write_sysreg(vttbr_el2, (VMID << 48) | (u64)s2_l1);
  isb();
  __asm__ volatile("tlbi vmalls12e1\n dsb ish\n isb" ::: "memory");
}

static void field(const char *k, u64 v) {
  putc(' ');
  puts(k);
  putc('=');
  putx(v);
}

static void report_abort(u64 esr, u64 far, u64 hpfar, u64 elr) {
  unsigned ec = (unsigned)(esr >> 26);
  traps++;
  puts("trap ");
  putdec(traps);
  puts(ec == 0x24 ? ": data abort" : ec == 0x20 ? ": instruction abort" : ": exception");
  puts(" ELR=");
  if (elr >= (u64)guest_entry && elr < (u64)guest_entry + 0x1000) {
    puts("guest_entry+");
    putx(elr - (u64)guest_entry);
  } else {
    putx(elr);
  }
  puts(" ESR=");
  puthex32((u32)esr);
  puts(" FAR=");
  putx(far);
  puts(" HPFAR=");
  putx(hpfar);
  putc('\n');
  puts("   ");
  if (ec == 0x24) {
    int isv = (esr >> 24) & 1;
    field("ISV", isv);
    if (isv) {
      field("SAS", (esr >> 22) & 3);
      field("SSE", (esr >> 21) & 1);
      field("SRT", (esr >> 16) & 31);
      field("SF", (esr >> 15) & 1);
      field("AR", (esr >> 14) & 1);
    }
    field("WnR", (esr >> 6) & 1);
    field("S1PTW", (esr >> 7) & 1);
    field("DFSC", esr & 0x3f);
  } else {
    field("S1PTW", (esr >> 7) & 1);
    field("IFSC", esr & 0x3f);
  }
  putc('\n');
}

void el2_sync_handler(struct frame *f) {
  u64 esr = read_sysreg(esr_el2), far = read_sysreg(far_el2), hpfar = read_sysreg(hpfar_el2);
  u64 ec = esr >> 26;
  if (ec == 0x24) {
    report_abort(esr, far, hpfar, f->elr);
    int isv = (esr >> 24) & 1, write = (esr >> 6) & 1;
    unsigned srt = (esr >> 16) & 31, sas = (esr >> 22) & 3;
    if (!isv) {
      puts("   no syndrome: skipping the instruction\n");
    } else if (write) {
      u64 v = srt == 31 ? 0 : f->x[srt];
      if (sas < 3) v &= (1UL << (8 << sas)) - 1;
      puts("   emulated store of ");
      putx(v);
      putc('\n');
    } else {
      u64 v = 0x8899aabbccddeeffUL;
      unsigned bits = 8u << sas;
      if (bits < 64) {
        v &= (1UL << bits) - 1;
        if (((esr >> 21) & 1) && (v >> (bits - 1))) v |= ~0UL << bits;   /* SSE */
      }
      if (!((esr >> 15) & 1)) v &= 0xffffffffUL;                          /* SF=0: W register */
      if (srt != 31) f->x[srt] = v;
      puts("   emulated load: x");
      putdec(srt);
      puts(" = ");
      putx(v);
      putc('\n');
    }
    f->elr += 4;
    return;
  }
  if (ec == 0x20) {
    report_abort(esr, far, hpfar, f->elr);
    puts("   resuming at x30\n");
    f->elr = f->x[30];
    return;
  }
  if (ec == 0x16 && f->x[0] == 0xc6000002UL) {
    puts("guest registers after the run:\n");
    static const unsigned regs[] = {6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 21, 25, 26, 27, 28, 1};
    for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
      puts("   x");
      putdec(regs[i]);
      puts(" = ");
      puthex(f->x[regs[i]]);
      putc('\n');
    }
    puts("read-only page after the refused store: ");
    puthex(*(volatile u64 *)PA(0x200100));
    putc('\n');
    return;
  }
  if (ec == 0x17 && f->x[0] == PSCI_SYSTEM_OFF) {
    puts("s2-faults: ");
    putdec(traps);
    puts(" stage-2 aborts; guest asked for SYSTEM_OFF\n");
    system_off();
  }
  puts("unexpected exception from the guest");
  putkv("ESR_EL2", esr);
  putkv("ELR_EL2", f->elr);
  putc('\n');
  system_off();
}

void hyp_trap(struct frame *f, int slot) {
  if (slot == 8) {
    el2_sync_handler(f);
    return;
  }
  puts("unexpected exception at EL2, vector slot ");
  putdec((u64)slot);
  putkv("ESR_EL2", read_sysreg(esr_el2));
  putkv("ELR_EL2", read_sysreg(elr_el2));
  putc('\n');
  system_off();
}

int main(void) {
  putln("s2-faults: stage-2 aborts as a hypervisor sees them");
  write_sysreg(vbar_el2, hyp_vectors);
  build_stage2();
  puts("VTTBR_EL2=");
  puthex(read_sysreg(vttbr_el2));
  puts(" VTCR_EL2=");
  puthex(read_sysreg(vtcr_el2));
  putc('\n');
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(cptr_el2, 0x33ffUL);
  write_sysreg(hcr_el2, HCR_RW | HCR_TSC | HCR_VM);
  isb();
  enter_guest(guest_entry, 0x3c5UL);
}
