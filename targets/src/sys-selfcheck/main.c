/* sys-selfcheck: system instructions at EL2 with the EL2 stage-1 MMU on (identity map: RAM Normal
 * write-back, the UART Device): DC ZVA zeroing, unaligned accesses to Normal memory, MSR immediate
 * (DAIFSet/DAIFClr, SPSel, PAN, UAO), NZCV, hints and barriers, cache and TLB maintenance, AT S1E2R,
 * TPIDR registers, CNTFRQ_EL0. Arm ARM: C5 (system instructions), C6 (DC ZVA), D8 (EL2 regime). */
#include "target.h"

static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2_low[512] __attribute__((aligned(4096)));
static u8 buf[512] __attribute__((aligned(256)));

#define BLOCK 0x1UL
#define TABLE 0x3UL
#define AF (1UL << 10)
#define SH_INNER (3UL << 8)
#define ATTR(i) ((u64)(i) << 2)

static void mmu_on_el2(void) {
  l1[0] = (u64)l2_low | TABLE;
  l2_low[0x09000000UL >> 21] = 0x09000000UL | BLOCK | ATTR(1) | AF;             /* UART: Device */
  l1[1] = 0x40000000UL | BLOCK | ATTR(0) | SH_INNER | AF;                       /* RAM: 1 GiB */
  dsb_sy();
  write_sysreg(mair_el2, 0x00ffUL);               /* attr0 Normal WB RW-alloc, attr1 Device-nGnRnE */
  /* TCR_EL2 (E2H=0): T0SZ=32, IRGN0=ORGN0=WBWA, SH0=inner, TG0=4K, PS=32 bits, RES1 bits 31, 23 */
  write_sysreg(tcr_el2, 32UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) | (1UL << 31));
  write_sysreg(ttbr0_el2, (u64)l1);
  __asm__ volatile("isb\n tlbi alle2\n dsb ish\n isb" ::: "memory");
  write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | 1UL | (1UL << 2) | (1UL << 12)); /* M C I */
  isb();
}

static void kv(const char *k, u64 v) {
  puts(k);
  puts(" = ");
  putx(v);
  putc('\n');
}

