// Random SIMD&FP programs for the differential tests (RunOptions.fp): deterministic from a seed.
//
// Three kinds of units, mixed:
//   (a) random 32-bit words anywhere in the SIMD&FP data-processing space (Arm ARM C4.1: op0,
//       bits[28:25] = x111: scalar FP, AdvSIMD vector/scalar, crypto) and in the AdvSIMD structure
//       load/store space (C4.1.88; base register forced to x27, which the unit sets first);
//   (b) template words of every encoding class of C4.1.95 (fields drawn from the allocated opcode
//       values; with objdump installed, 95% of them are words objdump knows, the rest may be
//       UNDEFINED, which is compared too: programs depend on objdump's presence, not on our core);
//   (c) FPCR changes (MSR at start and mid-program), FPSR resets/reads, and loads of interesting
//       values into V registers.
// V registers start with interesting lane values (±0, ±inf, quiet and signalling NaNs with payloads,
// denormals, min/max normal, ±1.0, integer edge values, random) for 8/16/32/64-bit lanes.
//
// Encodings of features el2scope does not implement (BF16, I8MM, FHM, SM3, SM4) are never emitted:
// see EXCLUDED. QEMU's `-cpu max` has them.
//
// Register roles: x27 = memory base (set by each memory unit right before its access, so nothing
// else needs to keep it), x17 = FPCR value scratch. Everything else is free for random results.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, enc, Rng, DATA_BASE, DATA_SIZE, type Program, type Generator } from './gen';

/** Owner classes (one helper per class; the report files are /tmp/fpdiff/<class>.txt). */
export type FpClass = 'fp-scalar' | 'simd-arith' | 'simd-misc' | 'simd-fp' | 'simd-ldst' | 'crypto' | 'other';

/** Encodings of features not advertised by el2scope (Arm ARM C4.1.95 tables), as [name, 32-char
 * pattern] with '-' for any bit. Checked against objdump in fpsimd.test.ts. */
export const EXCLUDED: [string, string][] = [
  // FEAT_BF16
  ['BFCVT', '0001111001100011010000----------'],
  ['BFCVTN', '0-00111010100001011010----------'],
  ['BFDOT_vec', '0-101110010-----111111----------'],
  ['BFDOT_elem', '0-00111101------1111-0----------'],
  ['BFMMLA', '01101110010-----111011----------'],
  ['BFMLAL_vec', '0-101110110-----111111----------'],
  ['BFMLAL_elem', '0-00111111------1111-0----------'],
  // FEAT_I8MM
  ['SMMLA', '01001110100-----101001----------'],
  ['UMMLA', '01101110100-----101001----------'],
  ['USMMLA', '01001110100-----101011----------'],
  ['USDOT_vec', '0-001110100-----100111----------'],
  ['SUDOT_elem', '0-00111100------1111-0----------'],
  ['USDOT_elem', '0-00111110------1111-0----------'],
  // FEAT_FHM (bit 22, sz, is don't-care here: objdump decodes sz = 1 as FMLAL too)
  ['FMLAL_vec', '0-0011100-1-----111011----------'],
  ['FMLSL_vec', '0-0011101-1-----111011----------'],
  ['FMLAL2_vec', '0-1011100-1-----110011----------'],
  ['FMLSL2_vec', '0-1011101-1-----110011----------'],
  ['FMLAL_elem', '0-00111110------0000-0----------'],
  ['FMLSL_elem', '0-00111110------0100-0----------'],
  ['FMLAL2_elem', '0-10111110------1000-0----------'],
  ['FMLSL2_elem', '0-10111110------1100-0----------'],
  // FEAT_SM3, FEAT_SM4
  ['SM3SS1', '11001110010-----0---------------'],
  ['SM3TT', '11001110010-----10--------------'],
  ['SM3PARTW1', '11001110011-----110000----------'],
  ['SM3PARTW2', '11001110011-----110001----------'],
  ['SM4EKEY', '11001110011-----110010----------'],
  ['SM4E', '1100111011000000100001----------'],
];

/** Encodings where QEMU 7.2 (`-cpu max`) is known to depart from the Arm ARM, never emitted (the
 * README lists them; a handwritten test pins each down):
 * - FP16 two-register misc, vector U=0 a=1 opcode 11111 and scalar FABS/FSQRT-like opcodes (scalar
 *   U=0 a=1 opcode 01111, U=1 a=1 opcode 11111): unallocated; QEMU aborts
 *   (g_assert_not_reached in disas_simd_two_reg_misc_fp16), so the harness would lose its QEMU.
 * - AdvSIMD modified immediate op=1 cmode=1111 o2=1: unallocated (C4.1.95: o2 = 1 is allocated
 *   only with op = 0, cmode = 1111: FMOV half-precision); QEMU executes it as FMOV (double).
 * - FP16 across lanes (FMAXNMV/FMAXV/FMINNMV/FMINV, U=0) and scalar pairwise (FMAXNMP/FADDP/FMAXP/
 *   FMINNMP/FMINP, U=0) with bit 22 = 1: the half-precision encodings fix bit 22 = 0 (C7.2; objdump
 *   agrees: undefined); QEMU ignores the bit and executes them as half precision.
 * - FCVTZS (scalar, fixed-point) half precision: the 16-bit result zero-extends into V[d] (C7.2:
 *   V[d] = result); QEMU writes the sign-extended 32-bit value (0xffff8000 for -32768). */
export const QEMU_DIFFERS: [string, string][] = [
  ['QEMU_ABORT_fp16_2reg_vec', '0-00111011111001111110----------'],
  ['QEMU_ABORT_fp16_2reg_scalar_01111', '0101111011111000111110----------'],
  ['QEMU_ABORT_fp16_2reg_scalar_11111', '0111111011111001111110----------'],
  ['QEMU_FMOV_op1_o2', '0-10111100000---11111-----------'],
  ['QEMU_FP16_across_sz1_01100', '0-001110-1110000110010----------'],
  ['QEMU_FP16_across_sz1_01111', '0-001110-1110000111110----------'],
  ['QEMU_FCVTZS_fixed_scalar_half', '010111110001----111111----------'],
  ['QEMU_FP16_pairwise_sz1_01100', '01011110-1110000110010----------'],
  ['QEMU_FP16_pairwise_sz1_01101', '01011110-1110000110110----------'],
  ['QEMU_FP16_pairwise_sz1_01111', '01011110-1110000111110----------'],
];

