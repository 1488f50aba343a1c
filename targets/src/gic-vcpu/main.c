/* gic-vcpu: a hypervisor's use of the GICv3 (QEMU -M virt,gic-version=3; el2scope's board).
 *  A. a physical SGI to itself at EL2 (ICC_SGI1R_EL1, IAR1/EOIR1);
 *  B. a virtual interrupt injected through ICH_LR0_EL2 (with the EOI maintenance bit), acknowledged
 *     and EOI'd by the guest at EL1 through ICV_IAR1/ICV_EOIR1 (its ICC_* accesses, HCR_EL2.IMO=1);
 *     the maintenance interrupt (PPI 9, INTID 25) then reaches EL2 with ICH_MISR/EISR/ELRSR showing it;
 *  C. the guest's virtual timer (PPI 11, INTID 27) firing while the guest waits in WFI: EL2 takes
 *     the physical interrupt, drops its priority (EOImode=1) and injects it with a hardware-linked
 *     LR, and the guest's virtual EOI deactivates the physical interrupt. CNTVOFF_EL2 offsets the
 *     guest's counter.
 * Arm IHI 0069 (GICv3): 12.4 (ICC/ICH/ICV registers), 6.x (virtualization); Arm ARM D11 (timers). */
#include "target.h"
#include "vectors.h"

#define GICD 0x08000000UL
#define GICR 0x080a0000UL
#define SGI_BASE (GICR + 0x10000UL)
#define R32(a) (*(volatile u32 *)(a))

#define HCR_RW (1UL << 31)
#define HCR_TSC (1UL << 19)
#define HCR_IMO (1UL << 4)
#define HCR_FMO (1UL << 3)

#define LR_PENDING (1UL << 62)
#define LR_HW (1UL << 61)
#define LR_GROUP1 (1UL << 60)
#define LR_EOI (1UL << 41)
#define LR_PRIO(p) ((u64)(p) << 48)
#define LR_PINTID(n) ((u64)(n) << 32)

extern char hyp_vectors[], guest_vectors[];
void enter_el1(void (*pc)(void), u64 spsr) __attribute__((noreturn));
static void guest_main(void);

static u64 el1_stack[1024] __attribute__((aligned(16)));
static volatile int sgi_seen, guest_irqs, timer_fired;

#define sr_r(name) read_sysreg(name)
#define sr_w(name, v) write_sysreg(name, v)

static void gic_init(void) {
  R32(GICD + 0x0) = (1u << 4) | (1u << 1) | 1u; /* ARE, EnableGrp1, EnableGrp0 (no security: DS=1) */
  while (R32(GICD + 0x0) & (1u << 31)) {      /* RWP */
  }
  R32(GICR + 0x14) &= ~(1u << 1);             /* WAKER.ProcessorSleep = 0 */
  while (R32(GICR + 0x14) & (1u << 2)) {      /* ChildrenAsleep */
  }
  R32(SGI_BASE + 0x80) = 0xffffffffu;         /* IGROUPR0: SGIs/PPIs in group 1 */
  /* IPRIORITYR: SGI 1 0x80, PPI 9 (INTID 25) 0x40, PPI 11 (INTID 27) 0x80 */
  *(volatile u8 *)(SGI_BASE + 0x400 + 1) = 0x80;
  *(volatile u8 *)(SGI_BASE + 0x400 + 25) = 0x40;
  *(volatile u8 *)(SGI_BASE + 0x400 + 27) = 0x80;
  R32(SGI_BASE + 0x100) = (1u << 1) | (1u << 25) | (1u << 27); /* ISENABLER0 */
  write_sysreg(S3_4_C12_C9_5, 0xfUL);         /* ICC_SRE_EL2: SRE, DFB, DIB, Enable (EL1 may use SRE) */
  isb();
  write_sysreg(S3_0_C4_C6_0, 0xffUL);         /* ICC_PMR_EL1 */
  write_sysreg(S3_0_C12_C12_3, 0UL);          /* ICC_BPR1_EL1 */
  write_sysreg(S3_0_C12_C12_4, 1UL << 1);     /* ICC_CTLR_EL1.EOImode=1: EOIR drops priority, DIR (or a HW-linked virtual EOI) deactivates */
  write_sysreg(S3_0_C12_C12_7, 1UL);          /* ICC_IGRPEN1_EL1 */
  isb();
}

