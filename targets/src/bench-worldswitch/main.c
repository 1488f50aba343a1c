/* bench-worldswitch: ROUNDS guest HVC -> EL2 world switch -> ERET round trips (see switch.S).
 * Prints the number of round trips (scripts/bench.ts reads it to report ns per round trip) and a
 * check that the guest's registers survived every switch. */
#include "target.h"

#ifndef ROUNDS
#define ROUNDS 300000
#endif

extern char ws_vectors[];
extern u64 host_calls, have_fp, vcpu_ctx[];
void enter_guest_ws(void (*entry)(void)) __attribute__((noreturn));
void guest_ws(void);

u64 guest_stack[512] __attribute__((aligned(16)));


void ws_report_unexpected(u64 esr, u64 elr) {
  puts("bench-worldswitch: unexpected exception");
  putkv("ESR_EL2", esr);
  putkv("ELR_EL2", elr);
  putc('\n');
  system_off();
}

/* Called from the vector for anything but HVC: the guest's final SMC carries its verdict. */
void ws_host_exit(u64 esr, u64 *ctx) {
  if ((esr >> 26) != 0x17) ws_report_unexpected(esr, read_sysreg(elr_el2));
  puts("round trips: ");
  putdec(host_calls);
  puts("\nguest saw reply sum ");
  putx(ctx[2]);
  puts(", registers corrupted: ");
  putdec(ctx[1]);
  putc('\n');  /* (whether the Q registers were switched too depends on ID_AA64PFR0_EL1.FP) */
  system_off();
}

int main(void) {
  /* ID_AA64PFR0_EL1.FP (bits 19:16) = 0xf means no FP/SIMD */
  have_fp = ((read_sysreg(id_aa64pfr0_el1) >> 16) & 0xf) != 0xf;
  puts("bench-worldswitch: ");
  putdec(ROUNDS);
  puts(" HVC round trips\n");
  write_sysreg(vbar_el2, ws_vectors);
  write_sysreg(cptr_el2, 0x33ffUL);                 /* TFP=0: EL2 may use FP/SIMD */
  write_sysreg(cpacr_el1, 3UL << 20);
  write_sysreg(sctlr_el1, 0x30d00800UL);
  write_sysreg(hcr_el2, (1UL << 31) | (1UL << 19)); /* RW, TSC */
  isb();
  enter_guest_ws(guest_ws);
}
