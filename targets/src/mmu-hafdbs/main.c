/* mmu-hafdbs: hardware management of the Access flag and dirty state (FEAT_HAFDBS) in the EL2
 * stage 1 (E2H=0), with TCR_EL2.HA=1 and HD=1, on four 4 KiB pages at VA=PA 0x4100_0000..:
 *   page 0: AF=0            read           -> the walk sets AF, no fault
 *   page 1: AF=1 DBM=1 RO   write          -> the walk clears AP[2] (dirty), no fault
 *   page 2: AF=0 DBM=1 RO   write          -> both
 *   page 3: AF=1 DBM=0 RO   write          -> permission fault (DBM clear: no dirty management)
 * Golden recorded from QEMU 7.2 (-cpu max has FEAT_HAFDBS, ID_AA64MMFR1_EL1.HAFDBS=2).
 * Arm ARM D8.4 (hardware updates of the Access flag and dirty state). */
#include "target.h"
#include "vectors.h"

extern char haf_vectors[];
static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2_low[512] __attribute__((aligned(4096)));
static u64 l2[512] __attribute__((aligned(4096)));
static u64 l3[512] __attribute__((aligned(4096)));

#define AF (1UL << 10)
#define AP_RO (1UL << 7)     /* AP[2] */
#define DBM (1UL << 51)
#define BASE_ATTRS ((3UL << 8) | 0x3UL) /* SH inner, AttrIndx 0, page */
#define PAGES 0x41000000UL
static int faults;

void haf_trap(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el2);
  if (slot != 4 || (esr >> 26) != 0x25) {
    puts("unexpected exception");
    putkv("ESR_EL2", esr);
    putkv("ELR_EL2", read_sysreg(elr_el2));
    putc('\n');
    system_off();
  }
  /* only the architecturally defined parts that matter here: EC, WnR, DFSC */
  puts("  data abort at EL2: EC=0x25 WnR=");
  putdec((esr >> 6) & 1);
  puts(" DFSC=");
  putx(esr & 0x3f);
  puts(" FAR=");
  putx(read_sysreg(far_el2));
  putc('\n');
  faults++;
  f->elr += 4;
}

static void show(const char *when) {
  puts(when);
  putc('\n');
  for (int i = 0; i < 4; i++) {
    u64 d = l3[i];
    puts("  page ");
    putdec((u64)i);
    puts(": AF=");
    putdec((d >> 10) & 1);
    puts(" AP[2]=");
    putdec((d >> 7) & 1);
    puts(" DBM=");
    putdec((d >> 51) & 1);
    putc('\n');
  }
}

int main(void) {
  putln("mmu-hafdbs: hardware Access flag and dirty state, EL2 stage 1");
  u64 mmfr1 = read_sysreg(id_aa64mmfr1_el1);
  puts("ID_AA64MMFR1_EL1.HAFDBS=");
  putdec(mmfr1 & 0xf);
  putc('\n');
  write_sysreg(vbar_el2, haf_vectors);
  l1[0] = (u64)l2_low | 3;
  l2_low[0x09000000UL >> 21] = 0x09000000UL | 1 | (1UL << 2) | AF;      /* UART, Device */
  l1[1] = (u64)l2 | 3;
  l2[0] = 0x40000000UL | 1 | (3UL << 8) | AF;                            /* image, 2 MiB, Normal */
  l2[1] = 0x40200000UL | 1 | (3UL << 8) | AF;
  l2[(PAGES >> 21) & 511] = (u64)l3 | 3;
  for (u64 i = 0; i < 4; i++) *(volatile u64 *)(PAGES + i * 0x1000) = 0x7000 + i; /* MMU still off */
  l3[0] = PAGES | BASE_ATTRS;
  l3[1] = (PAGES + 0x1000) | BASE_ATTRS | AF | DBM | AP_RO;
  l3[2] = (PAGES + 0x2000) | BASE_ATTRS | DBM | AP_RO;
  l3[3] = (PAGES + 0x3000) | BASE_ATTRS | AF | AP_RO;
  dsb_sy();
  write_sysreg(mair_el2, 0x00ffUL);
  /* TCR_EL2 (E2H=0): T0SZ=32, IRGN0=ORGN0=WBWA, SH0=inner, TG0=4K, PS=32 bits, HA (21), HD (22), RES1 23, 31 */
  write_sysreg(tcr_el2, 32UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 21) | (1UL << 22) |
                            (1UL << 23) | (1UL << 31));
  write_sysreg(ttbr0_el2, (u64)l1);
  __asm__ volatile("isb\n tlbi alle2\n dsb ish\n isb" ::: "memory");
  write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | 1UL | (1UL << 2) | (1UL << 12));
  isb();
  show("descriptors before:");
  u64 v = *(volatile u64 *)(PAGES + 0x0008 - 8);
  puts("read page 0: ");
  putx(v);
  putc('\n');
  *(volatile u64 *)(PAGES + 0x1000) = 0x1111;
  *(volatile u64 *)(PAGES + 0x2000) = 0x2222;
  puts("write page 3 (read-only, no DBM):\n");
  *(volatile u64 *)(PAGES + 0x3008) = 0x3333;
  __asm__ volatile("dsb ish" ::: "memory");
  show("descriptors after (read back with the MMU on):");
  puts("page contents: ");
  for (u64 i = 0; i < 4; i++) {
    putx(*(volatile u64 *)(PAGES + i * 0x1000));
    putc(' ');
  }
  puts("\nfaults: ");
  putdec((u64)faults);
  putc('\n');
  putln("mmu-hafdbs: done");
  return 0;
}