int main(void) {
  putln("sys-selfcheck: system instructions at EL2, stage 1 on");
  mmu_on_el2();
  kv("SCTLR_EL2.{M,C,I}", read_sysreg(sctlr_el2) & 0x1005);

  /* DC ZVA: zeroes one block of 4 << DCZID_EL0.BS bytes, aligned down */
  u64 dczid = read_sysreg(dczid_el0);
  kv("DCZID_EL0.DZP", (dczid >> 4) & 1);
  u64 bs = 4UL << (dczid & 0xf);
  kv("DC ZVA block bytes", bs);
  for (unsigned i = 0; i < sizeof buf; i++) buf[i] = 0xaa;
  __asm__ volatile("dc zva, %0" : : "r"(&buf[bs + 5]) : "memory");
  u64 zero_from = ~0UL, zero_to = 0;
  for (unsigned i = 0; i < sizeof buf; i++)
    if (buf[i] == 0) {
      if (zero_from == ~0UL) zero_from = i;
      zero_to = i + 1;
    }
  puts("DC ZVA at buf+");
  putx(bs + 5);
  puts(" zeroed buf[");
  putx(zero_from);
  puts("..");
  putx(zero_to);
  puts(")\n");

  /* unaligned accesses are fine in Normal memory with SCTLR_EL2.A=0 */
  for (unsigned i = 0; i < 32; i++) buf[i] = (u8)(i * 7 + 1);
  u64 v64;
  u32 v32;
  u16 v16;
  __asm__ volatile("ldr %0, [%1]" : "=r"(v64) : "r"(&buf[3]));
  __asm__ volatile("ldr %w0, [%1]" : "=r"(v32) : "r"(&buf[9]));
  __asm__ volatile("ldrh %w0, [%1]" : "=r"(v16) : "r"(&buf[15]));
  kv("LDR x @+3", v64);
  kv("LDR w @+9", v32);
  kv("LDRH @+15", v16);
  __asm__ volatile("str %0, [%1]" : : "r"(0x1122334455667788UL), "r"(&buf[17]) : "memory");
  u64 sum = 0;
  for (unsigned i = 0; i < 32; i++) sum = sum * 31 + buf[i];
  kv("after STR x @+17, byte hash", sum);

  /* MSR (immediate) and PSTATE fields */
  __asm__ volatile("msr daifset, #0xf" ::: "memory");
  kv("DAIF after DAIFSet #0xf", read_sysreg(daif));
  __asm__ volatile("msr daifclr, #0x5" ::: "memory");
  kv("DAIF after DAIFClr #0x5", read_sysreg(daif));
  __asm__ volatile("msr daifset, #0xf" ::: "memory");
  u64 sp0;
  /* one asm block: with SPSel=0 the stack pointer is SP_EL0, which the C code must not use */
  __asm__ volatile("msr spsel, #0\n mrs %0, spsel\n msr spsel, #1" : "=r"(sp0) : : "memory");
  kv("SPSel after SPSel #0 (read on SP_EL0)", sp0);
  kv("SPSel after SPSel #1", read_sysreg(spsel));
  __asm__ volatile("msr pan, #1" ::: "memory");
  kv("PAN after PAN #1", read_sysreg(S3_0_C4_C2_3));
  __asm__ volatile("msr pan, #0" ::: "memory");
  kv("PAN after PAN #0", read_sysreg(S3_0_C4_C2_3));
  __asm__ volatile(".arch armv8.2-a\n msr uao, #1\n .arch armv8.1-a" ::: "memory");
  kv("UAO after UAO #1", read_sysreg(S3_0_C4_C2_4));
  __asm__ volatile(".arch armv8.2-a\n msr uao, #0\n .arch armv8.1-a" ::: "memory");
  write_sysreg(nzcv, 0xa0000000UL);
  kv("NZCV after MSR 0xa0000000", read_sysreg(nzcv));
  u64 cs;
  __asm__ volatile("msr nzcv, %1\n cset %0, lt" : "=r"(cs) : "r"(0x90000000UL) : "cc");
  kv("CSET LT with N=1 V=1", cs);

  /* hints and barriers must simply complete */
  __asm__ volatile("nop\n yield\n sevl\n wfe\n sev\n dmb ish\n dmb oshld\n dsb sy\n dsb nshst\n isb\n"
                   "hint #0x7f\n hint #16 /* esb */\n hint #20 /* csdb */" ::: "memory");
  putln("hints and barriers: completed");

  /* maintenance by VA and set/way, TLB invalidation at EL2 */
  __asm__ volatile("dc cvac, %0\n dc civac, %0\n dc cvau, %0\n ic iallu\n ic ivau, %0\n dc csw, xzr\n"
                   "dc cisw, xzr\n tlbi alle2\n tlbi vae2, %1\n dsb ish\n isb"
                   : : "r"(buf), "r"((u64)buf >> 12) : "memory");
  kv("data after maintenance, buf[0]", buf[0]);

  /* AT S1E2R: the EL2 regime's own translation */
  __asm__ volatile("at s1e2r, %0\n isb" : : "r"(&buf[0x10]) : "memory");
  u64 par = read_sysreg(par_el1);
  kv("AT S1E2R buf: PAR.F", par & 1);
  kv("AT S1E2R buf: PA == buf page", (par & 0x0000fffffffff000UL) == ((u64)buf & ~0xfffUL));
  kv("AT S1E2R buf: ATTR", par >> 56);
  __asm__ volatile("at s1e2w, %0\n isb" : : "r"(0xc0000000UL) : "memory");
  par = read_sysreg(par_el1);
  kv("AT S1E2W 0xc0000000: PAR.F", par & 1);
  kv("AT S1E2W 0xc0000000: FST", (par >> 1) & 0x3f);

  write_sysreg(tpidr_el0, 0x1111);
  write_sysreg(tpidrro_el0, 0x2222);
  write_sysreg(tpidr_el2, 0x3333);
  kv("TPIDR_EL0+TPIDRRO_EL0+TPIDR_EL2", read_sysreg(tpidr_el0) + read_sysreg(tpidrro_el0) + read_sysreg(tpidr_el2));
  kv("CNTFRQ_EL0", read_sysreg(cntfrq_el0));
  putln("sys-selfcheck: done");
  return 0;
}
