/* mmu-s12: stage 1 under stage 2 as a hypervisor sees it. The hypervisor builds two VMs' stage-2
 * tables (VMID 1 and 2, sharing every IPA except their data block), and the guest's own stage-1
 * tables (4 KiB granule, 39-bit VA). From EL2 it prints AT S1E1R/W, S12E1R/W and S1E0R results for
 * a set of guest VAs (PAR_EL1), then runs the guest at EL1 with its MMU on and prints each stage-1
 * fault the guest reports, each stage-2 abort it takes itself (ESR_EL2, FAR_EL2, HPFAR_EL2), the
 * values the guest reads after a VMID switch without TLBI and after a TLBI VAE1IS.
 * Arm ARM: D8.2 (translation process), D8.3 (descriptors), D8.4 (permissions), D8.12 (AT),
 * D8.13 (TLB maintenance), D17.2.37 (ESR_ELx), D17.2.113 (PAR_EL1). */
#include "target.h"
#include "vectors.h"

extern char hyp_vectors[];
extern char guest_entry[], guest_vectors[], guest_l3_entry0[], __guest_pa[];
void enter_guest(void *entry, u64 spsr) __attribute__((noreturn));

#define HCR_VM (1UL << 0)
#define HCR_RW (1UL << 31)

#define D_TABLE 0x3UL
#define D_BLOCK 0x1UL
#define D_PAGE 0x3UL
#define AF (1UL << 10)
#define SH_INNER (0x3UL << 8)
/* stage 2 */
#define S2_WB (0xfUL << 2)
#define S2AP_RO (0x1UL << 6)
#define S2AP_RW (0x3UL << 6)
#define S2_RW (S2_WB | S2AP_RW | SH_INNER | AF)
/* stage 1 */
#define S1_NORMAL (0UL << 2) /* MAIR attr0 */
#define S1_AP_EL0 (1UL << 6)
#define S1_AP_RO (1UL << 7)
#define S1_UXN (1UL << 54)
#define S1_RW (S1_NORMAL | SH_INNER | AF)

#define GUEST_IPA 0x40000000UL
#define PA_OF(ipa) ((u64)__guest_pa + ((ipa) - GUEST_IPA)) /* inside the guest's 2 MiB block */
#define VM1_DATA 0x44200000UL
#define VM2_DATA 0x44600000UL
#define S2RO_PAGE 0x44400000UL

u64 s2_l1a[512] __attribute__((aligned(4096)));
u64 s2_l1b[512] __attribute__((aligned(4096)));
u64 s2_l2a[512] __attribute__((aligned(4096)));
u64 s2_l2b[512] __attribute__((aligned(4096)));
u64 s2_l3[512] __attribute__((aligned(4096)));

/* guest stage-1 tables live in guest memory at IPA 0x4010_0000 (PA 0x4410_0000) */
#define G_L1 0x40100000UL
#define G_L2 0x40101000UL
#define G_L3 0x40102000UL

static u64 vttbr1, vttbr2;

static void build_stage2(void) {
  /* IPA 0x4000_0000 (1 GiB, level-1 index 1) */
  s2_l1a[1] = (u64)s2_l2a | D_TABLE;
  s2_l1b[1] = (u64)s2_l2b | D_TABLE;
  s2_l2a[0] = s2_l2b[0] = (u64)__guest_pa | D_BLOCK | S2_RW; /* guest code, stack, tables */
  s2_l2a[1] = VM1_DATA | D_BLOCK | S2_RW;                     /* IPA 0x4020_0000: VM 1 data */
  s2_l2b[1] = VM2_DATA | D_BLOCK | S2_RW;                     /* same IPA: VM 2 data */
  s2_l2a[2] = s2_l2b[2] = (u64)s2_l3 | D_TABLE;               /* IPA 0x4040_0000: level 3 */
  s2_l3[0] = S2RO_PAGE | D_PAGE | S2_WB | S2AP_RO | SH_INNER | AF; /* read-only; next page: hole */
  /* s2_l2x[3] (IPA 0x4060_0000) stays invalid: the guest puts a stage-1 table there */
  write_sysreg(vtcr_el2, 32UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 31));
  vttbr1 = (1UL << 48) | (u64)s2_l1a;
  vttbr2 = (2UL << 48) | (u64)s2_l1b;
  write_sysreg(vttbr_el2, vttbr1);
  isb();
}

