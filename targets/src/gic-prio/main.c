/* gic-prio: physical interrupts at EL2 through the GICv3 distributor: SPIs made pending by
 * GICD_ISPENDR and routed by GICD_IROUTER, priority masking by ICC_PMR_EL1, preemption of a
 * running handler by a higher-priority interrupt (and not by a lower one), ICC_HPPIR1/RPR, and an
 * SPI taken to EL2 while a guest runs at EL1 with its own PSTATE.I set (HCR_EL2.IMO=1).
 * GICv3 in QEMU's virt implements 5 priority bits, so priorities here are multiples of 8.
 * Arm IHI 0069: 4.8 (preemption), 12.9 (GICD), 12.2 (ICC). */
#include "target.h"
#include "vectors.h"

#define GICD 0x08000000UL
#define GICR 0x080a0000UL
#define SGI_BASE (GICR + 0x10000UL)
#define R32(a) (*(volatile u32 *)(a))
#define R8(a) (*(volatile u8 *)(a))
#define R64(a) (*(volatile u64 *)(a))

extern char hyp_vectors[];
void enter_el1(void (*pc)(void), u64 spsr) __attribute__((noreturn));
static void guest_spin(void);
static void after_guest(void);

static volatile int taken[64], order[16], norder, depth, max_depth;
static u64 el1_stack[512] __attribute__((aligned(16)));

static void spi_setup(unsigned intid, u8 prio) {
  R32(GICD + 0x80 + 4 * (intid / 32)) |= 1u << (intid % 32);      /* IGROUPR: group 1 */
  R8(GICD + 0x400 + intid) = prio;                                 /* IPRIORITYR */
  R64(GICD + 0x6000 + 8 * intid) = 0;                              /* IROUTER: affinity 0.0.0.0 */
  R32(GICD + 0x100 + 4 * (intid / 32)) = 1u << (intid % 32);       /* ISENABLER */
}
static void spi_pend(unsigned intid) { R32(GICD + 0x200 + 4 * (intid / 32)) = 1u << (intid % 32); }

static void gic_init(void) {
  R32(GICD + 0x0) = (1u << 4) | (1u << 1) | 1u;
  while (R32(GICD + 0x0) & (1u << 31)) {
  }
  R32(GICR + 0x14) &= ~(1u << 1);
  while (R32(GICR + 0x14) & (1u << 2)) {
  }
  spi_setup(50, 0x90);
  spi_setup(51, 0xa0);
  spi_setup(52, 0x40);
  spi_setup(53, 0xb0);
  write_sysreg(S3_4_C12_C9_5, 0xfUL);   /* ICC_SRE_EL2 */
  isb();
  write_sysreg(S3_0_C12_C12_3, 0UL);    /* ICC_BPR1_EL1 = 0: all priority bits preempt */
  write_sysreg(S3_0_C12_C12_4, 0UL);    /* ICC_CTLR_EL1: EOImode 0 (EOIR drops and deactivates) */
  write_sysreg(S3_0_C12_C12_7, 1UL);    /* ICC_IGRPEN1_EL1 */
  isb();
}

static void wait_a_bit(void) {
  for (int i = 0; i < 20000; i++) __asm__ volatile("isb");
}

void hyp_trap(struct frame *f, int slot) {
  if ((slot & 3) != 1) {
    puts("unexpected exception");
    putkv("ESR_EL2", read_sysreg(esr_el2));
    putkv("ELR_EL2", read_sysreg(elr_el2));
    putc('\n');
    system_off();
  }
  u64 intid = read_sysreg(S3_0_C12_C12_0) & 0xffffff;
  u64 rpr = read_sysreg(S3_0_C12_C11_3);
  depth++;
  if (depth > max_depth) max_depth = depth;
  for (int i = 1; i < depth; i++) puts("  ");
  puts("IRQ ");
  putdec(intid);
  puts(slot == 9 ? " (from EL1)" : slot == 5 ? " (at EL2)" : " (?)");
  puts(" RPR=");
  putx(rpr);
  putc('\n');
  if (norder < 16) order[norder++] = (int)intid;
  taken[intid & 63]++;
  if (intid == 51) {
    /* inside the handler of priority 0xa0: a 0xb0 SPI must wait, a 0x40 SPI preempts */
    spi_pend(53);
    spi_pend(52);
    __asm__ volatile("isb\n msr daifclr, #2" ::: "memory");
    wait_a_bit();
    __asm__ volatile("msr daifset, #2" ::: "memory");
    for (int i = 1; i < depth; i++) puts("  ");
    puts("  back in 51's handler; ICC_HPPIR1_EL1=");
    putdec(read_sysreg(S3_0_C12_C12_2) & 0xffffff);
    putc('\n');
  }
  if (slot == 9) {                       /* an SPI from the guest: stop running it */
    f->elr = (u64)after_guest;
    f->spsr = 0x3c9;                     /* EL2h: continue in the hypervisor */
  }
  write_sysreg(S3_0_C12_C12_1, intid);   /* ICC_EOIR1_EL1 */
  isb();
  depth--;
}

int main(void) {
  putln("gic-prio: SPIs, priority masking and preemption at EL2");
  write_sysreg(vbar_el2, hyp_vectors);
  write_sysreg(hcr_el2, (1UL << 31) | (1UL << 4) | (1UL << 3)); /* RW IMO FMO: IRQs go to EL2 */
  isb();
  gic_init();

  puts("1. SPI 50 (priority 0x90) with ICC_PMR_EL1=0x80: masked\n");
  write_sysreg(S3_0_C4_C6_0, 0x80UL);
  isb();
  spi_pend(50);
  __asm__ volatile("isb\n msr daifclr, #2" ::: "memory");
  wait_a_bit();
  puts("   taken: ");
  putdec((u64)taken[50]);
  puts(", ICC_HPPIR1_EL1=");
  putdec(read_sysreg(S3_0_C12_C12_2) & 0xffffff);
  puts(", GICD_ISPENDR1 bit 18=");
  putdec((R32(GICD + 0x204) >> 18) & 1);
  putc('\n');
  puts("   ICC_PMR_EL1=0xf0:\n");
  write_sysreg(S3_0_C4_C6_0, 0xf0UL);
  isb();
  wait_a_bit();
  __asm__ volatile("msr daifset, #2" ::: "memory");
  puts("   taken: ");
  putdec((u64)taken[50]);
  putc('\n');

  puts("2. SPI 51 (0xa0); its handler pends 53 (0xb0) and 52 (0x40) and unmasks IRQs\n");
  spi_pend(51);
  __asm__ volatile("isb\n msr daifclr, #2" ::: "memory");
  wait_a_bit();
  __asm__ volatile("msr daifset, #2" ::: "memory");
  puts("   order:");
  for (int i = 1; i < norder; i++) {
    putc(' ');
    putdec((u64)order[i]);
  }
  puts("; deepest nesting ");
  putdec((u64)max_depth);
  putc('\n');

  puts("3. SPI 50 pended, then a guest at EL1 with PSTATE.I=1 runs: the SPI goes to EL2\n");
  spi_pend(50);
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(sp_el1, (u64)&el1_stack[512]);
  enter_el1(guest_spin, 0x3c5);         /* EL1h with DAIF all set */
}

static void guest_spin(void) {
  for (;;) __asm__ volatile("nop");
}

static void after_guest(void) {
  puts("   back at EL2 from the guest; SPI 50 taken ");
  putdec((u64)taken[50]);
  puts(" times in all\n");
  puts("gic-prio: done\n");
  system_off();
}