const EXCL_MASKS = [...EXCLUDED, ...QEMU_DIFFERS].map(([n, p]) => {
  let mask = 0,
    val = 0;
  for (let i = 0; i < 32; i++) {
    const ch = p[i];
    const bit = 31 - i;
    if (ch !== '-') {
      mask |= 1 << bit;
      if (ch === '1') val |= 1 << bit;
    }
  }
  return [n, mask >>> 0, val >>> 0] as const;
});

/** name of the excluded feature encoding (or known QEMU departure) this word falls in, if any */
export function excluded(w: number): string | undefined {
  for (const [n, m, v] of EXCL_MASKS) if (((w & m) >>> 0) === v) return n;
  return undefined;
}

// ------------------------------------------------------------------ interesting lane values

const H = [0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x7e01, 0x7c01, 0x7dff, 0xfd55, 0x0001, 0x03ff, 0x8200, 0x0400, 0x7bff, 0xfbff, 0x3c00, 0xbc00, 0x3800, 0x4000, 0x3e00, 0x4100, 0x7800, 0x0200];
const S = [
  0x0000_0000, 0x8000_0000, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0xffc0_0000, 0x7fc0_1234, 0x7f80_0001, 0x7fbf_ffff, 0xffa0_0055, 0x0000_0001, 0x007f_ffff, 0x8040_0000, 0x0080_0000,
  0x7f7f_ffff, 0xff7f_ffff, 0x3f80_0000, 0xbf80_0000, 0x3f00_0000, 0x4000_0000, 0x3fc0_0000, 0x4020_0000, 0x4f00_0000, 0xcf00_0000, 0x5f00_0000, 0x4f80_0000, 0x3eff_ffff, 0x3f7f_ffff, 0x0080_0001,
];
const D: bigint[] = [
  0n, 0x8000_0000_0000_0000n, 0x7ff0_0000_0000_0000n, 0xfff0_0000_0000_0000n, 0x7ff8_0000_0000_0000n, 0xfff8_0000_0000_0000n, 0x7ff8_0000_dead_beefn, 0x7ff0_0000_0000_0001n,
  0x7ff7_ffff_ffff_ffffn, 0xfff4_0000_0000_5555n, 1n, 0x000f_ffff_ffff_ffffn, 0x8008_0000_0000_0000n, 0x0010_0000_0000_0000n, 0x7fef_ffff_ffff_ffffn, 0xffef_ffff_ffff_ffffn,
  0x3ff0_0000_0000_0000n, 0xbff0_0000_0000_0000n, 0x3fe0_0000_0000_0000n, 0x4000_0000_0000_0000n, 0x3ff8_0000_0000_0000n, 0x4004_0000_0000_0000n, 0x41e0_0000_0000_0000n,
  0xc1e0_0000_0000_0000n, 0x43e0_0000_0000_0000n, 0x41f0_0000_0000_0000n, 0x3fdf_ffff_ffff_ffffn, 0x380f_ffff_e000_0000n, 0x47ef_ffff_e000_0000n, 0x3810_0000_0000_0000n,
];
const I8 = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x40, 0x81];
const I16 = [0x0000, 0x0001, 0x7fff, 0x8000, 0xffff, 0xfffe, 0x4000, 0x8001, 0x00ff, 0xff00];
const I32 = [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0x4000_0000, 0x8000_0001, 0x0000_ffff, 0xffff_0000];
const I64 = [0x7fff_ffff_ffff_ffffn, 0xffff_ffff_ffff_ffffn, 0x8000_0000_0000_0001n, 0x0000_0000_ffff_ffffn, 0x4000_0000_0000_0000n, 0xc000_0000_0000_0000n, 2n];

function lane16(r: Rng): number {
  const k = r.int(10);
  if (k < 5) return r.pick(H);
  if (k < 6) return r.pick(I16);
  return r.u32() & 0xffff;
}
function lane32(r: Rng): number {
  const k = r.int(10);
  if (k < 5) return r.pick(S) >>> 0;
  if (k < 6) return r.pick(I32) >>> 0;
  if (k < 7) return ((r.int(2) << 31) | (r.range(100, 160) << 23) | (r.u32() & 0x7f_ffff)) >>> 0; // moderate magnitude
  return r.u32();
}
function lane64(r: Rng): bigint {
  const k = r.int(10);
  if (k < 5) return r.pick(D);
  if (k < 6) return r.bit() ? BigInt.asUintN(64, BigInt(r.pick(I32) | 0)) : r.pick(I64);
  if (k < 7) return (BigInt(r.int(2)) << 63n) | (BigInt(r.range(900, 1150)) << 52n) | (r.u64() & 0xf_ffff_ffff_ffffn);
  return r.u64();
}

/** Fill register r's 4 words (out[4r..4r+3]) with interesting lanes of one random size. */
export function fillInteresting(rng: Rng, out: Uint32Array, r: number): void {
  const k = rng.int(6);
  const o = 4 * r;
  if (k === 0) {
    for (let i = 0; i < 4; i++) out[o + i] = rng.u32();
  } else if (k === 1) {
    for (let i = 0; i < 16; i += 4) out[o + (i >> 2)] = (rng.pick(I8) | (rng.pick(I8) << 8) | (rng.pick(I8) << 16) | (rng.pick(I8) << 24)) >>> 0;
  } else if (k === 2) {
    for (let i = 0; i < 4; i++) out[o + i] = (lane16(rng) | (lane16(rng) << 16)) >>> 0;
  } else if (k === 3 || k === 4) {
    for (let i = 0; i < 4; i++) out[o + i] = lane32(rng);
  } else {
    for (let i = 0; i < 2; i++) {
      const v = lane64(rng);
      out[o + 2 * i] = Number(v & 0xffff_ffffn) >>> 0;
      out[o + 2 * i + 1] = Number(v >> 32n) >>> 0;
    }
  }
}