static void gw(u64 ipa, u64 v) { *(volatile u64 *)PA_OF(ipa) = v; }

static void build_stage1(void) {
  for (u64 i = 0; i < 3 * 512; i++) gw(G_L1 + 8 * i, 0);
  gw(G_L1 + 0 * 8, G_L2 | D_TABLE);                           /* VA 0..1 GiB */
  gw(G_L1 + 1 * 8, GUEST_IPA | D_BLOCK | S1_RW);              /* VA = IPA for the guest's own 1 GiB */
  gw(G_L2 + 0x80 * 8, G_L3 | D_TABLE);                        /* VA 0x1000_0000 */
  gw(G_L2 + 0x81 * 8, 0x40600000UL | D_TABLE);                /* VA 0x1020_0000: table in an S2 hole */
  gw(G_L3 + 0 * 8, 0x40200000UL | D_PAGE | S1_RW);            /* data */
  gw(G_L3 + 1 * 8, 0x40201000UL | D_PAGE | S1_RW | S1_AP_RO); /* stage-1 read-only */
  gw(G_L3 + 2 * 8, 0x40400000UL | D_PAGE | S1_RW);            /* stage-2 read-only */
  gw(G_L3 + 3 * 8, 0x40202000UL | D_PAGE | S1_NORMAL | SH_INNER); /* AF = 0 */
  gw(G_L3 + 4 * 8, 0x40401000UL | D_PAGE | S1_RW);            /* stage-2 level-3 hole */
  gw(G_L3 + 5 * 8, 0x40203000UL | D_PAGE | S1_RW | S1_AP_EL0 | S1_UXN); /* EL0 RW */
  *(volatile u64 *)PA_OF((u64)guest_l3_entry0) = G_L3;        /* VA of L3[0] (VA = IPA up there) */
  /* data the guest will read */
  *(volatile u64 *)VM1_DATA = 0x1111111111111111UL;
  *(volatile u64 *)VM2_DATA = 0x2222222222222222UL;
  *(volatile u64 *)(VM1_DATA + 0x1000) = 0xaaaaaaaaaaaaaaaaUL;
  *(volatile u64 *)S2RO_PAGE = 0x4444444444444444UL;
  dsb_sy();
  write_sysreg(mair_el1, 0x00ffUL);                           /* attr0 Normal WB, attr1 Device */
  /* T0SZ=25, IRGN0/ORGN0 WB, SH0 inner, TG0 4K, EPD1, IPS 32 bits */
  write_sysreg(tcr_el1, 25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23));
  write_sysreg(ttbr0_el1, G_L1);
  write_sysreg(sctlr_el1, 0x30d00800UL | 0x1005UL);           /* M, C, I */
  isb();
  __asm__ volatile("tlbi vmalls12e1\n dsb ish\n isb" ::: "memory");
}

/* PAR_EL1 as printed: for F=1 bit 11 is RES1 in the Arm ARM but QEMU 7.2 leaves it 0, and bits
 * [63:48] are IMPLEMENTATION DEFINED: both are masked so the output compares across models. */
static u64 par_shown(u64 par) {
  if (par & 1) par &= ~((1UL << 11) | (0xffffUL << 48));
  return par;
}

#define AT(op, va) ({ __asm__ volatile("at " op ", %0\n isb" : : "r"(va) : "memory"); par_shown(read_sysreg(par_el1)); })

