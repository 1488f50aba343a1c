/* timeslice: a hypervisor time-slicing two guests with the EL2 physical timer (CNTHP, INTID 26).
 * Each guest waits ROUNDS times for its own virtual timer (INTID 27); the hypervisor forwards each
 * firing through a hardware-linked list register, and gives each guest its own CNTVOFF_EL2, which
 * it advances by the time the guest spent descheduled so the guest's virtual time stops meanwhile.
 * On every switch it saves and restores the vCPU: registers, SP_EL1, TPIDR_EL1, CNTV_CTL/CVAL,
 * ICH_LR0_EL2, ICH_AP1R0_EL2, ICH_VMCR_EL2. Guests print nothing (their interleaving depends on
 * timing); the hypervisor prints a timing-independent summary (QEMU's virtual time follows the host
 * clock with millisecond jitter, so durations are not printed, only that each guest's CNTVCT never
 * went backwards across the switches). */
#include "target.h"
#include "vectors.h"

#define GICD 0x08000000UL
#define GICR 0x080a0000UL
#define SGI_BASE (GICR + 0x10000UL)
#define R32(a) (*(volatile u32 *)(a))
#define ROUNDS 6
#define TVAL 1500UL
#define SLICE 4000UL

#define LR_PENDING (1UL << 62)
#define LR_HW (1UL << 61)
#define LR_GROUP1 (1UL << 60)
#define LR_PRIO(p) ((u64)(p) << 48)
#define LR_PINTID(n) ((u64)(n) << 32)

extern char hyp_vectors[], guest_vectors[];
void enter_el1(void (*pc)(void), u64 spsr, u64 x0) __attribute__((noreturn));
static void guest_main(void);

struct vcpu {
  struct frame f;
  u64 sp_el1, tpidr, cntv_ctl, cntv_cval, cntvoff, lr0, ap1r0, vmcr, descheduled_at;
  int done;
};
static struct vcpu vcpus[2];
static int cur;
static u64 switches, forwarded[2];
static u64 stacks[2][1024] __attribute__((aligned(16)));
/* written by the guests (no printing from them) */
volatile u64 guest_ticks[2], guest_vct_monotonic[2];

static void gic_init(void) {
  R32(GICD + 0x0) = (1u << 4) | (1u << 1) | 1u;
  while (R32(GICD + 0x0) & (1u << 31)) {
  }
  R32(GICR + 0x14) &= ~(1u << 1);
  while (R32(GICR + 0x14) & (1u << 2)) {
  }
  R32(SGI_BASE + 0x80) = 0xffffffffu;
  *(volatile u8 *)(SGI_BASE + 0x400 + 26) = 0x80;
  *(volatile u8 *)(SGI_BASE + 0x400 + 27) = 0x80;
  R32(SGI_BASE + 0x100) = (1u << 26) | (1u << 27);
  write_sysreg(S3_4_C12_C9_5, 0xfUL);         /* ICC_SRE_EL2 */
  isb();
  write_sysreg(S3_0_C4_C6_0, 0xffUL);         /* ICC_PMR_EL1 */
  write_sysreg(S3_0_C12_C12_4, 1UL << 1);     /* ICC_CTLR_EL1.EOImode = 1 */
  write_sysreg(S3_0_C12_C12_7, 1UL);          /* ICC_IGRPEN1_EL1 */
  write_sysreg(S3_4_C12_C11_0, 1UL);          /* ICH_HCR_EL2.En */
  isb();
}

static void arm_slice(void) {
  write_sysreg(cnthp_tval_el2, SLICE);
  write_sysreg(cnthp_ctl_el2, 1UL);
  isb();
}

static void save_vcpu(struct vcpu *v, struct frame *f) {
  v->f = *f;
  v->sp_el1 = read_sysreg(sp_el1);
  v->tpidr = read_sysreg(tpidr_el1);
  v->cntv_ctl = read_sysreg(cntv_ctl_el0);
  v->cntv_cval = read_sysreg(cntv_cval_el0);
  v->lr0 = read_sysreg(S3_4_C12_C12_0);
  v->ap1r0 = read_sysreg(S3_4_C12_C9_0);
  v->vmcr = read_sysreg(S3_4_C12_C11_7);
  write_sysreg(cntv_ctl_el0, 0UL);            /* its timer must not fire for the next guest */
  isb();
  v->descheduled_at = read_sysreg(cntpct_el0);
}

static void load_vcpu(struct vcpu *v, struct frame *f) {
  if (v->descheduled_at) v->cntvoff += read_sysreg(cntpct_el0) - v->descheduled_at; /* time stood still */
  write_sysreg(cntvoff_el2, v->cntvoff);
  write_sysreg(cntv_cval_el0, v->cntv_cval);
  write_sysreg(cntv_ctl_el0, v->cntv_ctl);
  write_sysreg(S3_4_C12_C12_0, v->lr0);
  write_sysreg(S3_4_C12_C9_0, v->ap1r0);
  write_sysreg(S3_4_C12_C11_7, v->vmcr);
  write_sysreg(tpidr_el1, v->tpidr);
  write_sysreg(sp_el1, v->sp_el1);
  isb();
  *f = v->f;
}

static void switch_to(int next, struct frame *f) {
  if (next != cur) {
    save_vcpu(&vcpus[cur], f);
    cur = next;
    load_vcpu(&vcpus[cur], f);
    switches++;
  }
}

