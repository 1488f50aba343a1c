/* isa-selfcheck: integer A64 instructions, group by group, over a table of edge-case operands.
 * Every result word (and NZCV after flag-setting instructions) is folded into a 64-bit checksum per
 * group, printed in hex. The golden output is QEMU's, so any difference in any instruction of a
 * group shows up as a different checksum on that group's line. */
#include "target.h"

u64 op_arith(u64 a, u64 b, u64 *out);
u64 op_logic(u64 a, u64 b, u64 *out);
u64 op_bits(u64 a, u64 b, u64 *out);
u64 op_muldiv(u64 a, u64 b, u64 *out);
u64 op_crc(u64 a, u64 b, u64 *out);
u64 op_ldst(u64 a, void *buf, u64 *out);
u64 op_excl(u64 a, void *buf, u64 *out);
u64 op_lse(u64 a, void *buf, u64 *out);
u64 op_branch(u64 a, u64 b, u64 *out);
u64 op_flagm(u64 a, u64 b, u64 *out);
u64 op_lrcpc(u64 a, void *buf, u64 *out);
u64 op_lor(u64 a, void *buf, u64 *out);
u64 op_unpriv(u64 a, void *buf, u64 *out);

static const u64 vals[] = {
    0, 1, 2, 3, 5, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x12345,
    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
    0x8000000000000001, 0xffffffffffffffff, 0xfffffffffffffffe, 0x123456789abcdef0,
    0xfedcba9876543210, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa, 0x00000000deadbeef,
    0xcafef00d00000000, 0x0000000100000001,
};
#define NV (sizeof vals / sizeof vals[0])

#include "vectors.h"
extern char isa_vectors[];
static u64 out[256];
static u64 undef_count, undef_elr;

/* UNDEFINED inside an op_* function: return from it (x30 is untouched in every op function) as
 * if it had produced no results, and remember where it happened. */
void isa_trap(struct frame *f, int slot) {
  u64 esr = read_sysreg(esr_el2);
  if (slot != 4 || (esr >> 26) != 0) {
    puts("\n!! unexpected exception");
    putkv("ESR_EL2", esr);
    putkv("ELR_EL2", read_sysreg(elr_el2));
    putc('\n');
    system_off();
  }
  if (!undef_count++) undef_elr = f->elr;
  f->elr = f->x[30];
  f->x[0] = 0;
}
static u64 buf[64] __attribute__((aligned(16)));

static u64 fold(u64 h, u64 v) {
  h ^= v;
  h *= 0x100000001b3UL;
  return h ^ (h >> 29);
}

static u64 fold_out(u64 h, u64 n) {
  for (u64 i = 0; i < n; i++) h = fold(h, out[i]);
  return h;
}

static void report(const char *name, u64 h, u64 words) {
  if (undef_count) {
    puts(name);
    puts(": UNDEFINED instruction at ");
    puthex(undef_elr);
    putc('\n');
    undef_count = 0;
    return;
  }
  puts(name);
  puts(": ");
  puthex(h);
  puts(" (");
  putdec(words);
  puts(" results)\n");
}

typedef u64 (*binop)(u64, u64, u64 *);
static void pairs(const char *name, binop f) {
  u64 h = 0xcbf29ce484222325UL, words = 0;
  for (unsigned i = 0; i < NV; i++)
    for (unsigned j = 0; j < NV; j++) {
      u64 n = f(vals[i], vals[j], out);
      h = fold_out(h, n);
      words += n;
    }
  report(name, h, words);
}

typedef u64 (*memop)(u64, void *, u64 *);
static void memory(const char *name, memop f) {
  u64 h = 0xcbf29ce484222325UL, words = 0;
  for (unsigned i = 0; i < NV; i++) {
    for (unsigned k = 0; k < 64; k++) buf[k] = vals[(i + k) % NV] ^ (k * 0x0101010101010101UL);
    u64 n = f(vals[i], buf, out);
    h = fold_out(h, n);
    for (unsigned k = 0; k < 64; k++) h = fold(h, buf[k]);
    words += n + 64;
  }
  report(name, h, words);
}

