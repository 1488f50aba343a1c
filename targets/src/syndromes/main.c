/* syndromes: a small hypervisor at EL2 runs test bodies at EL1 or EL0 and prints, for each, the
 * exception it caused: which EL took it, ESR, ELR, SPSR and (for aborts and PC alignment) FAR.
 * EL2 traps are configured per test through HCR_EL2 (TID3, TVM, TWI, HCD) and CPTR_EL2.TFP; TSC is
 * always set, as each test returns to EL2 with SMC #0xffff (from EL0: SVC #0xffff, then EL1 SMCs);
 * EL1's own traps through CPACR_EL1.FPEN and SCTLR_EL1.SA. The MMU stays off throughout.
 * Syndrome layouts: Arm ARM D17.2.37 (ESR_ELx), EC values in its table of exception classes. */
#include "target.h"
#include "vectors.h"

extern char el2_vectors[], el1_vectors[];
u64 enter_lower(void (*fn)(void), u64 spsr, void (*done)(void));
void resume_el2(u64 result) __attribute__((noreturn));
void el1_back_to_el2(u64 result) __attribute__((noreturn));
void el1_done(void), el0_done(void);
void t_udf(void), t_mrs_el0(void), t_svc(void), t_hvc(void), t_smc(void), t_brk(void),
    t_pc_align(void), t_sp_align(void), t_sp_align_el1t(void), t_ldr_unaligned(void), t_ldxr_align(void), t_stxr_align(void), t_mrs_tid3(void),
    t_msr_tvm(void), t_wfi(void), t_fp(void), t_eret_el0(void), t_illegal_ret(void);

#define HCR_RW (1UL << 31)
#define HCR_HCD (1UL << 29)
#define HCR_TVM (1UL << 26)
#define HCR_TSC (1UL << 19)
#define HCR_TID3 (1UL << 18)
#define HCR_TWI (1UL << 13)
#define CPTR_EL2_RES1 0x33ffUL
#define CPTR_TFP (1UL << 10)
#define SCTLR_EL1_BASE 0x30d00800UL
#define SCTLR_SA (1UL << 3)
#define SCTLR_SA0 (1UL << 4)

struct seen {
  u64 esr, elr, spsr, far;
  int valid, slot;
};
static struct seen at_el1, at_el2;
static u64 el1_stack[1024] __attribute__((aligned(16)));
static u64 el0_stack[1024] __attribute__((aligned(16)));

static int has_far(u64 esr) {
  u64 ec = esr >> 26;
  return ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25;
}

static const char *ec_name(u64 ec) {
  switch (ec) {
    case 0x00: return "Unknown/UNDEFINED";
    case 0x01: return "WFI/WFE trap";
    case 0x07: return "FP/SIMD access trap";
    case 0x09: return "PAuth trap";
    case 0x0e: return "Illegal Execution state";
    case 0x15: return "SVC (AArch64)";
    case 0x16: return "HVC (AArch64)";
    case 0x17: return "SMC (AArch64)";
    case 0x18: return "MSR/MRS/System trap";
    case 0x1a: return "ERET trap";
    case 0x20: return "Instruction Abort, lower EL";
    case 0x21: return "Instruction Abort, same EL";
    case 0x22: return "PC alignment fault";
    case 0x24: return "Data Abort, lower EL";
    case 0x25: return "Data Abort, same EL";
    case 0x26: return "SP alignment fault";
    case 0x2f: return "SError";
    case 0x3c: return "BRK (AArch64)";
    default: return "?";
  }
}

