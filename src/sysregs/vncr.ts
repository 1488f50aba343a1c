// FEAT_NV2: offsets of the VNCR-backed registers in the page VNCR_EL2 points to (Arm ARM D8
// "Enhanced support for nested virtualization", table of VNCR_EL2 offsets; the same layout is listed
// in Linux's arch/arm64/include/asm/vncr_mapping.h). The table attaches them as SysRegDef.vncr.
export const VNCR_OFFSETS: Record<string, number> = {
  VTTBR_EL2: 0x020,
  VTCR_EL2: 0x040,
  VMPIDR_EL2: 0x050,
  CNTVOFF_EL2: 0x060,
  HCR_EL2: 0x078,
  HSTR_EL2: 0x080,
  VPIDR_EL2: 0x088,
  TPIDR_EL2: 0x090,
  VNCR_EL2: 0x0b0,
  CPACR_EL1: 0x100,
  CONTEXTIDR_EL1: 0x108,
  SCTLR_EL1: 0x110,
  ACTLR_EL1: 0x118,
  TCR_EL1: 0x120,
  AFSR0_EL1: 0x128,
  AFSR1_EL1: 0x130,
  ESR_EL1: 0x138,
  MAIR_EL1: 0x140,
  AMAIR_EL1: 0x148,
  MDSCR_EL1: 0x158,
  SPSR_EL1: 0x160,
  CNTV_CVAL_EL0: 0x168,
  CNTV_CTL_EL0: 0x170,
  CNTP_CVAL_EL0: 0x178,
  CNTP_CTL_EL0: 0x180,
  TTBR0_EL1: 0x200,
  TTBR1_EL1: 0x210,
  FAR_EL1: 0x220,
  ELR_EL1: 0x230,
  SP_EL1: 0x240,
  VBAR_EL1: 0x250,
  ICH_HCR_EL2: 0x4c0,
  ICH_VMCR_EL2: 0x4c8,
  VDISR_EL2: 0x500,
  VSESR_EL2: 0x508,
};
for (let n = 0; n < 16; n++) VNCR_OFFSETS[`ICH_LR${n}_EL2`] = 0x400 + 8 * n;
for (let n = 0; n < 4; n++) {
  VNCR_OFFSETS[`ICH_AP0R${n}_EL2`] = 0x480 + 8 * n;
  VNCR_OFFSETS[`ICH_AP1R${n}_EL2`] = 0x4a0 + 8 * n;
}