static void at_table(void) {
  static const u64 vas[] = {0x10000000UL, 0x10001000UL, 0x10002000UL, 0x10003000UL,
                            0x10004000UL, 0x10005000UL, 0x10200000UL, 0x20000000UL};
  puts("AT from EL2 (PAR_EL1):\n");
  for (unsigned i = 0; i < sizeof vas / sizeof vas[0]; i++) {
    u64 va = vas[i];
    puts("  VA ");
    putx(va);
    putc('\n');
    puts("    S1E1R=");
    puthex(AT("s1e1r", va));
    puts(" S1E1W=");
    puthex(AT("s1e1w", va));
    putc('\n');
    puts("    S12E1R=");
    puthex(AT("s12e1r", va));
    puts(" S12E1W=");
    puthex(AT("s12e1w", va));
    puts(" S1E0R=");
    puthex(AT("s1e0r", va));
    putc('\n');
  }
}

static void guest_off(u64 elr) {
  if (elr >= (u64)guest_entry && elr < (u64)guest_entry + 0x1000) {
    puts("guest_entry+");
    putx(elr - (u64)guest_entry);
  } else {
    putx(elr);
  }
}

static void el2_abort(struct frame *f, u64 esr) {
  u64 far = read_sysreg(far_el2), hpfar = read_sysreg(hpfar_el2);
  puts("  EL2 abort at ");
  guest_off(f->elr);
  puts(": ESR_EL2=");
  puthex32((u32)esr);
  puts(" FAR_EL2=");
  putx(far);
  puts(" HPFAR_EL2=");
  putx(hpfar);
  putc('\n');
  int isv = (esr >> 24) & 1;
  if (isv && !((esr >> 6) & 1)) {
    unsigned srt = (esr >> 16) & 31;
    if (srt != 31) f->x[srt] = 0x5a5a5a5a;
    puts("    emulated load into x");
    putdec(srt);
    putc('\n');
  } else {
    puts(isv ? "    store ignored\n" : "    no syndrome: skipped\n");
  }
  f->elr += 4;
}

void hyp_trap(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el2);
  u64 ec = esr >> 26;
  if (slot != 8) {
    puts("unexpected exception at EL2, slot ");
    putdec((u64)slot);
    putkv("ESR_EL2", esr);
    putkv("ELR_EL2", f->elr);
    putc('\n');
    system_off();
  }
  if (ec == 0x24 || ec == 0x20) {
    el2_abort(f, esr);
    return;
  }
  if (ec == 0x16) {
    unsigned imm = esr & 0xffff;
    switch (imm) {
      case 0x10:
        puts("  guest read ");
        puthex(f->x[1]);
        putc('\n');
        return;
      case 0x11:
        puts("  EL1 fault: ESR_EL1=");
        puthex32((u32)f->x[1]);
        puts(" FAR_EL1=");
        putx(f->x[2]);
        putc('\n');
        return;
      case 0x12:
        puts("  switch to VMID 2 (no TLBI)\n");
        write_sysreg(vttbr_el2, vttbr2);
        isb();
        return;
      case 0x13:
        puts("  switch to VMID 1 (no TLBI)\n");
        write_sysreg(vttbr_el2, vttbr1);
        isb();
        return;
      case 0x14:
        puts("  guest AT: PAR_EL1=");
        puthex(par_shown(f->x[1]));
        putc('\n');
        return;
      case 0:
        if (f->x[0] == PSCI_SYSTEM_OFF) {
          puts("mmu-s12: done\n");
          system_off();
        }
        break;
      default:
        break;
    }
  }
  puts("unexpected exception from the guest");
  putkv("ESR_EL2", esr);
  putkv("ELR_EL2", f->elr);
  putkv("x1", f->x[1]);
  putkv("x2", f->x[2]);
  putkv("x3", f->x[3]);
  putc('\n');
  system_off();
}

int main(void) {
  putln("mmu-s12: stage 1 under stage 2, two VMIDs, AT and TLBI");
  write_sysreg(vbar_el2, hyp_vectors);
  build_stage2();
  build_stage1();
  write_sysreg(cptr_el2, 0x33ffUL);
  write_sysreg(hcr_el2, HCR_RW | HCR_VM);
  isb();
  at_table();
  puts("guest run:\n");
  enter_guest(guest_entry, 0x3c5UL);
}
