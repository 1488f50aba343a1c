/* pauth-values: FEAT_PAuth results at EL2 (QARMA5 PAC values, their placement with TBI and the VA
 * size, authentication failures with their error codes, XPAC, PACGA, the HINT forms, BLRAA/RETAA,
 * LDRAA with writeback, ERETAA), with E2H = 0 (one VA range, TCR_EL2.T0SZ/TBI/TBID) and E2H = 1
 * (two ranges chosen by bit 55: T0SZ/T1SZ, TBI0/TBI1), then at EL1 (TCR_EL1, SCTLR_EL1; entered by
 * ERET, back by HVC). Arm ARM D8.8, J1 AddPAC/Auth/Strip/ComputePAC.
 * The golden is QEMU 7.2's output (-cpu max: architected QARMA5, no PAuth2/FPAC). MMU off
 * throughout: TCR still decides where the PAC goes. */
#include "target.h"

__asm__(".arch armv8.3-a");

#define OP1(name, insn)                                                   \
  static u64 name(u64 p, u64 m) {                                         \
    __asm__ volatile(insn " %0, %1" : "+r"(p) : "r"(m));                  \
    return p;                                                             \
  }
OP1(pacia, "pacia")
OP1(pacib, "pacib")
OP1(pacda, "pacda")
OP1(pacdb, "pacdb")
OP1(autia, "autia")
OP1(autib, "autib")
OP1(autda, "autda")
OP1(autdb, "autdb")
static u64 xpaci(u64 p) { __asm__ volatile("xpaci %0" : "+r"(p)); return p; }
static u64 xpacd(u64 p) { __asm__ volatile("xpacd %0" : "+r"(p)); return p; }
static u64 pacga(u64 n, u64 m) { u64 d; __asm__ volatile("pacga %0, %1, %2" : "=r"(d) : "r"(n), "r"(m)); return d; }
static u64 paciza(u64 p) { __asm__ volatile("paciza %0" : "+r"(p)); return p; }
static u64 autdzb(u64 p) { __asm__ volatile("autdzb %0" : "+r"(p)); return p; }

/* helpers in assembly: HINT forms, branches, loads, ERETAA */
u64 t_pacia1716(u64 p, u64 m), t_autib1716(u64 p, u64 m), t_pacibz(u64 p), t_xpaclri(u64 p);
u64 t_blraa(u64 target, u64 m), t_braaz_ret(u64 target), t_retaa(void), t_ldraa(u64 p), t_ldrab_wb(u64 p);
u64 t_eretaa(void), t_sp_sign(void);
__asm__(
    ".text\n"
    "t_pacia1716: mov x17, x0\n mov x16, x1\n pacia1716\n mov x0, x17\n ret\n"
    "t_autib1716: mov x17, x0\n mov x16, x1\n autib1716\n mov x0, x17\n ret\n"
    "t_pacibz: mov x9, x30\n mov x30, x0\n pacibz\n mov x0, x30\n mov x30, x9\n ret\n"
    "t_xpaclri: mov x9, x30\n mov x30, x0\n xpaclri\n mov x0, x30\n mov x30, x9\n ret\n"
    "t_ret42: mov x0, #42\n ret\n"
    "t_blraa: stp x29, x30, [sp, #-16]!\n blraa x0, x1\n ldp x29, x30, [sp], #16\n ret\n"
    /* braaz to t_ret42 with x30 still our caller's: returns 42 straight to the caller */
    "t_braaz_ret: braaz x0\n"
    "t_retaa: paciasp\n mov x0, #7\n autiasp\n paciasp\n retaa\n"
    /* the signed LR of a PACIASP, stripped by AUTIASP again: both returned (x0 signed, x1 after aut) */
    "t_sp_sign: mov x9, x30\n paciasp\n mov x0, x30\n autiasp\n sub x0, x0, x30\n mov x30, x9\n ret\n"
    "t_ldraa: ldraa x0, [x0, #8]\n ret\n"
    "t_ldrab_wb: ldrab x1, [x0, #16]!\n add x0, x0, x1\n ret\n"
    "t_eretaa: adr x1, 1f\n mov x2, sp\n pacia x1, x2\n msr elr_el2, x1\n mov x3, #0x3c9\n msr spsr_el2, x3\n"
    " eretaa\n 1: mov x0, #5\n ret\n");
u64 t_ret42(void);
static u64 arr[4] = {0x1111, 0x2222, 0x3333, 0x4444};
static void line(const char *what, u64 v);
static void ptr_case(u64 p, u64 m);

/* Run fn(arg) at EL1h (MMU off, same stack region 4 KiB lower) and come back: fn returns to a stub
 * that issues HVC, whose EL2 vector (VBAR_EL2 + 0x400) restores the EL2 context saved here. */