/** A random FPCR value: AHP (26), DN (25), FZ (24), RMode (23:22), FZ16 (19), rarely Stride/Len. */
export function randomFpcr(r: Rng): number {
  if (r.chance(0.3)) return 0;
  let v = 0;
  if (r.chance(0.3)) v |= 1 << 26;
  if (r.chance(0.3)) v |= 1 << 25;
  if (r.chance(0.3)) v |= 1 << 24;
  if (r.chance(0.5)) v |= r.int(4) << 22;
  if (r.chance(0.3)) v |= 1 << 19;
  // Stride (21:20) and Len (18:16): no effect in AArch64, but read/write (kept for AArch32)
  if (r.chance(0.05)) v |= (r.int(4) << 20) | (r.int(8) << 16);
  return v >>> 0;
}

// ------------------------------------------------------------------ templates

/** A field: [lsb, width, values (or undefined: uniform)] */
type Field = [number, number, (readonly number[])?];
interface Template {
  owner: FpClass;
  name: string;
  base: number;
  fields: Field[];
  /** final touch (e.g. constraints between fields) */
  fix?: (w: number, r: Rng) => number;
  weight?: number;
}

const Q: Field = [30, 1];
const U: Field = [29, 1];
const RD: Field = [0, 5];
const RN: Field = [5, 5];
const RM: Field = [16, 5];
const RA: Field = [10, 5];
const SIZE: Field = [22, 2];
const PTYPE: Field = [22, 2, [0, 1, 3, 0, 1, 3, 2]];
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
/** set field [lsb, width) of w */
const setF = (w: number, lsb: number, width: number, v: number) => (((w & ~((2 ** width - 1) * 2 ** lsb)) | (v * 2 ** lsb)) >>> 0);
/** a fix that sets several fields from one of the allocated combinations: [[lsb, width], ...] and rows of values */
const combos =
  (fs: [number, number][], rows: number[][]) =>
  (w: number, r: Rng): number => {
    const row = r.pick(rows);
    fs.forEach(([lsb, width], i) => (w = setF(w, lsb, width, row[i])));
    return w;
  };

