/* el2-controls test table (included into syndromes/main.c's tests[] when EL2_CONTROLS is set).
 * Fields: name, body, EL, HCR_EL2 extra, CPTR_EL2 extra, CPACR_EL1, SCTLR_EL1 extra,
 *         DAIF clear at entry, CNTHCTL_EL2 bits cleared, MDCR_EL2, VSESR_EL2. */
#define HCR_FMO (1UL << 3)
#define HCR_IMO (1UL << 4)
#define HCR_AMO (1UL << 5)
#define HCR_VF (1UL << 6)
#define HCR_VI (1UL << 7)
#define HCR_VSE (1UL << 8)
#define HCR_TWE (1UL << 14)
#define HCR_TID1 (1UL << 16)
#define HCR_TID2 (1UL << 17)
#define HCR_TACR (1UL << 21)
#define HCR_TSW (1UL << 22)
#define HCR_TPCP (1UL << 23)
#define HCR_TPU (1UL << 24)
#define HCR_TTLB (1UL << 25)
#define HCR_TGE (1UL << 27)
#define HCR_TDZ (1UL << 28)
#define HCR_TRVM (1UL << 30)
#define HCR_E2H (1UL << 34)
#define MDCR_TDA (1UL << 9)
  {"MRS AIDR_EL1, HCR_EL2.TID1=1", t_aidr, 1, HCR_TID1, 0, FPEN, 0},
  {"MRS REVIDR_EL1 into x3, HCR_EL2.TID1=1", t_revidr, 1, HCR_TID1, 0, FPEN, 0},
  {"MRS CTR_EL0 at EL1, HCR_EL2.TID2=1", t_ctr, 1, HCR_TID2, 0, FPEN, 0},
  {"MRS CLIDR_EL1, HCR_EL2.TID2=1", t_clidr, 1, HCR_TID2, 0, FPEN, 0},
  {"MRS ACTLR_EL1, HCR_EL2.TACR=1", t_actlr, 1, HCR_TACR, 0, FPEN, 0},
  {"MRS TTBR0_EL1, HCR_EL2.TRVM=1", t_trvm, 1, HCR_TRVM, 0, FPEN, 0},
  {"MSR TCR_EL1, HCR_EL2.TVM=1", t_tvm_tcr, 1, HCR_TVM, 0, FPEN, 0},
  {"TLBI VMALLE1, HCR_EL2.TTLB=1", t_tlbi, 1, HCR_TTLB, 0, FPEN, 0},
  {"DC CIVAC, HCR_EL2.TPCP=1", t_dc_civac, 1, HCR_TPCP, 0, FPEN, 0},
  {"IC IVAU, HCR_EL2.TPU=1", t_ic_ivau, 1, HCR_TPU, 0, FPEN, 0},
  {"DC ISW, HCR_EL2.TSW=1", t_dc_isw, 1, HCR_TSW, 0, FPEN, 0},
  {"DC ZVA, HCR_EL2.TDZ=1", t_dc_zva, 1, HCR_TDZ, 0, FPEN, 0},
  {"MRS MIDR_EL1 (VPIDR_EL2 supplies it)", t_midr, 1, 0, 0, FPEN, 0},
  {"MRS MPIDR_EL1 (VMPIDR_EL2 supplies it)", t_mpidr, 1, 0, 0, FPEN, 0},
  {"MRS CNTPCT_EL0 at EL1, CNTHCTL_EL2.EL1PCTEN=0", t_cntpct, 1, 0, 0, FPEN, 0, 0, 1, 0, 0},
  {"MRS MDSCR_EL1, MDCR_EL2.TDA=1", t_mdscr, 1, 0, 0, FPEN, 0, 0, 0, MDCR_TDA, 0},
  {"vIRQ: HCR_EL2.IMO=1 VI=1, EL1 unmasks I", t_unmask_i, 1, HCR_IMO | HCR_VI, 0, FPEN, 0},
  {"HCR_EL2.VI=1 without IMO: no virtual IRQ", t_unmask_i, 1, HCR_VI, 0, FPEN, 0},
  {"vIRQ pending when entering EL0 with I=0", t_nop, 0, HCR_IMO | HCR_VI, 0, FPEN, 0, 2, 0, 0, 0},
  {"vFIQ: HCR_EL2.FMO=1 VF=1, EL1 unmasks F", t_unmask_f, 1, HCR_FMO | HCR_VF, 0, FPEN, 0},
  {"vSError: HCR_EL2.AMO=1 VSE=1, VSESR_EL2=0x1234", t_unmask_a, 1, HCR_AMO | HCR_VSE, 0, FPEN, 0, 0, 0, 0, 0x1234},
  {"SVC #0x42 from EL0, HCR_EL2.TGE=1", t_svc, 0, HCR_TGE, 0, FPEN, 0},
  {"UDF from EL0, HCR_EL2.E2H=1 TGE=1", t_udf, 0, HCR_E2H | HCR_TGE, 0, FPEN, 0},
  {"BRK #0x46 from EL0, HCR_EL2.E2H=1 TGE=1", t_brk, 0, HCR_E2H | HCR_TGE, 0, FPEN, 0},