/* EL1: record, then resume at x30 (the test's return address) unless it is the "done" SVC. */
void el1_handler(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el1);
  if (slot == 8 && (esr >> 26) == 0x15 && (esr & 0xffff) == 0xffff) el1_back_to_el2(f->x[0]);
  if (at_el1.valid) {  /* a second exception in one test: report and stop */
    puts("   !! second exception at EL1");
    putkv("ESR", esr);
    putkv("ELR", read_sysreg(elr_el1));
    putc('\n');
    system_off();
  }
  at_el1.esr = esr;
  at_el1.elr = read_sysreg(elr_el1);
  at_el1.spsr = read_sysreg(spsr_el1);
  at_el1.far = has_far(esr) ? read_sysreg(far_el1) : 0;
  at_el1.valid = 1;
  at_el1.slot = slot;
  /* an (virtual) interrupt stays pending: return with it masked (I, F or A in SPSR) */
  if ((slot & 3) == 1) f->spsr |= 1UL << 7;
  if ((slot & 3) == 2) f->spsr |= 1UL << 6;
  if ((slot & 3) == 3) f->spsr |= 1UL << 8;
  f->elr = f->x[30];
  f->spsr &= ~(1UL << 20); /* clear PSTATE.IL so the return is legal */
}

/* EL2: record; emulate trapped MRS (value 0x1122334455667788) and step over trapped MSR, WFI and
 * SMC (their ELR is the trapping instruction); skip the rest of the test otherwise. */
void el2_handler(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el2);
  u64 ec = esr >> 26;
  if (ec == 0x17 && (esr & 0xffff) == 0xffff) resume_el2(f->x[0]);
  /* with HCR_EL2.TGE=1 EL0's "done" SVC comes here directly */
  if (slot == 8 && ec == 0x15 && (esr & 0xffff) == 0xffff) resume_el2(f->x[0]);
  if (at_el2.valid) {
    puts("   !! second exception at EL2");
    putkv("ESR", esr);
    putkv("ELR", read_sysreg(elr_el2));
    putc('\n');
    system_off();
  }
  at_el2.esr = esr;
  at_el2.elr = read_sysreg(elr_el2);
  at_el2.spsr = read_sysreg(spsr_el2);
  at_el2.far = has_far(esr) ? read_sysreg(far_el2) : 0;
  at_el2.valid = 1;
  at_el2.slot = slot;
  if (ec == 0x18) {
    unsigned rt = (esr >> 5) & 31;
    if ((esr & 1) && rt != 31) f->x[rt] = 0x1122334455667788UL;
    f->elr += 4;
  } else if (ec == 0x01 || ec == 0x17) {
    f->elr += 4;
  } else if (ec == 0x16) {
    f->x[0] = 0x4856;  /* "HV": answer the hypercall */
  } else {
    f->elr = f->x[30];
  }
}

static void show(const char *el, struct seen *s) {
  u64 ec = s->esr >> 26;
  if ((s->slot & 3) == 1 || (s->slot & 3) == 2) { /* IRQ/FIQ: no syndrome */
    puts("   -> ");
    puts(el);
    puts((s->slot & 3) == 1 ? " IRQ" : " FIQ");
    puts(" at vector offset ");
    putx((u64)s->slot * 0x80);
    puts(" ELR=");
    puthex(s->elr);
    puts(" SPSR=");
    puthex32((u32)s->spsr);
    putc('\n');
    return;
  }
  if ((s->slot & 3) == 3) {
    puts("   -> ");
    puts(el);
    puts(" SError at vector offset ");
    putx((u64)s->slot * 0x80);
    putc('\n');
  }
  puts("   -> ");
  puts(el);
  puts(" EC=");
  putx(ec);
  puts(" (");
  puts(ec_name(ec));
  puts(") ESR=");
  puthex32((u32)s->esr);
  puts(" ELR=");
  puthex(s->elr);
  puts(" SPSR=");
  puthex32((u32)s->spsr);
  if (has_far(s->esr)) {
    puts(" FAR=");
    puthex(s->far);
  }
  putc('\n');
}

struct test {
  const char *name;
  void (*fn)(void);
  int el;        /* 0 or 1 */
  u64 hcr;       /* extra HCR_EL2 bits */
  u64 cptr;      /* extra CPTR_EL2 bits */
  u64 cpacr;     /* CPACR_EL1 */
  u64 sctlr;     /* extra SCTLR_EL1 bits */
  u64 daif_clear;    /* DAIF bits (D=8 A=4 I=2 F=1) clear in the lower EL's entry SPSR */
  u64 cnthctl_clear; /* CNTHCTL_EL2 bits cleared (default EL1PCTEN|EL1PCEN = 3) */
  u64 mdcr;          /* MDCR_EL2 */
  u64 vsesr;         /* VSESR_EL2 */
};

