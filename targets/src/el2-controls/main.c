/* el2-controls: the syndromes harness (a monitor at EL2 running test bodies at EL1/EL0) applied to
 * the EL2 controls of issue 4: HCR_EL2 trap bits (TID1/TID2/TACR/TRVM/TVM/TTLB/TPCP/TPU/TSW/TDZ),
 * VPIDR/VMPIDR, CNTHCTL_EL2 and MDCR_EL2 traps, virtual IRQ/FIQ/SError, TGE routing, and (at EL2,
 * after the table) the VHE register redirections with HCR_EL2.E2H=1. */
#define EL2_CONTROLS 1
void t_aidr(void), t_revidr(void), t_ctr(void), t_clidr(void), t_actlr(void),
    t_trvm(void), t_tvm_tcr(void), t_tlbi(void), t_dc_civac(void), t_ic_ivau(void), t_dc_isw(void),
    t_dc_zva(void), t_midr(void), t_mpidr(void), t_cntpct(void), t_mdscr(void), t_unmask_i(void),
    t_unmask_f(void), t_unmask_a(void), t_nop(void);
static void vhe_checks(void);
#include "../syndromes/main.c"

static void show_reg(const char *what, u64 v) {
  puts("   ");
  puts(what);
  puts(" = ");
  putx(v);
  putc('\n');
}

/* FEAT_VHE: with HCR_EL2.E2H=1, at EL2 the EL1 encodings reach the EL2 registers and the _EL12
 * encodings reach the EL1 registers (Arm ARM D5.? "Virtualization Host Extensions"). */
static void vhe_checks(void) {
  putln("VHE register redirection at EL2");
  write_sysreg(hcr_el2, HCR_RW);
  isb();
  write_sysreg(contextidr_el1, 0x11);
  write_sysreg(contextidr_el2, 0x22);
  write_sysreg(tpidr_el1, 0x1111);
  write_sysreg(elr_el1, 0x40001000);
  write_sysreg(elr_el2, 0x40002000);
  write_sysreg(ttbr0_el1, 0x40010000);
  write_sysreg(ttbr0_el2, 0x40020000);
  write_sysreg(hcr_el2, HCR_RW | (1UL << 34));
  isb();
  puts(" E2H=1:\n");
  show_reg("CONTEXTIDR_EL1 encoding (-> CONTEXTIDR_EL2)", read_sysreg(contextidr_el1));
  show_reg("CONTEXTIDR_EL12", read_sysreg(contextidr_el12));
  show_reg("ELR_EL1 encoding (-> ELR_EL2)", read_sysreg(elr_el1));
  show_reg("ELR_EL12", read_sysreg(elr_el12));
  show_reg("TTBR0_EL1 encoding (-> TTBR0_EL2)", read_sysreg(ttbr0_el1));
  show_reg("TTBR0_EL12", read_sysreg(ttbr0_el12));
  show_reg("TPIDR_EL1 (not redirected)", read_sysreg(tpidr_el1));
  write_sysreg(contextidr_el1, 0x33);
  write_sysreg(ttbr0_el12, 0x40030000);
  write_sysreg(hcr_el2, HCR_RW);
  isb();
  puts(" E2H=0 again:\n");
  show_reg("CONTEXTIDR_EL2", read_sysreg(contextidr_el2));
  show_reg("CONTEXTIDR_EL1", read_sysreg(contextidr_el1));
  show_reg("TTBR0_EL1", read_sysreg(ttbr0_el1));
  show_reg("TTBR0_EL2", read_sysreg(ttbr0_el2));
}