const TEMPLATES: Template[] = [
  // ---- scalar floating point (C4.1.95 "Floating-point ..." classes): fp-scalar
  { owner: 'fp-scalar', name: 'fp-dp1', base: 0x1e204000, fields: [PTYPE, [15, 6, [0, 1, 2, 3, 4, 5, 7, ...range(8, 15), 16, 17, 18, 19]], RN, RD], weight: 3 },
  { owner: 'fp-scalar', name: 'fp-dp2', base: 0x1e200800, fields: [PTYPE, RM, [12, 4, range(0, 8)], RN, RD], weight: 3 },
  { owner: 'fp-scalar', name: 'fp-dp3', base: 0x1f000000, fields: [PTYPE, [21, 1], RM, [15, 1], RA, RN, RD], weight: 2 },
  { owner: 'fp-scalar', name: 'fp-cmp', base: 0x1e202000, fields: [PTYPE, RM, RN, [0, 5, [0, 8, 16, 24]]] },
  { owner: 'fp-scalar', name: 'fp-ccmp', base: 0x1e200400, fields: [PTYPE, RM, [12, 4], RN, [4, 1], [0, 4]] },
  { owner: 'fp-scalar', name: 'fp-csel', base: 0x1e200c00, fields: [PTYPE, RM, [12, 4], RN, RD] },
  { owner: 'fp-scalar', name: 'fp-imm', base: 0x1e201000, fields: [PTYPE, [13, 8], RD] },
  { owner: 'fp-scalar', name: 'fp-int', base: 0x1e200000 | (1 << 21), fields: [[31, 1], PTYPE, [19, 2, [0, 0, 0, 1, 2, 3]], [16, 3], RN, RD], weight: 3,
    // mostly allocated (sf, ptype, rmode, opcode): conversions, FMOV of matching sizes, FMOV top half, FJCVTZS
    fix: (w, r) => r.chance(0.1) ? w : combos([[31, 1], [22, 2], [19, 2], [16, 3]], [
      ...[0, 1].flatMap((sf) => [0, 1, 3].flatMap((pt) => [[sf, pt, 0, 0], [sf, pt, 0, 1], [sf, pt, 0, 2], [sf, pt, 0, 3], [sf, pt, 0, 4], [sf, pt, 0, 5], [sf, pt, 1, 0], [sf, pt, 2, 1], [sf, pt, 3, 0], [sf, pt, 3, 1], [sf, pt, 1, 1], [sf, pt, 2, 0]])),
      [0, 0, 0, 6], [0, 0, 0, 7], [1, 1, 0, 6], [1, 1, 0, 7], [0, 3, 0, 6], [0, 3, 0, 7], [1, 3, 0, 6], [1, 3, 0, 7], [1, 2, 1, 6], [1, 2, 1, 7], [0, 1, 3, 6], [0, 1, 3, 6],
    ])(w, r) },
  { owner: 'fp-scalar', name: 'fp-fixed', base: 0x1e000000, fields: [[31, 1], PTYPE, [16, 5, [0b00010, 0b00011, 0b11000, 0b11001]], [10, 6], RN, RD], fix: (w, r) => ((w >>> 31) === 0 ? (w | (1 << 15)) >>> 0 : r.chance(0.1) ? (w & ~(1 << 15)) >>> 0 : w) },
  // ---- AdvSIMD floating point: simd-fp
  { owner: 'simd-fp', name: 'fp-three-same', base: 0x0e200400, fields: [Q, U, [22, 2], RM, [11, 5, range(0x18, 0x1f)], RN, RD], weight: 3 },
  { owner: 'simd-fp', name: 'fp16-three-same', base: 0x0e400400, fields: [Q, U, [23, 1], RM, [11, 3], RN, RD], weight: 2 },
  { owner: 'simd-fp', name: 'scalar-fp-three-same', base: 0x5e200400, fields: [U, [22, 2], RM, [11, 5, [0x1b, 0x1c, 0x1f, 0x1f, 0x1c, 0x1d, 0x1a, 0x1c, 0x1d]], RN, RD], weight: 2 },
  { owner: 'simd-fp', name: 'scalar-fp16-three-same', base: 0x5e400400, fields: [U, [23, 1], RM, [11, 3], RN, RD],
    // U, a, opcode: FMULX, FCMEQ, FRECPS, FRSQRTS, FCMGE, FACGE, FABD, FCMGT, FACGT
    fix: combos([[29, 1], [23, 1], [11, 3]], [[0, 0, 3], [0, 0, 4], [0, 0, 7], [0, 1, 7], [1, 0, 4], [1, 0, 5], [1, 1, 2], [1, 1, 4], [1, 1, 5]]) },
  { owner: 'simd-fp', name: 'fp-two-reg-misc', base: 0x0e200800, fields: [Q, U, SIZE, [12, 5, [0x0c, 0x0d, 0x0e, 0x0f, ...range(0x16, 0x1f)]], RN, RD], weight: 3 },
  { owner: 'simd-fp', name: 'fp16-two-reg-misc', base: 0x0e780800, fields: [Q, U, [23, 1], [12, 5, [0x0c, 0x0d, 0x0e, 0x0f, ...range(0x18, 0x1f)]], RN, RD], weight: 2 },
  { owner: 'simd-fp', name: 'scalar-fp-two-reg-misc', base: 0x5e200800, fields: [U, SIZE, [12, 5, [0x0c, 0x0d, 0x0e, 0x16, ...range(0x1a, 0x1f)]], RN, RD], weight: 2 },
  { owner: 'simd-fp', name: 'scalar-fp16-two-reg-misc', base: 0x5e780800, fields: [U, [23, 1], [12, 5, [0x0c, 0x0d, 0x0e, ...range(0x1a, 0x1f)]], RN, RD] },
  { owner: 'simd-fp', name: 'fp-across-lanes', base: 0x0e300800, fields: [Q, U, SIZE, [12, 5, [0x0c, 0x0f]], RN, RD],
    // U=1: 4S only (Q=1, sz=0); U=0: half precision (sz=0), either Q
    fix: (w, r) => (r.chance(0.1) ? w : combos([[30, 1], [29, 1], [22, 1]], [[1, 1, 0], [1, 1, 0], [0, 0, 0], [1, 0, 0]])(w, r)) },
  { owner: 'simd-fp', name: 'scalar-pairwise', base: 0x5e300800, fields: [U, SIZE, [12, 5, [0x0c, 0x0d, 0x0f, 0x1b]], RN, RD],
    // FP: U=1 (single/double: sz = bit 22), U=0 half (bit 22 = 0); ADDP: U=0 size=11 opcode 11011
    fix: (w, r) => (r.chance(0.1) ? w : ((w >>> 12) & 31) === 0x1b ? setF(setF(w, 29, 1, 0), 22, 2, 3) : r.chance(0.6) ? setF(w, 29, 1, 1) : setF(setF(w, 29, 1, 0), 22, 1, 0)) },
  { owner: 'simd-fp', name: 'fp-by-element', base: 0x0f000000, fields: [Q, U, [22, 2, [0, 2, 3]], [21, 1], [20, 1], [16, 4], [12, 4, [1, 5, 9, 1, 3, 5, 7]], [11, 1], RN, RD], weight: 2,
    // FMLA/FMLS/FMUL (U=0) and FMULX (U=1) at sizes 00/10/11 (11: L = 0, Q = 1); FCMLA (U=1, 0rr1) at sizes 01/10
    fix: (w, r) => {
      if (r.chance(0.1)) return w;
      if (r.chance(0.25)) {
        const sz = r.pick([1, 2]);
        return setF(setF(setF(setF(w, 29, 1, 1), 22, 2, sz), 12, 4, r.pick([1, 3, 5, 7])), 30, 1, sz === 2 ? 1 : r.bit());
      }
      const [u, op] = r.pick([[0, 1], [0, 5], [0, 9], [1, 9]]);
      const sz = r.pick([0, 2, 3]);
      w = setF(setF(setF(w, 29, 1, u), 12, 4, op), 22, 2, sz);
      return sz === 3 ? setF(setF(w, 21, 1, 0), 30, 1, 1) : w;
    } },
  { owner: 'simd-fp', name: 'scalar-fp-by-element', base: 0x5f000000, fields: [U, [22, 2, [0, 2, 3]], [21, 1], [20, 1], [16, 4], [12, 4, [1, 5, 9]], [11, 1], RN, RD] },
  { owner: 'simd-fp', name: 'fixed-point-shift', base: 0x0f000400, fields: [Q, U, [19, 4, range(2, 15)], [16, 3], [11, 5, [0x1c, 0x1f]], RN, RD] },
  { owner: 'simd-fp', name: 'scalar-fixed-point-shift', base: 0x5f000400, fields: [U, [19, 4, range(2, 15)], [16, 3], [11, 5, [0x1c, 0x1f]], RN, RD] },
  { owner: 'simd-fp', name: 'fcmla-fcadd', base: 0x2e008400, fields: [Q, [22, 2, [1, 2, 3]], RM, [11, 4, [8, 9, 10, 11, 12, 14]], RN, RD] },
  // ---- AdvSIMD integer arithmetic: simd-arith
  { owner: 'simd-arith', name: 'int-three-same', base: 0x0e200400, fields: [Q, U, SIZE, RM, [11, 5, range(0, 0x17)], RN, RD], weight: 5 },
  { owner: 'simd-arith', name: 'three-different', base: 0x0e200000, fields: [Q, U, SIZE, RM, [12, 4, range(0, 13)], RN, RD], weight: 3 },
  { owner: 'simd-arith', name: 'scalar-int-three-same', base: 0x5e200400, fields: [U, SIZE, RM, [11, 5, [1, 5, 8, 9, 10, 11, 6, 7, 0x10, 0x11, 0x16]], RN, RD], weight: 2 },
  { owner: 'simd-arith', name: 'scalar-three-different', base: 0x5e200000, fields: [[22, 2, [1, 2, 1, 2, 0, 3]], RM, [12, 4, [9, 11, 13]], RN, RD] },
  { owner: 'simd-arith', name: 'int-across-lanes', base: 0x0e300800, fields: [[30, 1, [0, 1, 1]], U, [22, 2, [0, 1, 2, 0, 1, 2, 3]], [12, 5, [3, 0x0a, 0x1a, 0x1b]], RN, RD],
    fix: (w, r) => (((w >>> 22) & 3) === 2 && r.chance(0.9) ? setF(w, 30, 1, 1) : w) },
  { owner: 'simd-arith', name: 'int-by-element', base: 0x0f000000, fields: [Q, U, [22, 2, [1, 2]], [21, 1], [20, 1], [16, 4], [12, 4, [0, 2, 3, 4, 6, 7, 8, 10, 11, 12, 13, 14, 15]], [11, 1], RN, RD], weight: 2 },
  { owner: 'simd-arith', name: 'scalar-int-by-element', base: 0x5f000000, fields: [U, [22, 2, [1, 2]], [21, 1], [20, 1], [16, 4], [12, 4, [3, 7, 11, 12, 13, 15]], [11, 1], RN, RD] },
  { owner: 'simd-arith', name: 'three-reg-extension', base: 0x0e008400, fields: [Q, U, SIZE, RM, [11, 4, [0, 1, 2]], RN, RD],
    // SQRDMLAH/SQRDMLSH (U=1, sizes 01/10), SDOT/UDOT (size 10)
    fix: (w, r) => (r.chance(0.1) ? w : combos([[29, 1], [22, 2], [11, 4]], [[1, 1, 0], [1, 2, 0], [1, 1, 1], [1, 2, 1], [0, 2, 2], [1, 2, 2]])(w, r)) },
  { owner: 'simd-arith', name: 'scalar-three-same-extra', base: 0x7e008400, fields: [SIZE, RM, [11, 4, [0, 1]], RN, RD] },
  // ---- AdvSIMD copy/permute/immediate/shift/integer two-reg misc: simd-misc
  { owner: 'simd-misc', name: 'copy', base: 0x0e000400, fields: [Q, [29, 1, [0, 0, 0, 1]], [16, 5, range(1, 31)], [11, 4, [0, 1, 3, 5, 7]], RN, RD], weight: 3 },
  { owner: 'simd-misc', name: 'scalar-copy', base: 0x5e000400, fields: [[16, 5, range(1, 31)], RN, RD] },
  { owner: 'simd-misc', name: 'modified-imm', base: 0x0f000400, fields: [Q, [29, 1], [16, 3], [12, 4], [11, 1, [0, 0, 0, 1]], [5, 5], RD], weight: 2 },
  { owner: 'simd-misc', name: 'permute', base: 0x0e000800, fields: [Q, SIZE, RM, [12, 3, range(1, 7)], RN, RD], weight: 2 },
  { owner: 'simd-misc', name: 'ext', base: 0x2e000000, fields: [Q, RM, [11, 4], RN, RD] },
  { owner: 'simd-misc', name: 'tbl-tbx', base: 0x0e000000, fields: [Q, RM, [13, 2], [12, 1], RN, RD] },
  { owner: 'simd-misc', name: 'shift-imm', base: 0x0f000400, fields: [Q, U, [19, 4, range(1, 15)], [16, 3], [11, 5, [0, 2, 4, 6, 8, 10, 12, 14, 16, 17, 18, 19, 20]], RN, RD], weight: 3 },
  { owner: 'simd-misc', name: 'scalar-shift-imm', base: 0x5f000400, fields: [U, [19, 4, range(1, 15)], [16, 3], [11, 5, [0, 2, 4, 6, 8, 10, 12, 14, 16, 17, 18, 19]], RN, RD], weight: 2 },
  { owner: 'simd-misc', name: 'int-two-reg-misc', base: 0x0e200800, fields: [Q, U, SIZE, [12, 5, [...range(0, 11), 0x12, 0x13, 0x14, 0x1c]], RN, RD], weight: 3 },
  { owner: 'simd-misc', name: 'scalar-int-two-reg-misc', base: 0x5e200800, fields: [U, SIZE, [12, 5, [3, 7, 8, 9, 10, 11, 0x12, 0x14]], RN, RD], weight: 2 },
  // ---- cryptography: crypto
  { owner: 'crypto', name: 'aes', base: 0x4e280800, fields: [[12, 5, [4, 5, 6, 7]], RN, RD] },
  { owner: 'crypto', name: 'sha-three-reg', base: 0x5e000000, fields: [RM, [12, 3, range(0, 6)], RN, RD] },
  { owner: 'crypto', name: 'sha-two-reg', base: 0x5e280800, fields: [[12, 5, [0, 1, 2]], RN, RD] },
  { owner: 'crypto', name: 'sha512-three-reg', base: 0xce608000, fields: [RM, [10, 2], RN, RD] },
  { owner: 'crypto', name: 'sha512su0', base: 0xcec08000, fields: [RN, RD] },
  { owner: 'crypto', name: 'eor3-bcax', base: 0xce000000, fields: [[21, 2, [0, 1]], RM, RA, RN, RD] },
  { owner: 'crypto', name: 'xar', base: 0xce800000, fields: [RM, [10, 6], RN, RD] },
  { owner: 'crypto', name: 'pmull', base: 0x0e20e000, fields: [Q, [22, 2, [0, 3]], RM, RN, RD] },
];

