/* mmu-granules: translation granules other than 4 KiB. Stage 2 (VTCR_EL2.TG0=16 KiB, T0SZ=32,
 * start level 2): IPA 0x4000_0000 -> PA 0x4400_0000 as one 32 MiB level-2 block (the guest's
 * image and tables), IPA 0x4200_0000.. through a level-3 table of 16 KiB pages, some missing. The
 * guest's stage 1 uses the 64 KiB granule (512 MiB level-2 block and 64 KiB level-3 pages). The
 * hypervisor prints what the guest read, the stage-2 fault it took at level 3, and AT results.
 * Arm ARM D8.2 (granule sizes, start levels, block sizes per level). */
#include "target.h"
#include "vectors.h"

extern char hyp_vectors[];
extern char guest_entry[], __guest_pa[];
void enter_guest(void *entry, u64 spsr) __attribute__((noreturn));

/* 16 KiB granule: 2048 entries per table; with T0SZ=32 the start level 2 table has 128 */
u64 s2_l2[2048] __attribute__((aligned(16384)));
u64 s2_l3[2048] __attribute__((aligned(16384)));

#define S2_NORMAL ((0xfUL << 2) | (3UL << 6) | (3UL << 8) | (1UL << 10))
#define DATA_PA 0x46000000UL

static void build_stage2(void) {
  s2_l2[0x40000000UL >> 25] = (u64)__guest_pa | 1 | S2_NORMAL;   /* 32 MiB block */
  s2_l2[0x42000000UL >> 25] = (u64)s2_l3 | 3;
  /* IPA 0x4201_0000..0x4202_7fff: 16 KiB pages 4..9 -> PA DATA_PA + 16K*i; page 12 (0x4203_0000) missing */
  for (unsigned i = 4; i < 10; i++) s2_l3[i] = (DATA_PA + i * 0x4000UL) | 3 | S2_NORMAL;
  /* patterns: the first words and the last word of each data page */
  for (unsigned i = 4; i < 10; i++) {
    volatile u64 *p = (volatile u64 *)(DATA_PA + i * 0x4000UL);
    p[0] = 0x1600000000000000UL | (i << 16);
    p[4] = 0x1600000000000020UL | (i << 16);
    p[0x3ff8 / 8] = 0x16000000000003f8UL | (i << 16);
  }
  dsb_sy();
  /* VTCR_EL2: T0SZ=32, SL0=1 (16K: start at level 2), IRGN0=ORGN0=1, SH0=3, TG0=0b10 (16K), PS=0 */
  write_sysreg(vtcr_el2, 32UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (2UL << 14) | (1UL << 31));
  write_sysreg(vttbr_el2, (3UL << 48) | (u64)s2_l2);
  isb();
  __asm__ volatile("tlbi vmalls12e1\n dsb ish\n isb" ::: "memory");
}

static void at_show(const char *op, u64 va, u64 par) {
  puts("  AT ");
  puts(op);
  puts(" VA ");
  putx(va);
  if (par & 1) {
    puts(": fault FST=");
    putx((par >> 1) & 0x3f);
    puts(" S=");
    putdec((par >> 9) & 1);
    puts(" PTW=");
    putdec((par >> 8) & 1);
  } else {
    puts(": PA ");
    putx(par & 0x0000fffffffff000UL);
  }
  putc('\n');
}

#define AT(op, va)                                                          \
  do {                                                                      \
    __asm__ volatile("at " #op ", %0\n isb" : : "r"((u64)(va)) : "memory"); \
    at_show(#op, (va), read_sysreg(par_el1));                               \
  } while (0)

void el2_sync_handler(struct frame *f) {
  u64 esr = read_sysreg(esr_el2);
  u64 ec = esr >> 26;
  if (ec == 0x24) {
    puts("stage-2 abort: ESR_EL2=");
    puthex32((u32)esr);
    puts(" (DFSC ");
    putx(esr & 0x3f);
    puts(") FAR_EL2=");
    putx(read_sysreg(far_el2));
    puts(" HPFAR_EL2=");
    putx(read_sysreg(hpfar_el2));
    puts("; x4 left unchanged\n");
    f->elr += 4;
    return;
  }
  if (ec == 0x16 && f->x[0] == 0xc6000001UL) {
    puts("guest read through 64K stage 1 + 16K stage 2:\n");
    for (int r = 1; r <= 4; r++) {
      puts("  x");
      putdec((u64)r);
      puts(" = ");
      puthex(f->x[r]);
      putc('\n');
    }
    AT(s1e1r, 0x60000020UL);
    AT(s12e1r, 0x60000020UL);
    AT(s12e1r, 0x60014000UL);
    AT(s12e1r, 0x60020008UL);
    AT(s1e1r, 0x60030000UL);
    AT(s12e1r, 0x40001000UL);
    return;
  }
  if (ec == 0x17 && f->x[0] == PSCI_SYSTEM_OFF) {
    puts("mmu-granules: done\n");
    system_off();
  }
  puts("unexpected exception");
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
  puts("unexpected exception, slot ");
  putdec((u64)slot);
  putc('\n');
  system_off();
}

int main(void) {
  putln("mmu-granules: 64 KiB stage 1 under a 16 KiB stage 2");
  write_sysreg(vbar_el2, hyp_vectors);
  build_stage2();
  puts("VTCR_EL2=");
  puthex(read_sysreg(vtcr_el2));
  puts(" VTTBR_EL2=");
  puthex(read_sysreg(vttbr_el2));
  putc('\n');
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(cptr_el2, 0x33ffUL);
  write_sysreg(hcr_el2, (1UL << 31) | (1UL << 19) | 1UL);
  isb();
  enter_guest(guest_entry, 0x3c5UL);
}
