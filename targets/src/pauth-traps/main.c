/* pauth-traps: the syndromes harness on HCR_EL2.APK (pointer-authentication key registers, EC 0x18)
 * and HCR_EL2.API (PAC/AUT instructions, EC 0x09, trapped only when SCTLR_EL1.EnIA enables them;
 * with EnIA=0 PACIA is a NOP). FEAT_PAuth is mandatory from Armv8.3. */
#define EXTRA_TABLE "../pauth-traps/table.h"
#define EXTRA_HEADER "pauth-traps: HCR_EL2.APK/API"
#define EXTRA_DONE "pauth-traps: done"
void t_apkey(void), t_pacia(void), t_autia(void);
#include "../syndromes/main.c"