void t_run_el1(void (*fn)(u64), u64 arg);
__asm__(
    ".text\n"
    ".balign 2048\n"
    "el1_vectors:\n"
    ".skip 0x400\n"
    /* synchronous from a lower EL: the HVC at the end of the EL1 function */
    " adrp x9, el1_saved_sp\n ldr x9, [x9, :lo12:el1_saved_sp]\n mov sp, x9\n"
    " ldp x19, x20, [sp], #16\n ldp x21, x22, [sp], #16\n ldp x23, x24, [sp], #16\n"
    " ldp x25, x26, [sp], #16\n ldp x27, x28, [sp], #16\n ldp x9, x10, [sp], #16\n msr vbar_el2, x9\n"
    " ldp x29, x30, [sp], #16\n ret\n"
    ".balign 2048\n"
    "t_run_el1:\n"
    " stp x29, x30, [sp, #-16]!\n mrs x9, vbar_el2\n stp x9, x10, [sp, #-16]!\n"
    " stp x27, x28, [sp, #-16]!\n stp x25, x26, [sp, #-16]!\n stp x23, x24, [sp, #-16]!\n"
    " stp x21, x22, [sp, #-16]!\n stp x19, x20, [sp, #-16]!\n"
    " mov x9, sp\n adrp x10, el1_saved_sp\n str x9, [x10, :lo12:el1_saved_sp]\n"
    " sub x9, x9, #4096\n msr sp_el1, x9\n"
    " adr x9, el1_vectors\n msr vbar_el2, x9\n"
    " msr elr_el2, x0\n mov x9, #0x3c5\n msr spsr_el2, x9\n"
    " mov x0, x1\n adr x30, 1f\n eret\n"
    "1: hvc #0\n"
    ".data\n.balign 8\nel1_saved_sp: .quad 0\n.text\n");

static void el1_cases(u64 unused) {
  (void)unused;
  putln("at EL1 (TCR_EL1 T0SZ=16 T1SZ=20 TBI1, SCTLR_EL1 keys enabled)");
  ptr_case(0x0000000040081234UL, 0x1234);
  ptr_case(0xfffff00012345678UL, 0x1234);
  ptr_case(0x5500f00012345678UL, 0);
  line("retaa", t_retaa());
  line("ldraa", t_ldraa(pacda((u64)&arr[0], 0)));
}


static void line(const char *what, u64 v) {
  puts("  ");
  puts(what);
  puts(" ");
  puthex(v);
  putc('\n');
}

static void ptr_case(u64 p, u64 m) {
  puts(" ptr ");
  puthex(p);
  puts(" mod ");
  puthex(m);
  putc('\n');
  u64 a = pacia(p, m);
  line("pacia", a);
  line("pacib", pacib(p, m));
  line("pacda", pacda(p, m));
  u64 db = pacdb(p, m);
  line("pacdb", db);
  line("autia ok", autia(a, m));
  line("autia bad mod", autia(a, m + 1));
  line("autib of pacia", autib(a, m));
  line("autda bad", autda(a ^ (1UL << 50), m));
  line("autdb ok", autdb(db, m));
  line("autdb bad", autdb(db ^ (1UL << 60), m));
  line("xpaci", xpaci(a));
  line("xpacd", xpacd(db));
  line("pacga", pacga(p, m));
}

static void config(const char *name, u64 tcr) {
  puts(name);
  putkv("TCR_EL2", tcr);
  putc('\n');
  write_sysreg(tcr_el2, tcr);
  isb();
}

