/* smp-psci: PSCI from the boot CPU (QEMU -smp 4; el2scope --smp 4): VERSION, FEATURES, CPU_ON for
 * CPUs 1-3 with an entry point and context id, each secondary records its MPIDR_EL1 and CurrentEL
 * and bumps a shared counter with an LSE atomic, then CPU_OFF; the boot CPU polls AFFINITY_INFO
 * until they are off and prints what they recorded (only CPU 0 prints, so the output does not
 * depend on how the CPUs interleave). PSCI: Arm DEN 0022. */
#include "target.h"

#define NCPU 4
#define PSCI_FEATURES 0x8400000aUL
#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL

void secondary_entry(void);
static volatile u64 rec_mpidr[NCPU], rec_el[NCPU], rec_ctx[NCPU];
static volatile u64 arrived;

void secondary_main(u64 ctx) {
  u64 one = 1, old;
  rec_mpidr[ctx & 3] = read_sysreg(mpidr_el1);
  rec_el[ctx & 3] = current_el();
  rec_ctx[ctx & 3] = ctx;
  __asm__ volatile("ldaddal %1, %0, [%2]" : "=r"(old) : "r"(one), "r"(&arrived) : "memory");
  smc_call(PSCI_CPU_OFF, 0, 0, 0);
  for (;;) __asm__ volatile("wfi");
}

int main(void) {
  putln("smp-psci: PSCI CPU_ON/CPU_OFF/AFFINITY_INFO with 4 CPUs");
  puts("PSCI_VERSION = ");
  putx(smc_call(PSCI_VERSION, 0, 0, 0));
  putc('\n');
  const u64 fns[] = {PSCI_CPU_ON, PSCI_CPU_OFF, PSCI_AFFINITY_INFO, PSCI_SYSTEM_OFF, 0x8400000eUL};
  for (unsigned i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    puts("PSCI_FEATURES(");
    putx(fns[i]);
    puts(") = ");
    putx((u32)smc_call(PSCI_FEATURES, fns[i], 0, 0));
    putc('\n');
  }
  puts("boot CPU: MPIDR_EL1=");
  putx(read_sysreg(mpidr_el1));
  puts(" CurrentEL=");
  putdec(current_el());
  putc('\n');
  for (u64 c = 1; c < NCPU; c++) {
    u64 r = smc_call(PSCI_CPU_ON, c, (u64)secondary_entry, 0x100 + c);
    puts("CPU_ON(");
    putdec(c);
    puts(") = ");
    putx((u32)r);
    putc('\n');
  }
  while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < NCPU - 1) {
  }
  for (u64 c = 1; c < NCPU; c++) {
    u64 st;
    do st = smc_call(PSCI_AFFINITY_INFO, c, 0, 0);
    while (st != 1);
    puts("CPU ");
    putdec(c);
    puts(": context ");
    putx(rec_ctx[c] & 0xff);
    puts(" MPIDR_EL1=");
    putx(rec_mpidr[c]);
    puts(" CurrentEL=");
    putdec(rec_el[c]);
    puts(", AFFINITY_INFO now OFF\n");
  }
  puts("CPU_ON(0), the running boot CPU = ");
  putdec((u64)(s64)(s32)smc_call(PSCI_CPU_ON, 0, (u64)secondary_entry, 0x100) + 100);
  puts(" - 100 (ALREADY_ON is -4)\n");
  puts("CPU_ON(1) after it switched itself off = ");
  putx((u32)smc_call(PSCI_CPU_ON, 1, (u64)secondary_entry, 0x201));
  putc('\n');
  while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < NCPU) {
  }
  while (smc_call(PSCI_AFFINITY_INFO, 1, 0, 0) != 1) {
  }
  puts("CPU 1 ran again: context ");
  putx(rec_ctx[1]);
  puts(", off again\n");
  puts("AFFINITY_INFO(0) = ");
  putx(smc_call(PSCI_AFFINITY_INFO, 0, 0, 0));
  putc('\n');
  putln("smp-psci: done");
  return 0;
}