function fill(t: Template, r: Rng): number {
  let w = t.base;
  for (const [lsb, width, vals] of t.fields) {
    const v = vals ? r.pick(vals) : r.int(2 ** width);
    const m = (2 ** width - 1) * 2 ** lsb;
    w = (w & ~m) | (v << lsb);
  }
  w >>>= 0;
  return t.fix ? t.fix(w, r) >>> 0 : w;
}

const TOTAL_WEIGHT = TEMPLATES.reduce((s, t) => s + (t.weight ?? 1), 0);
function pickTemplate(r: Rng): Template {
  let x = r.int(TOTAL_WEIGHT);
  for (const t of TEMPLATES) {
    const w = t.weight ?? 1;
    if (x < w) return t;
    x -= w;
  }
  return TEMPLATES[0];
}

// ------------------------------------------------------------------ encoding classes for the reports

/** The encoding class (C4.1.95 / C4.1.88 table) of a SIMD&FP word and its owner. */
export function classify(w: number): { cls: string; owner: FpClass } {
  w >>>= 0;
  const op0 = w >>> 28;
  if (((w >>> 25) & 7) !== 7) {
    if ((w & 0xbe000000) === 0x0c000000 && ((w >>> 26) & 1)) return { cls: 'advsimd-ldst-structure', owner: 'simd-ldst' };
    return { cls: 'not SIMD&FP', owner: 'other' };
  }
  const bit = (n: number) => (w >>> n) & 1;
  const bits = (lo: number, n: number) => (w >>> lo) & ((1 << n) - 1);
  if (op0 === 0b1100 && bits(24, 4) === 0b1110) return { cls: 'crypto-sha512/sha3/sm', owner: 'crypto' };
  if ((w & 0xff3e0c00) === 0x4e280800) return { cls: 'crypto-aes', owner: 'crypto' };
  if ((w & 0xff208c00) === 0x5e000000) return { cls: 'crypto-sha-three-reg', owner: 'crypto' };
  if ((w & 0xff3e0c00) === 0x5e280800) return { cls: 'crypto-sha-two-reg', owner: 'crypto' };
  if (bit(30) === 0 && bit(28) === 1) return { cls: 'scalar-fp', owner: 'fp-scalar' };
  if (bit(31) === 1) return { cls: 'unallocated', owner: 'other' };
  const scalar = bit(28) === 1;
  const u = bit(29);
  const size = bits(22, 2);
  if (bit(24) === 1) {
    // shift by immediate / modified immediate / by element
    if (bit(10) === 1) {
      if (bits(19, 4) === 0) return { cls: 'modified-imm', owner: 'simd-misc' };
      const opc = bits(11, 5);
      return opc === 0x1c || opc === 0x1f ? { cls: 'fixed-point-shift', owner: 'simd-fp' } : { cls: 'shift-imm', owner: 'simd-misc' };
    }
    const opc = bits(12, 4);
    const fp = u === 0 ? [1, 5, 9].includes(opc) || (size === 0 && opc === 0) : opc === 9 || (opc & 9) === 1;
    return fp ? { cls: 'fp-by-element', owner: 'simd-fp' } : { cls: 'int-by-element', owner: 'simd-arith' };
  }
  if (bit(21) === 0) {
    if ((w & 0x9fe08400) === 0x0e000400) return { cls: 'copy', owner: 'simd-misc' };
    if ((w & 0xdfe08400) === 0x5e000400) return { cls: 'scalar-copy', owner: 'simd-misc' };
    if (bit(15) === 1 && bit(10) === 1) return bits(11, 4) >= 8 ? { cls: 'fcmla-fcadd', owner: 'simd-fp' } : { cls: 'three-reg-extension', owner: 'simd-arith' };
    if (bit(22) === 1 && bit(10) === 1 && bits(14, 2) === 0) return { cls: 'fp16-three-same', owner: 'simd-fp' };
    if (!scalar && bits(10, 2) === 0 && bit(15) === 0) return u ? { cls: 'ext', owner: 'simd-misc' } : { cls: 'tbl-tbx', owner: 'simd-misc' };
    if (!scalar && bits(10, 2) === 2 && bit(15) === 0) return { cls: 'permute', owner: 'simd-misc' };
    return { cls: 'unallocated', owner: 'other' };
  }
  if (bits(17, 4) === 0b1100 && bits(10, 2) === 2) return { cls: 'fp16-two-reg-misc', owner: 'simd-fp' };
  const b1110 = bits(10, 2);
  if (b1110 === 2 && bits(17, 4) === 0) {
    const opc = bits(12, 5);
    const fp = (opc >= 0x0c && opc <= 0x0f && size >= 2) || opc >= 0x16;
    const intish = opc === 0x1c && size >= 2 && !scalar; // URECPE/URSQRTE
    return fp && !intish ? { cls: 'fp-two-reg-misc', owner: 'simd-fp' } : { cls: 'int-two-reg-misc', owner: 'simd-misc' };
  }
  if (b1110 === 2 && bits(17, 4) === 0b1000) {
    const opc = bits(12, 5);
    return opc === 0x0c || opc === 0x0f || (scalar && opc === 0x0d) ? { cls: 'fp-across/pairwise', owner: 'simd-fp' } : { cls: 'int-across/pairwise', owner: 'simd-arith' };
  }
  if (bit(10) === 1) return bits(11, 5) >= 0x18 ? { cls: 'fp-three-same', owner: 'simd-fp' } : { cls: 'int-three-same', owner: 'simd-arith' };
  if (b1110 === 0) return bits(12, 4) === 14 && (size === 0 || size === 3) ? { cls: 'pmull', owner: 'simd-arith' } : { cls: 'three-different', owner: 'simd-arith' };
  return { cls: 'unallocated', owner: 'other' };
}

