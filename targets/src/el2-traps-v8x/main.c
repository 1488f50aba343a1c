/* el2-traps-v8x: the syndromes harness applied to HCR_EL2 controls of v8.1/v8.2 features: RAS error
 * records (TERR), LORegions registers (TLOR), and the TID2 cache-ID group. */
#define EXTRA_TABLE "../el2-traps-v8x/table.h"
#define EXTRA_HEADER "el2-traps-v8x: HCR_EL2 TERR/TLOR/TID2 traps"
#define EXTRA_DONE "el2-traps-v8x: done"
void t_apkey(void), t_pacia(void), t_autia(void), t_erridr(void), t_lorc(void),
    t_lorid(void), t_ccsidr(void), t_csselr(void);
#include "../syndromes/main.c"
