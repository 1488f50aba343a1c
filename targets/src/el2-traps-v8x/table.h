/* el2-traps-v8x: HCR_EL2 trap controls of features newer than v8.0 (RAS, LOR, TID2). Fields as in
 * el2-controls. Pointer authentication (APK/API) is in pauth-traps. */
#define HCR_TID2 (1UL << 17)
#define HCR_TERR (1UL << 36)
#define HCR_TLOR (1UL << 35)
#define HCR_APK (1UL << 40)
#define HCR_API (1UL << 41)
#define SCTLR_ENIA (1UL << 31)
  {"MRS ERRIDR_EL1, HCR_EL2.TERR=1", t_erridr, 1, HCR_TERR, 0, FPEN, 0},
  {"MRS LORC_EL1, HCR_EL2.TLOR=1", t_lorc, 1, HCR_TLOR, 0, FPEN, 0},
  {"MRS LORID_EL1, HCR_EL2.TLOR=1", t_lorid, 1, HCR_TLOR, 0, FPEN, 0},
  {"MRS CCSIDR_EL1, HCR_EL2.TID2=1", t_ccsidr, 1, HCR_TID2, 0, FPEN, 0},
  {"MSR CSSELR_EL1, HCR_EL2.TID2=1", t_csselr, 1, HCR_TID2, 0, FPEN, 0},
