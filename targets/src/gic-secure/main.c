/* gic-secure: the GICv3 with two security states (QEMU -M virt,secure=on; el2scope --el 3, where
 * GICD_CTLR.DS = 0). Secure firmware at EL3 configures SGI 1 as Group 0, SGI 2 as Secure Group 1 and
 * SGI 3 as Non-secure Group 1, then looks at how each pending interrupt is signalled (ISR_EL1: IRQ
 * or FIQ) and acknowledged from EL3, from Non-secure EL2 and from Secure EL1 (IHI 0069 4.6.2), with
 * the special INTIDs 1020/1021 at EL3, and the Non-secure view of the redistributor (Secure fields
 * RAZ/WI, Non-secure priorities shifted). Interrupts stay masked in PSTATE: only the lines are read. */
#include "target.h"
#include "vectors.h"

extern char el3_vectors[];
void eret_el3(void (*pc)(void), u64 spsr) __attribute__((noreturn));

#define GICD 0x08000000UL
#define GICR 0x080a0000UL
#define SGI_FRAME (GICR + 0x10000UL)
#define R32(a) (*(volatile u32 *)(a))

#define SPSR_EL2h 0x9UL
#define SPSR_EL1h 0x5UL
#define SPSR_DAIF (0xfUL << 6)

static u64 el2_stack[512] __attribute__((aligned(16)));
static u64 el1_stack[512] __attribute__((aligned(16)));

static void el2_entry(void);
static void el1_entry(void);

static void lines(const char *who) {
  u64 isr = read_sysreg(isr_el1);
  puts(who);
  puts(": ISR_EL1.I=");
  putdec((isr >> 7) & 1);
  puts(" F=");
  putdec((isr >> 6) & 1);
  putc('\n');
}

static void kv(const char *who, const char *k, u64 v) {
  puts(who);
  puts(": ");
  puts(k);
  puts("=");
  putx(v);
  putc('\n');
}

static void pend(u32 sgi) {
  R32(SGI_FRAME + 0x200) = 1u << sgi;
  dsb_sy();
  isb();
}

int main(void) {
  write_sysreg(vbar_el3, el3_vectors);
  R32(GICD) = 0x37; /* EnableGrp0, EnableGrp1NS, EnableGrp1S, ARE_S, ARE_NS */
  kv("EL3", "GICD_CTLR", R32(GICD) & 0x7f);
  kv("EL3", "GICD_TYPER.SecurityExtn", (R32(GICD + 4) >> 10) & 1);
  R32(GICR + 0x14) = 0; /* WAKER: ProcessorSleep = 0 */
  while (R32(GICR + 0x14) & 4) {
  }
  R32(SGI_FRAME + 0x80) = 1u << 3;  /* IGROUPR0: SGI 3 Non-secure Group 1 */
  R32(SGI_FRAME + 0xd00) = 1u << 2; /* IGRPMODR0: SGI 2 Secure Group 1 (SGI 1 stays Group 0) */
  R32(SGI_FRAME + 0x400) = (0x80u << 8) | (0x90u << 16) | (0xa0u << 24);
  R32(SGI_FRAME + 0x100) = 0xe;
  write_sysreg(S3_6_C12_C12_5, 0xfUL); /* ICC_SRE_EL3: SRE, DFB, DIB, Enable */
  write_sysreg(S3_4_C12_C9_5, 0xfUL);  /* ICC_SRE_EL2 */
  isb();
  write_sysreg(S3_0_C4_C6_0, 0xf0UL);  /* ICC_PMR_EL1 */
  write_sysreg(S3_0_C12_C12_6, 1UL);   /* ICC_IGRPEN0_EL1 */
  write_sysreg(S3_6_C12_C12_7, 3UL);   /* ICC_IGRPEN1_EL3: EnableGrp1NS, EnableGrp1S */
  isb();
  kv("EL3", "ICC_IGRPEN1_EL3", read_sysreg(S3_6_C12_C12_7) & 3);

  pend(3);
  lines("EL3 NS-G1 pending");
  kv("EL3", "ICC_HPPIR0_EL1", read_sysreg(S3_0_C12_C8_2));
  kv("EL3", "ICC_HPPIR1_EL1", read_sysreg(S3_0_C12_C12_2));
  kv("EL3", "ICC_IAR0_EL1", read_sysreg(S3_0_C12_C8_0));

  write_sysreg(scr_el3, 0x531UL); /* NS, RES1, HCE, RW */
  write_sysreg(sctlr_el2, 0x30c50830UL);
  write_sysreg(hcr_el2, 1UL << 31);
  write_sysreg(sp_el2, (u64)&el2_stack[512]);
  isb();
  putln("EL3: ERET to Non-secure EL2");
  eret_el3(el2_entry, SPSR_EL2h | SPSR_DAIF);
}