#define FPEN (3UL << 20)
static const struct test tests[] = {
#if !defined(ALIGN_CHECKS) && !defined(EL2_CONTROLS) && !defined(NV_CHECKS) && !defined(EXTRA_TABLE)
  {"UDF #0x1234 at EL1", t_udf, 1, 0, 0, FPEN, 0},
  {"MRS SCTLR_EL1 at EL0 (UNDEFINED)", t_mrs_el0, 0, 0, 0, FPEN, 0},
  {"SVC #0x42 from EL0", t_svc, 0, 0, 0, FPEN, 0},
  {"SVC #0x42 at EL1", t_svc, 1, 0, 0, FPEN, 0},
  {"HVC #0x44 from EL1", t_hvc, 1, 0, 0, FPEN, 0},
  {"HVC from EL0 (UNDEFINED)", t_hvc, 0, 0, 0, FPEN, 0},
  {"HVC from EL1 with HCR_EL2.HCD=1 (UNDEFINED)", t_hvc, 1, HCR_HCD, 0, FPEN, 0},
  {"SMC #0x45 from EL1, trapped by HCR_EL2.TSC", t_smc, 1, 0, 0, FPEN, 0},
  {"SMC from EL0 (UNDEFINED)", t_smc, 0, 0, 0, FPEN, 0},
  {"BRK #0x46 at EL1", t_brk, 1, 0, 0, FPEN, 0},
  {"BRK #0x46 from EL0", t_brk, 0, 0, 0, FPEN, 0},
  {"RET to a misaligned PC at EL1", t_pc_align, 1, 0, 0, FPEN, 0},
  {"RET to a misaligned PC at EL0", t_pc_align, 0, 0, 0, FPEN, 0},
  {"LDXR misaligned at EL1", t_ldxr_align, 1, 0, 0, FPEN, 0},
  {"LDXR misaligned from EL0", t_ldxr_align, 0, 0, 0, FPEN, 0},
  {"MRS ID_AA64PFR0_EL1 at EL1, HCR_EL2.TID3=1", t_mrs_tid3, 1, HCR_TID3, 0, FPEN, 0},
  {"MSR SCTLR_EL1 at EL1, HCR_EL2.TVM=1", t_msr_tvm, 1, HCR_TVM, 0, FPEN, 0},
  {"WFI at EL1, HCR_EL2.TWI=1", t_wfi, 1, HCR_TWI, 0, FPEN, 0},
  {"FMOV at EL1, CPACR_EL1.FPEN=0", t_fp, 1, 0, 0, 0, 0},
  {"FMOV from EL0, CPACR_EL1.FPEN=1 (EL1 only)", t_fp, 0, 0, 0, 1UL << 20, 0},
  {"FMOV at EL1, CPTR_EL2.TFP=1", t_fp, 1, 0, CPTR_TFP, FPEN, 0},
  {"FMOV from EL0, CPTR_EL2.TFP=1", t_fp, 0, 0, CPTR_TFP, FPEN, 0},
  {"ERET at EL0 (UNDEFINED)", t_eret_el0, 0, 0, 0, FPEN, 0},
  {"ERET from EL1 to EL2h (illegal return)", t_illegal_ret, 1, 0, 0, FPEN, 0},
#elif defined(EXTRA_TABLE)
#include EXTRA_TABLE
#elif defined(EL2_CONTROLS)
#include "../el2-controls/table.h"
#elif defined(NV_CHECKS)
#include "../nv/table.h"
#else
  /* Alignment checks QEMU 7.2 does not model (see targets/golden/align-checks.md). */
  {"LDR via misaligned SP_EL0 at EL1t, SCTLR_EL1.SA=1", t_sp_align_el1t, 1, 0, 0, FPEN, SCTLR_SA},
  {"LDR via misaligned SP at EL0, SCTLR_EL1.SA0=1", t_sp_align, 0, 0, 0, FPEN, SCTLR_SA0},
  {"LDR via misaligned SP_EL0 at EL1t, SCTLR_EL1.SA=0", t_sp_align_el1t, 1, 0, 0, FPEN, 0},
  {"STXR misaligned at EL1 (no LDXR before)", t_stxr_align, 1, 0, 0, FPEN, 0},
  {"STXR misaligned from EL0 (no LDXR before)", t_stxr_align, 0, 0, 0, FPEN, 0},
  {"LDR misaligned, Device memory (MMU off) at EL1", t_ldr_unaligned, 1, 0, 0, FPEN, 0},
#endif
};