static void summary(void) {
  write_sysreg(cnthp_ctl_el2, 0UL);
  puts("[hyp] both guests done\n");
  for (int g = 0; g < 2; g++) {
    puts("[hyp] guest ");
    putdec((u64)g);
    puts(": virtual timer interrupts taken ");
    putdec(guest_ticks[g]);
    puts(", forwarded by EL2 ");
    putdec(forwarded[g]);
    puts(", CNTVCT monotonic ");
    putdec(guest_vct_monotonic[g]);
    putc('\n');
  }
  puts("[hyp] time-sliced (more than two switches): ");
  putdec(switches > 2);
  puts("\n[hyp] physical INTID 27 inactive at the end: ");
  putdec(!((R32(SGI_BASE + 0x300) >> 27) & 1));
  putc('\n');
  system_off();
}

void hyp_trap(struct frame *f, int slot) {
  if (slot == 9) { /* IRQ from the guest */
    u64 intid = read_sysreg(S3_0_C12_C12_0) & 0xffffff;
    write_sysreg(S3_0_C12_C12_1, intid); /* priority drop */
    if (intid == 27) {                   /* the running guest's virtual timer: forward it */
      write_sysreg(S3_4_C12_C12_0, LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(0x80) | LR_PINTID(27) | 27);
      isb();
      forwarded[cur]++;
      return;
    }
    write_sysreg(S3_0_C12_C11_1, intid); /* deactivate our own interrupts */
    if (intid == 26) {
      arm_slice();
      if (!vcpus[cur ^ 1].done) switch_to(cur ^ 1, f);
      return;
    }
    puts("[hyp] unexpected INTID ");
    putdec(intid);
    putc('\n');
    system_off();
  }
  u64 esr = read_sysreg(esr_el2);
  if (slot == 8 && (esr >> 26) == 0x16) { /* HVC: the guest is done */
    vcpus[cur].done = 1;
    if (vcpus[cur ^ 1].done) summary();
    switch_to(cur ^ 1, f);
    return;
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
  putln("timeslice: two guests, EL2 physical timer slices, per-guest virtual timers and CNTVOFF");
  write_sysreg(vbar_el2, hyp_vectors);
  gic_init();
  write_sysreg(hcr_el2, (1UL << 31) | (1UL << 19) | (1UL << 4) | (1UL << 3)); /* RW TSC IMO FMO */
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(cnthctl_el2, 3UL);
  u64 now = read_sysreg(cntpct_el0);
  for (int g = 0; g < 2; g++) {
    struct vcpu *v = &vcpus[g];
    v->f.elr = (u64)guest_main;
    v->f.spsr = 0x3c5;
    v->sp_el1 = (u64)&stacks[g][1024];
    v->tpidr = (u64)g;
    v->vmcr = (0xffUL << 24) | (1UL << 1);
    v->cntvoff = now - (u64)g * 0x100000UL; /* guest 1's clock starts 0x100000 ticks ahead */
  }
  puts("[hyp] starting guest 0; slices of ");
  putdec(SLICE);
  puts(" ticks, guests wait ");
  putdec(ROUNDS);
  puts(" x ");
  putdec(TVAL);
  puts(" ticks of virtual time\n");
  cur = 0;
  struct vcpu *v = &vcpus[0];
  write_sysreg(cntvoff_el2, v->cntvoff);
  write_sysreg(S3_4_C12_C11_7, v->vmcr);
  write_sysreg(tpidr_el1, v->tpidr);
  write_sysreg(sp_el1, v->sp_el1);
  arm_slice();
  enter_el1(guest_main, 0x3c5, 0);
}

/* ---------------- guests (same code, identity from TPIDR_EL1) ---------------- */
void guest_trap(struct frame *f, int slot) {
  u64 id = read_sysreg(tpidr_el1);
  if ((slot & 3) != 1) {
    puts("[guest] unexpected exception");
    putkv("ESR_EL1", read_sysreg(esr_el1));
    putc('\n');
    system_off();
  }
  u64 intid = read_sysreg(S3_0_C12_C12_0) & 0xffffff; /* ICV_IAR1_EL1 */
  if (intid == 27) {
    write_sysreg(cntv_ctl_el0, 0UL);
    isb();
    guest_ticks[id]++;
  }
  write_sysreg(S3_0_C12_C12_1, intid);                /* ICV_EOIR1_EL1: deactivates the HW pINTID */
  (void)f;
}

static void guest_main(void) {
  u64 id = read_sysreg(tpidr_el1);
  write_sysreg(vbar_el1, guest_vectors);
  write_sysreg(S3_0_C12_C12_5, 1UL);  /* ICC_SRE_EL1.SRE */
  isb();
  write_sysreg(S3_0_C4_C6_0, 0xffUL);
  write_sysreg(S3_0_C12_C12_7, 1UL);
  isb();
  u64 last = read_sysreg(cntvct_el0);
  guest_vct_monotonic[id] = 1;
  for (u64 k = 0; k < ROUNDS; k++) {
    write_sysreg(cntv_tval_el0, TVAL);
    write_sysreg(cntv_ctl_el0, 1UL);
    isb();
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    while (guest_ticks[id] <= k) {
      __asm__ volatile("wfi");
      u64 t = read_sysreg(cntvct_el0);
      if (t < last) guest_vct_monotonic[id] = 0;
      last = t;
    }
    __asm__ volatile("msr daifset, #2" ::: "memory");
  }
  __asm__ volatile("hvc #0" ::: "memory");
  for (;;) __asm__ volatile("wfi");
}