// ------------------------------------------------------------------ units

const X_MEM = 27;
const X_FPCR = 17;
/** memory unit base addresses stay this far inside the scratch area (64-byte transfers at most) */
const MEM_MARGIN = 0x100;

function movAddr(rd: number, a: number): number[] {
  return [enc.movw(1, 2, 0, a & 0xffff, rd), enc.movw(1, 3, 1, a >>> 16, rd)];
}

function randomDpWord(r: Rng): number {
  for (;;) {
    const w = ((r.u32() & ~0x0e000000) | 0x0e000000) >>> 0;
    if (!excluded(w)) return w;
  }
}

/** A template or random AdvSIMD structure load/store with Rn = x27 (C4.1.88). */
function ldstWord(r: Rng, random: boolean): number {
  let w: number;
  const post = r.bit();
  const rm = r.chance(0.5) ? 31 : r.int(31);
  if (random) {
    w = (0x0c000000 | (r.bit() << 30) | (r.bit() << 24) | (post << 23) | (r.u32() & 0x007ffc00) | (r.u32() & 31)) >>> 0;
    if (!post) w &= ~(31 << 16);
  } else if (r.bit()) {
    // multiple structures: opcode 0000 LD4, 0010 LD1 x4, 0100 LD3, 0110 LD1 x3, 0111 LD1, 1000 LD2, 1010 LD1 x2
    const opc = r.pick([0, 2, 4, 6, 7, 8, 10]);
    w = (0x0c000000 | (r.bit() << 30) | (post << 23) | (r.bit() << 22) | (opc << 12) | (r.int(4) << 10) | r.int(32)) >>> 0;
  } else {
    // single structure: opcode 000/001 (B), 010/011 (H), 100/101 (S/D), 110/111 (replicate, loads only)
    const l = r.bit();
    const opc = l ? r.int(8) : r.int(6);
    w = (0x0d000000 | (r.bit() << 30) | (post << 23) | (l << 22) | (r.bit() << 21) | (opc << 13) | (r.bit() << 12) | (r.int(4) << 10) | r.int(32)) >>> 0;
  }
  if (post) w = ((w & ~(31 << 16)) | (rm << 16)) >>> 0;
  return ((w & ~(31 << 5)) | (X_MEM << 5)) >>> 0;
}

