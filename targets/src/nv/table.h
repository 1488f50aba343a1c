/* nv test table: HCR_EL2.NV (bit 42), NV1 (bit 43) and NV2 (bit 45). */
#define HCR_NV (1UL << 42)
#define HCR_NV2 (1UL << 45)
  {"MRS CurrentEL at EL1, NV=0", t_nv_currentel, 1, 0, 0, FPEN, 0},
  {"MRS CurrentEL at EL1, NV=1 (reads as EL2)", t_nv_currentel, 1, HCR_NV, 0, FPEN, 0},
  {"MRS HCR_EL2 at EL1, NV=1 (trapped)", t_nv_mrs_hcr, 1, HCR_NV, 0, FPEN, 0},
  {"MSR VTTBR_EL2 at EL1, NV=1 (trapped)", t_nv_msr_vttbr, 1, HCR_NV, 0, FPEN, 0},
  {"MRS SCTLR_EL12 at EL1, NV=1 (trapped)", t_nv_sctlr12, 1, HCR_NV, 0, FPEN, 0},
  {"ERET at EL1, NV=1 (trapped)", t_nv_eret, 1, HCR_NV, 0, FPEN, 0},
  {"MRS HCR_EL2 at EL1, NV=1 NV2=1 (load from the VNCR page)", t_nv_mrs_hcr, 1, HCR_NV | HCR_NV2, 0, FPEN, 0},
  {"MSR VTTBR_EL2 at EL1, NV=1 NV2=1 (store to the VNCR page)", t_nv_msr_vttbr, 1, HCR_NV | HCR_NV2, 0, FPEN, 0},
  {"MRS TPIDR_EL2 at EL1, NV=1 NV2=1 (load from the VNCR page)", t_nv_mrs_tpidr2, 1, HCR_NV | HCR_NV2, 0, FPEN, 0},