static void show_ich(const char *when) {
  puts("[hyp] ");
  puts(when);
  puts(": ICH_MISR_EL2=");
  putx(read_sysreg(S3_4_C12_C11_2));
  puts(" ICH_EISR_EL2=");
  putx(read_sysreg(S3_4_C12_C11_3));
  puts(" ICH_ELRSR_EL2.bit0=");
  putx(read_sysreg(S3_4_C12_C11_5) & 1);
  puts(" ICH_LR0_EL2=");
  putx(read_sysreg(S3_4_C12_C12_0));
  putc('\n');
}

/* ---------------- EL2 ---------------- */
static void hyp_irq(void) {
  u64 intid = read_sysreg(S3_0_C12_C12_0) & 0xffffff; /* ICC_IAR1_EL1 */
  if (intid == 1) {
    puts("[hyp] IRQ at EL2: ICC_IAR1_EL1=1 (SGI 1), ICC_RPR_EL1=");
    putx(read_sysreg(S3_0_C12_C11_3));
    putc('\n');
    write_sysreg(S3_0_C12_C12_1, intid);      /* ICC_EOIR1_EL1: priority drop (EOImode=1) */
    write_sysreg(S3_0_C12_C11_1, intid);      /* ICC_DIR_EL1: deactivate */
    sgi_seen = 1;
  } else if (intid == 25) {
    puts("[hyp] maintenance interrupt (INTID 25)\n");
    show_ich("on it");
    write_sysreg(S3_4_C12_C12_0, 0UL);        /* retire LR0: the MISR condition goes away */
    isb();
    show_ich("LR0 cleared");
    write_sysreg(S3_0_C12_C12_1, intid);
    write_sysreg(S3_0_C12_C11_1, intid);
  } else if (intid == 27) {
    timer_fired = 1;
    puts("[hyp] physical INTID 27 (virtual timer) while the guest runs: priority drop, "
         "inject as a hardware-linked LR\n");
    write_sysreg(S3_0_C12_C12_1, intid);      /* EOImode=1: priority drop only, stays active */
    write_sysreg(S3_4_C12_C12_0, LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(0x80) | LR_PINTID(27) | 27);
    isb();
    puts("[hyp] GICR_ISACTIVER0 bit 27 (physical still active) = ");
    putdec((R32(SGI_BASE + 0x300) >> 27) & 1);
    putc('\n');
  } else {
    puts("[hyp] unexpected INTID ");
    putx(intid);
    putc('\n');
    system_off();
  }
}

void hyp_trap(struct frame *f, int slot) {
  if ((slot & 3) == 1) { /* IRQ, from EL2 itself or from the guest */
    hyp_irq();
    return;
  }
  u64 esr = read_sysreg(esr_el2);
  u64 ec = esr >> 26;
  if (slot == 8 && ec == 0x16) {
    if ((esr & 0xffff) == 1) {
      show_ich("after the guest's EOI");
    } else if ((esr & 0xffff) == 2) {
      puts("[hyp] after the timer round: GICR_ISACTIVER0 bit 27 = ");
      putdec((R32(SGI_BASE + 0x300) >> 27) & 1);
      puts(", ICH_LR0_EL2 state = ");
      putx(read_sysreg(S3_4_C12_C12_0) >> 62);
      putc('\n');
      u64 v = read_sysreg(cntvct_el0);
      u64 p = read_sysreg(cntpct_el0);
      puts("[hyp] CNTPCT_EL0 - CNTVCT_EL0 - CNTVOFF_EL2 is small and >= 0: ");
      putdec(p - v - read_sysreg(cntvoff_el2) < 62500000UL); /* under a second, even on a loaded host */
      putc('\n');
    }
    return;
  }
  if (slot == 8 && ec == 0x17 && f->x[0] == PSCI_SYSTEM_OFF) {
    puts("[hyp] guest asked for SYSTEM_OFF\n");
    system_off();
  }
  puts("[hyp] unexpected exception");
  putkv("ESR_EL2", esr);
  putkv("ELR_EL2", read_sysreg(elr_el2));
  puts(" slot ");
  putdec((u64)slot);
  putc('\n');
  system_off();
}