let objdumpOk: boolean | undefined;
/** The words objdump disassembles as instructions (not `.inst`), or null without objdump. */
export function allocatedByObjdump(words: number[]): Set<number> | null {
  if (objdumpOk === undefined) objdumpOk = spawnSync('aarch64-linux-gnu-objdump', ['--version']).status === 0;
  if (!objdumpOk || !words.length) return null;
  const dir = mkdtempSync(join(tmpdir(), 'el2scope-gen-'));
  try {
    const f = join(dir, 'w.bin');
    const b = Buffer.alloc(4 * words.length);
    words.forEach((w, i) => b.writeUInt32LE(w >>> 0, 4 * i));
    writeFileSync(f, b);
    const text = execFileSync('aarch64-linux-gnu-objdump', ['-b', 'binary', '-m', 'aarch64', '-D', f], { maxBuffer: 1 << 28 }).toString();
    const ok = new Set<number>();
    for (const line of text.split('\n')) {
      const m = /^\s*[0-9a-f]+:\s+([0-9a-f]{8})\s+(\S+)/.exec(line);
      if (m && m[2] !== '.inst') ok.add(parseInt(m[1], 16) >>> 0);
    }
    return ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FpGenOptions {
  /** share of random words (a) among the data-processing units (default 0.05; most are UNDEFINED,
   * and each UNDEFINED word costs the 8 steps of the vector handler) */
  randomShare?: number;
  /** only templates of these owner classes (and no random words) */
  only?: FpClass[];
}

/** A random SIMD&FP program of about `insns` instructions, deterministic from `seed`. */
export function generateFp(seed: number, insns = 1500, o: FpGenOptions = {}): Program {
  const rng = new Rng(seed ^ 0x5f0d_5eed);
  const randomShare = o.only ? 0 : o.randomShare ?? 0.05;
  const templates = o.only ? TEMPLATES.filter((t) => o.only!.includes(t.owner)) : TEMPLATES;
  const tw = templates.reduce((s, t) => s + (t.weight ?? 1), 0);
  const pick = (): Template => {
    if (!o.only) return pickTemplate(rng);
    let x = rng.int(tw);
    for (const t of templates) {
      if (x < (t.weight ?? 1)) return t;
      x -= t.weight ?? 1;
    }
    return templates[0];
  };
  // one seed in four runs at EL1 with stage 1 and 2 on (gen.ts 'el1mmu': Normal memory), where
  // accesses need no alignment: its memory units use any address, often just below a 4K page end
  // (accesses crossing pages); otherwise addresses are 16-byte aligned (Device memory with the MMU
  // off: QEMU 7.2 does not check alignment there, see "Known differences")
  const mmu = seed % 4 === 2;
  const memAddr = () => {
    if (!mmu) return DATA_BASE + MEM_MARGIN + 16 * rng.int((DATA_SIZE - 2 * MEM_MARGIN) / 16);
    if (rng.chance(0.5)) return DATA_BASE + 0x1000 * rng.range(1, DATA_SIZE / 0x1000 - 1) - rng.range(1, 63);
    return DATA_BASE + MEM_MARGIN + rng.int(DATA_SIZE - 2 * MEM_MARGIN);
  };
  const wantLdst = !o.only || o.only.includes('simd-ldst');
  // the start EL generate() will choose for this seed (gen.ts: 1/8 EL2t, 1/8 EL0t, 1/4 EL1h, else EL2h)
  const el = mmu ? 1 : seed % 8 === 7 ? 2 : seed % 8 === 3 ? 0 : seed % 4 === 1 ? 1 : 2;
  // Template words come with a few alternative candidates; after the loop, objdump (when installed)
  // tells which are allocated and each unit takes its first allocated candidate, except one unit in
  // twenty that keeps its first candidate whatever it is (UNDEFINED words cost the 8 steps of the
  // vector handler each: unfiltered, they took most of the steps)
  const choices: { words: number[]; at: number; cands: number[]; keepFirst: boolean }[] = [];
  const build = (g: Generator) => {
    const push = (words: number[], labels: string[]) => g.units.push({ words, labels } as (typeof g.units)[number]);
    let n = 0;
    while (n < insns) {
      const k = rng.int(100);
      let words: number[];
      let labels: string[];
      if (k < 3) {
        // FPCR change (MSR; rarely with trap-enable bits, which are RAZ/WI without FP trapping)
        const v = randomFpcr(rng);
        words = [enc.movw(1, 2, 1, v >>> 16, X_FPCR), 0xd51b4400 | X_FPCR];
        labels = ['SETUP movz x17, #fpcr', 'MSR fpcr'];
        if (rng.chance(0.1)) {
          words.splice(1, 0, enc.movw(1, 3, 0, rng.u32() & 0x9f07, X_FPCR));
          labels.splice(1, 0, 'SETUP movk x17, #fpcr_lo');
        }
        if (rng.chance(0.5)) {
          words.push(0xd53b4400 | rng.int(27));
          labels.push('MRS fpcr');
        }
      } else if (k < 5) {
        words = rng.bit() ? [0xd51b443f] : [0xd53b4420 | rng.int(27)];
        labels = [words[0] === 0xd51b443f ? 'MSR fpsr, xzr' : 'MRS fpsr'];
      } else if (k < 8) {
        // load interesting values into V registers (LDR Q/D/S/H, unsigned offset 0; C4.1.88), now
        // and then other SIMD&FP loads/stores: LDR/STR B..Q, LDP/STP S/D/Q (offset 0)
        const sz = rng.chance(0.6)
          ? rng.pick([[0x3dc00000, 'LDR_Q'], [0xfd400000, 'LDR_D'], [0xbd400000, 'LDR_S'], [0x7d400000, 'LDR_H']] as [number, string][])
          : rng.pick([[0x3d400000, 'LDR_B'], [0x3d000000, 'STR_B'], [0x7d000000, 'STR_H'], [0xbd000000, 'STR_S'], [0xfd000000, 'STR_D'], [0x3d800000, 'STR_Q'],
              [0x2d400000 | (rng.int(32) << 10), 'LDP_S'], [0x6d400000 | (rng.int(32) << 10), 'LDP_D'], [0xad400000 | (rng.int(32) << 10), 'LDP_Q'],
              [0x2d000000 | (rng.int(32) << 10), 'STP_S'], [0x6d000000 | (rng.int(32) << 10), 'STP_D'], [0xad000000 | (rng.int(32) << 10), 'STP_Q']] as [number, string][]);
        let w = (sz[0] | (X_MEM << 5) | rng.int(32)) >>> 0;
        // LDP with Rt2 = Rt is CONSTRAINED UNPREDICTABLE (Arm ARM C6.2 LDP (SIMD&FP)): avoid it
        if (sz[1].startsWith('LDP') && ((w >>> 10) & 31) === (w & 31)) w = ((w & ~(31 << 10)) | ((((w & 31) + 1) & 31) << 10)) >>> 0;
        words = [...movAddr(X_MEM, memAddr()), w];
        labels = ['SETUP movz x27', 'SETUP movk x27', `${sz[1]} (SIMD&FP load/store)`];
      } else if (k === 17 || k === 18) {
        // a loop running 2-6 template words twice, with another FPCR the second time: catches
        // state captured when a word is decoded (the decoded-page cache keeps it) instead of read
        // when it executes. x16 counts (body words never name register 16: Rd 16 becomes 15).
        const n = rng.range(2, 6);
        const v = randomFpcr(rng);
        words = [enc.movw(1, 2, 0, 2, 16)];
        labels = ['LOOP movz x16, #2'];
        const noX16 = (w: number) => ((w & 31) === 16 ? (w & ~31) | 15 : w) >>> 0;
        for (let i = 0; i < n; i++) {
          const t = pick();
          const cands: number[] = [];
          for (let j = 0; j < 6; j++) {
            const c = noX16(fill(t, rng));
            if (!excluded(c)) cands.push(c);
          }
          if (!cands.length) cands.push(0x4ea11c20); // mov v0.16b, v1.16b
          words.push(cands[0]);
          labels.push(`${t.owner} ${t.name} (loop)`);
          choices.push({ words, at: words.length - 1, cands, keepFirst: rng.chance(0.05) });
        }
        words.push(enc.movw(1, 2, 1, v >>> 16, X_FPCR), 0xd51b4400 | X_FPCR, enc.addsubImm(1, 1, 0, 0, 1, 16, 16), enc.cb(1, 1, -(n + 3), 16));
        labels.push('SETUP movz x17, #fpcr', 'MSR fpcr', 'LOOP sub x16, x16, #1', 'LOOP cbnz x16, body');
      } else if (k === 16 && el !== 0) {
        // SIMD&FP access trap (Arm ARM D19: CPTR_EL2.TFP at EL2, CPACR_EL1.FPEN = 00 at EL1): the
        // next SIMD&FP word takes EC 0x07 to the handler, then access is enabled again
        const t = pick();
        const w = fill(t, rng);
        if (excluded(w)) continue;
        words =
          el === 2
            ? [enc.movw(1, 2, 0, 0x37ff, X_FPCR), 0xd51c1140 | X_FPCR, w, enc.movw(1, 2, 0, 0x33ff, X_FPCR), 0xd51c1140 | X_FPCR]
            : [0xd5181040 | 31, w, enc.movw(1, 2, 1, 0x30, X_FPCR), 0xd5181040 | X_FPCR];
        labels =
          el === 2
            ? ['SETUP movz x17, #0x37ff', 'MSR cptr_el2 (TFP = 1)', `${t.owner} ${t.name} (trapped)`, 'SETUP movz x17, #0x33ff', 'MSR cptr_el2 (TFP = 0)']
            : ['MSR cpacr_el1, xzr (FPEN = 0)', `${t.owner} ${t.name} (trapped)`, 'SETUP movz x17, #0x30, lsl #16', 'MSR cpacr_el1 (FPEN = 3)'];
      } else if (k < 16 && wantLdst) {
        const random = rng.chance(0.15);
        words = [...movAddr(X_MEM, memAddr()), ldstWord(rng, random)];
        labels = ['SETUP movz x27', 'SETUP movk x27', `simd-ldst ${random ? 'random' : 'structure'}`];
        if (!random) choices.push({ words, at: 2, cands: [words[2], ldstWord(rng, false), ldstWord(rng, false), ldstWord(rng, false)], keepFirst: rng.chance(0.05) });
      } else if (rng.chance(randomShare)) {
        const w = randomDpWord(rng);
        words = [w];
        labels = [`${classify(w).owner} random`];
      } else {
        const t = pick();
        let w = fill(t, rng);
        for (let tries = 0; excluded(w) && tries < 20; tries++) w = fill(t, rng);
        if (excluded(w)) continue;
        words = [w];
        labels = [`${t.owner} ${t.name}`];
        const cands = [w];
        for (let i = 0; i < 5; i++) {
          const c = fill(t, rng);
          if (!excluded(c)) cands.push(c);
        }
        choices.push({ words, at: 0, cands, keepFirst: rng.chance(0.05) });
      }
      push(words, labels);
      n += words.length;
    }
    const ok = allocatedByObjdump(choices.flatMap((c) => c.cands));
    if (ok) for (const c of choices) if (!c.keepFirst) c.words[c.at] = c.cands.find((w) => ok.has(w)) ?? c.cands[0];
  };
  const p = generate(seed, insns, build, { fp: true, mmu: mmu || undefined });
  // SIMD&FP initial state
  const v = new Uint32Array(128);
  for (let r = 0; r < 32; r++) fillInteresting(rng, v, r);
  p.init.v = v;
  p.init.fpcr = randomFpcr(rng);
  p.init.fpsr = rng.chance(0.2) ? (rng.u32() & 0xf800_009f) >>> 0 : 0;
  // interesting lane values in the scratch area (every other 64-byte block), for the loads
  const tmp = new Uint32Array(4);
  const dv = new DataView(p.data.buffer, p.data.byteOffset, p.data.byteLength);
  for (let off = 0; off < p.data.length; off += 128) {
    for (let q = 0; q < 4; q++) {
      fillInteresting(rng, tmp, 0);
      for (let i = 0; i < 4; i++) dv.setUint32(off + 16 * q + 4 * i, tmp[i], true);
    }
  }
  return p;
}
