/* Default exception handler: print what happened and power off. */
#include "target.h"

void lib_unexpected(int slot) __attribute__((noreturn));
void lib_unexpected(int slot) {
  u64 esr, elr, far;
  unsigned el = current_el();
  if (el == 3) {
    esr = read_sysreg(esr_el3); elr = read_sysreg(elr_el3); far = read_sysreg(far_el3);
  } else if (el == 2) {
    esr = read_sysreg(esr_el2); elr = read_sysreg(elr_el2); far = read_sysreg(far_el2);
  } else {
    esr = read_sysreg(esr_el1); elr = read_sysreg(elr_el1); far = read_sysreg(far_el1);
  }
  puts("\n!! unexpected exception at EL");
  putdec(el);
  puts(" vector slot ");
  putdec((u64)slot);
  putkv("ESR", esr);
  putkv("ELR", elr);
  putkv("FAR", far);
  putc('\n');
  system_off();
}