int main(void) {
  putln("gic-vcpu: GICv3 physical and virtual CPU interface from a hypervisor");
  write_sysreg(vbar_el2, hyp_vectors);
  gic_init();

  /* A: SGI 1 to ourselves (ICC_SGI1R_EL1: INTID [27:24], TargetList [15:0]). Physical IRQs are
   * taken at EL2 only when routed there: HCR_EL2.IMO=1. */
  write_sysreg(hcr_el2, HCR_RW | HCR_IMO | HCR_FMO);
  isb();
  write_sysreg(S3_0_C12_C11_5, (1UL << 24) | 1UL);
  isb();
  __asm__ volatile("msr daifclr, #2" ::: "memory");
  for (int i = 0; i < 1000000 && !sgi_seen; i++) __asm__ volatile("isb");
  __asm__ volatile("msr daifset, #2" ::: "memory");
  puts("[hyp] SGI 1 ");
  puts(sgi_seen ? "taken and EOI'd\n" : "NOT taken\n");

  /* B: a guest with a list-register interrupt */
  write_sysreg(hcr_el2, HCR_RW | HCR_TSC | HCR_IMO | HCR_FMO);
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(sp_el1, (u64)&el1_stack[1024]);
  write_sysreg(cntvoff_el2, 0x1000UL);
  write_sysreg(cnthctl_el2, 3UL);
  write_sysreg(S3_4_C12_C11_7, (0xffUL << 24) | (1UL << 1)); /* ICH_VMCR_EL2: VPMR=0xff, VENG1 */
  write_sysreg(S3_4_C12_C11_0, 1UL);                         /* ICH_HCR_EL2.En */
  write_sysreg(S3_4_C12_C12_0, LR_PENDING | LR_GROUP1 | LR_PRIO(0xa0) | LR_EOI | 42);
  isb();
  show_ich("vINTID 42 pending in LR0");
  puts("[hyp] entering the guest at EL1\n");
  enter_el1(guest_main, 0x3c5);
}

/* ---------------- EL1 guest ---------------- */
void guest_trap(struct frame *f, int slot) {
  if ((slot & 3) != 1) {
    puts("[guest] unexpected exception");
    putkv("ESR_EL1", read_sysreg(esr_el1));
    putc('\n');
    system_off();
  }
  u64 intid = read_sysreg(S3_0_C12_C12_0) & 0xffffff;  /* ICC_IAR1_EL1 -> ICV_IAR1_EL1 */
  u64 rpr = read_sysreg(S3_0_C12_C11_3);               /* ICV_RPR_EL1 */
  puts("[guest] vIRQ: ICC_IAR1_EL1=");
  putdec(intid);
  puts(" ICC_RPR_EL1=");
  putx(rpr);
  putc('\n');
  if (intid == 27) {
    write_sysreg(cntv_ctl_el0, 0UL);                   /* stop the timer: its level drops */
    isb();
  }
  write_sysreg(S3_0_C12_C12_1, intid);                 /* ICV_EOIR1_EL1 */
  isb();
  puts("[guest] EOI'd ");
  putdec(intid);
  putc('\n');
  guest_irqs++;
  (void)f;
}

static void guest_main(void) {
  write_sysreg(vbar_el1, guest_vectors);
  write_sysreg(S3_0_C12_C12_5, 1UL);   /* ICC_SRE_EL1.SRE */
  isb();
  write_sysreg(S3_0_C4_C6_0, 0xffUL);  /* ICV_PMR_EL1 */
  write_sysreg(S3_0_C12_C12_7, 1UL);   /* ICV_IGRPEN1_EL1 */
  isb();
  puts("[guest] at EL1, unmasking IRQs\n");
  __asm__ volatile("msr daifclr, #2" ::: "memory");
  for (int i = 0; i < 1000000 && guest_irqs < 1; i++) __asm__ volatile("isb");
  __asm__ volatile("msr daifset, #2" ::: "memory");
  __asm__ volatile("hvc #1" ::: "memory");

  /* C: the virtual timer, 2000 ticks of the guest's virtual counter from now */
  puts("[guest] arming CNTV (TVAL 2000) and waiting in WFI\n");
  write_sysreg(cntv_tval_el0, 2000UL);
  write_sysreg(cntv_ctl_el0, 1UL);
  isb();
  __asm__ volatile("msr daifclr, #2" ::: "memory");
  while (guest_irqs < 2) __asm__ volatile("wfi");
  __asm__ volatile("msr daifset, #2" ::: "memory");
  __asm__ volatile("hvc #2" ::: "memory");
  puts("[guest] done\n");
  smc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}
