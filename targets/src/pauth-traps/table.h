/* pauth-traps table: HCR_EL2.APK/API with FEAT_PAuth (mandatory from Armv8.3). */
#define HCR_APK (1UL << 40)
#define HCR_API (1UL << 41)
#define SCTLR_ENIA (1UL << 31)
  {"MRS APIAKEYLO_EL1, HCR_EL2.APK=0 (pointer-auth key access trapped)", t_apkey, 1, 0, 0, FPEN, 0},
  {"PACIA at EL1, SCTLR_EL1.EnIA=0 (a NOP: no trap)", t_pacia, 1, 0, 0, FPEN, 0},
  {"PACIA at EL1, SCTLR_EL1.EnIA=1, HCR_EL2.API=0 (trapped, EC 0x09)", t_pacia, 1, 0, 0, FPEN, SCTLR_ENIA},
  {"AUTIA at EL1, SCTLR_EL1.EnIA=1, HCR_EL2.API=0", t_autia, 1, 0, 0, FPEN, SCTLR_ENIA},