static void el2_entry(void) {
  lines("NS EL2 NS-G1 pending");
  kv("NS EL2", "GICD_CTLR", R32(GICD));
  kv("NS EL2", "GICR_IGROUPR0", R32(SGI_FRAME + 0x80));
  kv("NS EL2", "GICR_IGRPMODR0", R32(SGI_FRAME + 0xd00));
  kv("NS EL2", "GICR_IPRIORITYR0", R32(SGI_FRAME + 0x400));
  kv("NS EL2", "GICR_ISENABLER0", R32(SGI_FRAME + 0x100));
  R32(SGI_FRAME + 0x80) = 0xffffffffu; /* RAZ/WI for Non-secure accesses */
  R32(SGI_FRAME + 0x180) = 0xffffffffu; /* ICENABLER0: only SGI 3's bit may change */
  kv("NS EL2", "GICR_ISENABLER0 after ICENABLER0=~0", R32(SGI_FRAME + 0x100));
  R32(SGI_FRAME + 0x100) = 1u << 3;
  R32(SGI_FRAME + 0x400) = 0x50505050u; /* only SGI 3 changes */
  kv("NS EL2", "GICR_IPRIORITYR0 after write", R32(SGI_FRAME + 0x400));
  kv("NS EL2", "ICC_HPPIR1_EL1", read_sysreg(S3_0_C12_C12_2));
  u64 id = read_sysreg(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
  kv("NS EL2", "ICC_IAR1_EL1", id);
  write_sysreg(S3_0_C12_C12_1, id); /* ICC_EOIR1_EL1 */
  isb();
  kv("NS EL2", "ICC_IAR1_EL1 again", read_sysreg(S3_0_C12_C12_0));
  /* ICC_SGI1R_EL1 from Non-secure: SGI 2 (Secure Group 1) is not generated, SGI 3 is */
  write_sysreg(S3_0_C12_C11_5, (2UL << 24) | 1UL);
  write_sysreg(S3_0_C12_C11_5, (3UL << 24) | 1UL);
  isb();
  kv("NS EL2", "GICR_ISPENDR0 (NS view)", R32(SGI_FRAME + 0x200));
  lines("NS EL2 after SGI1R");
  id = read_sysreg(S3_0_C12_C12_0);
  kv("NS EL2", "ICC_IAR1_EL1", id);
  write_sysreg(S3_0_C12_C12_1, id);
  isb();
  putln("NS EL2: SMC to EL3");
  __asm__ volatile("smc #0x1" ::: "memory");
  putln("NS EL2: unexpected return");
  system_off();
}

static void el1_entry(void) {
  lines("S EL1 S-G1 pending");
  kv("S EL1", "ICC_HPPIR1_EL1", read_sysreg(S3_0_C12_C12_2));
  u64 id = read_sysreg(S3_0_C12_C12_0);
  kv("S EL1", "ICC_IAR1_EL1", id);
  kv("S EL1", "ICC_RPR_EL1", read_sysreg(S3_0_C12_C11_3));
  write_sysreg(S3_0_C12_C12_1, id);
  isb();
  pend(3);
  lines("S EL1 NS-G1 pending");
  kv("S EL1", "ICC_HPPIR1_EL1", read_sysreg(S3_0_C12_C12_2));
  kv("S EL1", "ICC_IAR1_EL1", read_sysreg(S3_0_C12_C12_0));
  putln("S EL1: SMC to EL3");
  __asm__ volatile("smc #0x2" ::: "memory");
  putln("S EL1: unexpected return");
  system_off();
}

void el3_handler(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el3);
  if (slot != 8 || (esr >> 26) != 0x17) {
    puts("EL3: unexpected exception");
    putkv("ESR_EL3", esr);
    putc('\n');
    system_off();
  }
  u64 imm = esr & 0xffff;
  kv("EL3", "SMC from", imm == 1 ? 2 : 1);
  if (imm == 1) {
    kv("EL3", "GICR_IGROUPR0", R32(SGI_FRAME + 0x80));
    kv("EL3", "GICR_IPRIORITYR0", R32(SGI_FRAME + 0x400));
    pend(2);
    lines("EL3 S-G1 pending");
    kv("EL3", "ICC_HPPIR0_EL1", read_sysreg(S3_0_C12_C8_2));
    pend(1);
    lines("EL3 G0 and S-G1 pending");
    kv("EL3", "ICC_IAR0_EL1", read_sysreg(S3_0_C12_C8_0));
    write_sysreg(S3_0_C12_C8_1, 1UL); /* ICC_EOIR0_EL1 */
    isb();
    write_sysreg(scr_el3, 0x530UL); /* Secure: NS = 0 */
    write_sysreg(sctlr_el1, 0x30d00800UL);
    write_sysreg(sp_el1, (u64)&el1_stack[512]);
    isb();
    putln("EL3: ERET to Secure EL1");
    f->elr = (u64)el1_entry;
    f->spsr = SPSR_EL1h | SPSR_DAIF;
    return;
  }
  lines("EL3 NS-G1 pending");
  kv("EL3", "ICC_HPPIR0_EL1", read_sysreg(S3_0_C12_C8_2));
  /* at EL3 ICC_IAR1_EL1 acknowledges Group 1 of either security state */
  u64 id = read_sysreg(S3_0_C12_C12_0);
  kv("EL3", "ICC_IAR1_EL1", id);
  kv("EL3", "ICC_RPR_EL1", read_sysreg(S3_0_C12_C11_3));
  write_sysreg(S3_0_C12_C12_1, id);
  isb();
  kv("EL3", "ICC_RPR_EL1 after EOI", read_sysreg(S3_0_C12_C11_3));
  putln("EL3: done");
  system_off();
}