int main(void) {
  putln("pauth-values: FEAT_PAuth at EL2");
  /* only the PAuth fields: APA [7:4], API [11:8], GPA [27:24], GPI [31:28] */
  putkv("ID_AA64ISAR1_EL1 PAuth fields", read_sysreg(ID_AA64ISAR1_EL1) & 0xff000ff0UL);
  putc('\n');
  write_sysreg(APIAKeyLo_EL1, 0x0123456789abcdefUL);
  write_sysreg(APIAKeyHi_EL1, 0xfedcba9876543210UL);
  write_sysreg(APIBKeyLo_EL1, 0x84be85ce9804e94bUL);
  write_sysreg(APIBKeyHi_EL1, 0xec2802d4e0a488e9UL);
  write_sysreg(APDAKeyLo_EL1, 0x1111222233334444UL);
  write_sysreg(APDAKeyHi_EL1, 0x5555666677778888UL);
  write_sysreg(APDBKeyLo_EL1, 0xdeadbeefcafef00dUL);
  write_sysreg(APDBKeyHi_EL1, 0x0badc0de12345678UL);
  write_sysreg(APGAKeyLo_EL1, 0x0f1e2d3c4b5a6978UL);
  write_sysreg(APGAKeyHi_EL1, 0x8796a5b4c3d2e1f0UL);
  /* keys disabled: PAC/AUT leave the value alone, XPAC and PACGA still work */
  line("disabled pacia", pacia(0x40001000UL, 5));
  line("disabled autia", autia(0x0012000040001000UL, 5));
  /* (not checked: XPACI with every key disabled. The Arm ARM strips regardless of the enables, and so
   * do we; QEMU 7.2 treats XPAC as a NOP while no SCTLR_EL2.EnXX bit is set.) */
  /* SCTLR_EL2.EnIA (31), EnIB (30), EnDA (27), EnDB (13) */
  write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | (1UL << 31) | (1UL << 30) | (1UL << 27) | (1UL << 13));
  isb();

  static const u64 ptrs[] = {0x0000000040081234UL, 0x0000ffffffffffc0UL, 0x5a00000040001000UL,
                             0xff000000deadbee0UL, 0xffffffffffff0000UL, 0x0080000012345678UL};
  static const u64 mods[] = {0, 0x477d469dec0b8762UL};
  /* E2H = 0: TCR_EL2 T0SZ [5:0], TBI 20, TBID 29 */
  /* (no T0SZ above 39: QEMU 7.2 implements FEAT_TTST and clamps to 48, we clamp to 39 as without it) */
  static const u64 tcrs[] = {16, 16 | (1UL << 20), 25, 39 | (1UL << 20) | (1UL << 29), 12};
  static const char *names[] = {"E2H=0 T0SZ=16", "E2H=0 T0SZ=16 TBI", "E2H=0 T0SZ=25", "E2H=0 T0SZ=39 TBI TBID",
                                "E2H=0 T0SZ=12 (out of range)"};
  for (unsigned t = 0; t < sizeof tcrs / sizeof tcrs[0]; t++) {
    config(names[t], tcrs[t] | (1UL << 31) | (1UL << 23));
    for (unsigned i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++)
      for (unsigned j = 0; j < 2; j++) ptr_case(ptrs[i], mods[j]);
  }

  config("E2H=0 T0SZ=16, HINT/branch/load forms", 16 | (1UL << 31) | (1UL << 23));
  line("pacia1716", t_pacia1716(0x40001000UL, 0x99));
  line("autib1716 (of pacia1716: fails)", t_autib1716(t_pacia1716(0x40001000UL, 0x99), 0x99));
  line("pacibz", t_pacibz(0x40002000UL));
  line("paciza", paciza(0x40002000UL));
  line("autdzb of pacdb mod 0", autdzb(pacdb(0x40003000UL, 0)));
  line("xpaclri", t_xpaclri(pacib(0x40004000UL, 3)));
  line("blraa", t_blraa(pacia((u64)&t_ret42, 0x1234), 0x1234));
  line("braaz", t_braaz_ret(paciza((u64)&t_ret42)));
  line("retaa", t_retaa());
  line("paciasp-autiasp", t_sp_sign());
  line("ldraa", t_ldraa(pacda((u64)&arr[0], 0)));
  line("ldrab! (sum of new base offset and value)", t_ldrab_wb(pacdb((u64)&arr[0], 0)) - (u64)&arr[0]);
  line("eretaa", t_eretaa());

  /* E2H = 1: TCR_EL2 has the EL1 layout: T0SZ [5:0], T1SZ [21:16], TBI0 37, TBI1 38, TBID0 51, TBID1 52 */
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) | (1UL << 34));
  isb();
  static const u64 ptrs2[] = {0x0000000040081234UL, 0xffffff8012345678UL, 0x00ffff8012345678UL, 0xff7f000012345678UL};
  static const u64 tcrs2[] = {16 | (25UL << 16), 16 | (25UL << 16) | (1UL << 38), 20 | (16UL << 16) | (1UL << 37) | (1UL << 51)};
  static const char *names2[] = {"E2H=1 T0SZ=16 T1SZ=25", "E2H=1 T0SZ=16 T1SZ=25 TBI1", "E2H=1 T0SZ=20 T1SZ=16 TBI0 TBID0"};
  for (unsigned t = 0; t < 3; t++) {
    config(names2[t], tcrs2[t]);
    for (unsigned i = 0; i < sizeof ptrs2 / sizeof ptrs2[0]; i++) ptr_case(ptrs2[i], 0x1234);
  }
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~(1UL << 34));
  isb();

  /* EL1: HCR_EL2.RW | APK | API (no traps), SCTLR_EL1 written whole, TCR_EL1 with two ranges */
  write_sysreg(hcr_el2, (1UL << 31) | (1UL << 40) | (1UL << 41));
  write_sysreg(sctlr_el1, 0x30d00800UL | (1UL << 31) | (1UL << 30) | (1UL << 27) | (1UL << 13));
  write_sysreg(tcr_el1, 16 | (20UL << 16) | (1UL << 38) | (2UL << 30));
  isb();
  t_run_el1(el1_cases, 0);
  putln("back at EL2");
  putln("pauth-values: done");
  return 0;
}