int main(void) {
#if defined(EXTRA_TABLE)
  putln(EXTRA_HEADER);
#elif defined(NV_CHECKS)
  nv_setup();
#elif defined(EL2_CONTROLS)
  putln("el2-controls: HCR_EL2/MDCR_EL2/CNTHCTL_EL2 traps, virtual IDs and exceptions, VHE");
#elif !defined(ALIGN_CHECKS)
  putln("syndromes: exceptions provoked from EL1/EL0 under an EL2 monitor");
#else
  putln("align-checks: SP alignment, exclusive and Device-memory alignment faults");
#endif
  puts("CurrentEL=");
  putdec(current_el());
  putc('\n');
  write_sysreg(vbar_el2, el2_vectors);
  write_sysreg(vbar_el1, el1_vectors);
  for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++) {
    const struct test *t = &tests[i];
    at_el1.valid = at_el2.valid = 0;
    /* EL1 registers first, with E2H clear (with E2H=1 their encodings would reach EL2's) */
    write_sysreg(hcr_el2, HCR_RW | HCR_TSC);
    isb();
    write_sysreg(cptr_el2, CPTR_EL2_RES1 | t->cptr);
    write_sysreg(cpacr_el1, t->cpacr);
    write_sysreg(sctlr_el1, SCTLR_EL1_BASE | t->sctlr);
    write_sysreg(sp_el1, (u64)&el1_stack[1024]);
    write_sysreg(sp_el0, (u64)&el0_stack[1024]);
#if defined(EL2_CONTROLS) || defined(EXTRA_TABLE)
    write_sysreg(cnthctl_el2, 3UL & ~t->cnthctl_clear);
    write_sysreg(mdcr_el2, t->mdcr);
    write_sysreg(vsesr_el2, t->vsesr);
    write_sysreg(vpidr_el2, 0x410fd083UL);
    write_sysreg(vmpidr_el2, 0x80000102UL);
#endif
    write_sysreg(hcr_el2, HCR_RW | HCR_TSC | t->hcr);
    isb();
    if (i < 10) putc('0');
    putdec(i);
    puts(" ");
    puts(t->name);
    puts(t->el ? " [EL1]\n" : " [EL0]\n");
    u64 spsr = (t->el ? 0x5UL : 0x0UL) | ((0xfUL & ~t->daif_clear) << 6);
    u64 x0 = enter_lower(t->fn, spsr, t->el ? el1_done : el0_done);
    if (at_el1.valid) show("EL1", &at_el1);
    if (at_el2.valid) show("EL2", &at_el2);
    if (!at_el1.valid && !at_el2.valid) putln("   -> no exception");
    puts("   x0 at the end: ");
    putx(x0);
    putc('\n');
  }
  write_sysreg(hcr_el2, HCR_RW);
  isb();
#if defined(EXTRA_TABLE)
  putln(EXTRA_DONE);
#elif defined(EL2_CONTROLS)
  vhe_checks();
  putln("el2-controls: done");
#elif defined(NV_CHECKS)
  nv_report();
#else
  putln(tests[0].fn == t_udf ? "syndromes: done" : "align-checks: done");
#endif
  return 0;
}
