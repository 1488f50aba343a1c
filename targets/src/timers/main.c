/* timers: the generic timers as EL2 sees them, each firing into the GICv3 as its PPI: EL1 virtual
 * (CNTV, INTID 27, compared with CNTPCT - CNTVOFF_EL2), EL2 physical (CNTHP, INTID 26), EL1 physical
 * (CNTP, INTID 30), then with HCR_EL2.E2H=1 the EL2 virtual timer (CNTHV, polled). Deadlines are
 * 10 ms apart; each must fire exactly once (QEMU's timers follow the host clock, so on a loaded host two
 * deadlines can arrive together: the results are printed in a fixed order). Arm ARM D11. */
#include "target.h"
#include "vectors.h"

#define GICD 0x08000000UL
#define GICR 0x080a0000UL
#define SGI_BASE (GICR + 0x10000UL)
#define R32(a) (*(volatile u32 *)(a))
#define GAP 625000UL /* 10 ms at 62.5 MHz */

extern char tmr_vectors[];
static volatile int fired;
static volatile u64 seen_istatus[32], seen_count[32];

static void gic_init(void) {
  R32(GICD + 0x0) = (1u << 4) | (1u << 1) | 1u;
  while (R32(GICD + 0x0) & (1u << 31)) {
  }
  R32(GICR + 0x14) &= ~(1u << 1);
  while (R32(GICR + 0x14) & (1u << 2)) {
  }
  R32(SGI_BASE + 0x80) = 0xffffffffu;
  R32(SGI_BASE + 0x100) = (1u << 26) | (1u << 27) | (1u << 28) | (1u << 30);
  write_sysreg(S3_4_C12_C9_5, 0xfUL);
  isb();
  write_sysreg(S3_0_C4_C6_0, 0xffUL);
  write_sysreg(S3_0_C12_C12_4, 0UL);
  write_sysreg(S3_0_C12_C12_7, 1UL);
  isb();
}

void tmr_trap(struct frame *f, int slot) {
  (void)f;
  if ((slot & 3) != 1) {
    puts("unexpected exception");
    putkv("ESR_EL2", read_sysreg(esr_el2));
    putc('\n');
    system_off();
  }
  u64 intid = read_sysreg(S3_0_C12_C12_0) & 0xffffff;
  u64 ctl = 0;
  const char *name = "?";
  switch (intid) {
    case 27: name = "CNTV (EL1 virtual)"; ctl = read_sysreg(cntv_ctl_el0); write_sysreg(cntv_ctl_el0, 0UL); break;
    case 26: name = "CNTHP (EL2 physical)"; ctl = read_sysreg(cnthp_ctl_el2); write_sysreg(cnthp_ctl_el2, 0UL); break;
    case 30: name = "CNTP (EL1 physical)"; ctl = read_sysreg(cntp_ctl_el0); write_sysreg(cntp_ctl_el0, 0UL); break;
    case 28: name = "CNTHV (EL2 virtual)"; ctl = read_sysreg(S3_4_C14_C3_1); write_sysreg(S3_4_C14_C3_1, 0UL); break;
  }
  isb();
  (void)name;
  if (intid < 32) {
    seen_istatus[intid] = (ctl >> 2) & 1;
    seen_count[intid]++;
  }
  write_sysreg(S3_0_C12_C12_1, intid);
  fired++;
}

int main(void) {
  putln("timers: CNTV, CNTHP and CNTP interrupts at EL2, the VHE CNTHV status");
  write_sysreg(vbar_el2, tmr_vectors);
  write_sysreg(hcr_el2, (1UL << 31) | (1UL << 4) | (1UL << 3)); /* RW IMO FMO */
  write_sysreg(cnthctl_el2, 3UL);
  isb();
  gic_init();
  puts("CNTFRQ_EL0 = ");
  putdec(read_sysreg(cntfrq_el0));
  putc('\n');

  u64 off = read_sysreg(cntpct_el0) - 0x100;
  write_sysreg(cntvoff_el2, off);
  isb();
  u64 now = read_sysreg(cntpct_el0);
  puts("CNTVCT_EL0 < CNTPCT_EL0 with CNTVOFF_EL2 = (CNTPCT_EL0 at the time) - 0x100: ");
  putdec(read_sysreg(cntvct_el0) < read_sysreg(cntpct_el0));
  putc('\n');
  write_sysreg(cntv_cval_el0, now - off + 1 * GAP);   /* virtual compare value: counts minus CNTVOFF */
  write_sysreg(cntv_ctl_el0, 1UL);
  write_sysreg(cnthp_cval_el2, now + 2 * GAP);
  write_sysreg(cnthp_ctl_el2, 1UL);
  write_sysreg(cntp_tval_el0, 3 * GAP);               /* TVAL: relative to now */
  write_sysreg(cntp_ctl_el0, 1UL);
  isb();
  __asm__ volatile("msr daifclr, #2" ::: "memory");
  while (fired < 3) __asm__ volatile("wfi");
  __asm__ volatile("msr daifset, #2" ::: "memory");
  /* printed in a fixed order: under a loaded host QEMU may deliver two deadlines together */
  static const unsigned ids[] = {27, 26, 30};
  static const char *const names[] = {"CNTV (EL1 virtual)", "CNTHP (EL2 physical)", "CNTP (EL1 physical)"};
  for (int i = 0; i < 3; i++) {
    puts("IRQ ");
    putdec(ids[i]);
    puts(" ");
    puts(names[i]);
    puts(": taken ");
    putdec(seen_count[ids[i]]);
    puts(" time(s), CTL.ISTATUS in the handler=");
    putdec(seen_istatus[ids[i]]);
    putc('\n');
  }

  puts("CNTP with IMASK=1 and an expired deadline: ");
  write_sysreg(cntp_cval_el0, 0UL);
  write_sysreg(cntp_ctl_el0, 3UL);                    /* ENABLE | IMASK */
  isb();
  u64 c = read_sysreg(cntp_ctl_el0);
  puts("ISTATUS=");
  putdec((c >> 2) & 1);
  puts(", GICR_ISPENDR0 bit 30=");
  putdec((R32(SGI_BASE + 0x200) >> 30) & 1);
  putc('\n');
  write_sysreg(cntp_ctl_el0, 0UL);

  /* VHE: the EL2 virtual timer exists when E2H=1 */
  write_sysreg(hcr_el2, (1UL << 31) | (1UL << 34) | (1UL << 27) | (1UL << 4) | (1UL << 3));
  isb();
  /* QEMU 7.2's virt does not wire the EL2 virtual timer to a PPI, so poll its ISTATUS (IMASK set) */
  write_sysreg(S3_4_C14_C3_0, 0x7fffffffUL);          /* CNTHV_TVAL_EL2: ~34 s away */
  write_sysreg(S3_4_C14_C3_1, 3UL);                   /* CNTHV_CTL_EL2: ENABLE | IMASK */
  isb();
  puts("CNTHV (EL2 virtual, E2H=1) armed far away: ISTATUS=");
  putdec((read_sysreg(S3_4_C14_C3_1) >> 2) & 1);
  write_sysreg(S3_4_C14_C3_0, 0UL);                   /* deadline now */
  isb();
  while (!((read_sysreg(S3_4_C14_C3_1) >> 2) & 1)) __asm__ volatile("isb");
  puts("; TVAL=0: ISTATUS=1, CNTHV_TVAL_EL2 now <= 0: ");
  putdec((s32)read_sysreg(S3_4_C14_C3_0) <= 0);
  putc('\n');
  write_sysreg(S3_4_C14_C3_1, 0UL);
  putln("timers: done");
  return 0;
}