/* ---- compiled C: what gcc makes of ordinary code ---- */
static u64 c_mix(void) {
  u64 h = 0x9e3779b97f4a7c15UL;
  for (unsigned i = 0; i < NV; i++) {
    for (unsigned j = 0; j < NV; j++) {
      u64 a = vals[i], b = vals[j];
      unsigned __int128 p = (unsigned __int128)a * b;
      __int128 sp = (__int128)(s64)a * (s64)b;
      h = fold(h, (u64)p ^ (u64)(p >> 64));
      h = fold(h, (u64)(sp >> 64));
      unsigned __int128 sum = (unsigned __int128)a + b + ((unsigned __int128)b << 64);
      h = fold(h, (u64)(sum >> 64));
      h = fold(h, (s64)a / 7 + (s64)b % 10 + a / 1000 + (u32)b / 3);
      h = fold(h, b ? a % b : a);
      h = fold(h, (u64)((s32)a >> (b & 31)) + ((s64)a >> (b & 63)));
      h = fold(h, (u64)__builtin_clzll(a | 1) + (u64)__builtin_ctzll(b | 0x8000000000000000UL));
      h = fold(h, __builtin_bswap64(a) ^ __builtin_bswap32((u32)b) ^ __builtin_bswap16((u16)a));
      h = fold(h, (a > b) + 2 * ((s64)a > (s64)b) + 4 * ((u32)a < (u32)b) + 8 * ((s32)a <= (s32)b));
      switch ((a ^ b) & 7) {
        case 0: h += a; break;
        case 1: h -= b; break;
        case 2: h ^= a << 3; break;
        case 3: h = h * 5 + 1; break;
        case 5: h = (h << 7) | (h >> 57); break;
        default: h ^= 0x55;
      }
    }
  }
  /* a little string/array work: insertion sort of bytes and a byte-wise checksum */
  u8 bytes[64];
  for (unsigned k = 0; k < 64; k++) bytes[k] = (u8)(vals[k % NV] >> (k % 8 * 8)) ^ (u8)(k * 37);
  for (unsigned k = 1; k < 64; k++) {
    u8 v = bytes[k];
    int m = (int)k - 1;
    while (m >= 0 && bytes[m] > v) {
      bytes[m + 1] = bytes[m];
      m--;
    }
    bytes[m + 1] = v;
  }
  for (unsigned k = 0; k < 64; k++) h = fold(h, bytes[k]);
  s16 sh[8] = {-1, 2, -300, 400, 32767, -32768, 7, 0};
  for (unsigned k = 0; k < 8; k++) h = fold(h, (u64)(s64)sh[k] * 3);
  return h;
}

int main(void) {
  putln("isa-selfcheck: integer A64 instructions");
  write_sysreg(vbar_el2, isa_vectors);
  isb();
  pairs("arith (add/sub/adc/sbc, flags, cond select/compare)", op_arith);
  pairs("logic (register, shifted, immediate), shifts, moves", op_logic);
  pairs("bits (bitfield, extract, extend, clz/cls/rbit/rev)", op_bits);
  pairs("muldiv (mul/madd/msub, *l forms, umulh/smulh, div)", op_muldiv);
  pairs("crc32/crc32c", op_crc);
  pairs("branches (cbz/tbz/b.cond/br/bl)", op_branch);
  memory("loads/stores (every addressing mode)", op_ldst);
  memory("exclusives (ldxr/stxr/ldaxp/stlxp)", op_excl);
  memory("lse atomics (ldadd..cas/casp/swp/st*)", op_lse);
  memory("ldtr/sttr (unprivileged forms, at EL2)", op_unpriv);
  pairs("v8.4 FlagM (cfinv/rmif/setf8/setf16)", op_flagm);
  memory("v8.3/8.4 LRCPC, LRCPC2 (ldapr/ldapur/stlur)", op_lrcpc);
  memory("v8.1 LOR (ldlar/stllr)", op_lor);
  report("compiled C mix", c_mix(), 1);
  putln("isa-selfcheck: done");
  return 0;
}
