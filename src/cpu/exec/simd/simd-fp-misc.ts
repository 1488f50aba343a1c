// AdvSIMD floating-point "two-register miscellaneous" (Arm ARM C4.1.96, and C4.1.97 "(FP16)" with
// bits[22:17] = 111100), their AdvSIMD scalar forms (C4.1.104/C4.1.105), the narrowing/widening
// conversions FCVTN(2)/FCVTXN(2)/FCVTL(2), and the FP forms of "shift by immediate" (C4.1.106/C4.1.107:
// SCVTF/UCVTF/FCVTZS/FCVTZU with fbits = 2 × esize − immh:immb).
// Fields: d.rd/rn = 4 × register, d.imm = element size, d.imm2 = elements, d.imm3 = fbits or
// Q (for the narrow/widen forms), d.ext = element op.
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import type { FpEnv, FpSize, Rounding } from '../../fp/fpu';
import {
  fpAbs, fpNeg, fpSqrt, fpCompareEQ, fpCompareGE, fpCompareGT, fpRoundInt, fpRoundIntN, fpConvert,
  fpToFixed, fixedToFp, fpRecipEstimate, fpRSqrtEstimate, fpRecpX, uRecipEstimate, uRSqrtEstimate,
} from '../../fp/fpu';
import { fpEnv, fpFlush } from '../../fp/env';
import { lane, put, clearW, commitW, W, ONES, szOf } from './simd-fp-lanes';

/** element op: (element, size, env, fbits) */
type Un = (a: bigint, n: FpSize, env: FpEnv, fbits: number) => bigint;

const mask = (r: boolean, n: FpSize): bigint => (r ? ONES[n] : 0n);
const toInt = (rnd: Rounding, uns: boolean): Un => (a, n, e, fb) => fpToFixed(a, n, fb, uns, rnd, n, e);
const frint = (rnd: Rounding, exact = false): Un => (a, n, e) => fpRoundInt(a, n, rnd, exact, e);
const frintN = (rnd: Rounding, size: 32 | 64): Un => (a, n, e) => fpRoundIntN(a, n, rnd, size, e);
const cvtf = (uns: boolean): Un => (a, n, e, fb) => fixedToFp(a, n, fb, uns, n, -1, e);

interface MiscOp {
  name: string;
  op: Un;
  /** has an AdvSIMD scalar form */
  scalar?: boolean;
  /** exists for half precision (FP16 encodings) */
  half?: boolean;
  /** vector single/double (not in the scalar class; FRECPX is scalar only) */
  vec?: boolean;
  /** only sz = 0 (URECPE/URSQRTE) */
  s32?: boolean;
}

const V = { vec: true, half: true };
const VS = { vec: true, half: true, scalar: true };
// key: U << 6 | a << 5 | opcode
const MISC = new Map<number, MiscOp>([
  [0x18, { name: 'FRINTN', op: frint(0), ...V }],
  [0x19, { name: 'FRINTM', op: frint(2), ...V }],
  [0x1a, { name: 'FCVTNS', op: toInt(0, false), ...VS }],
  [0x1b, { name: 'FCVTMS', op: toInt(2, false), ...VS }],
  [0x1c, { name: 'FCVTAS', op: toInt(4, false), ...VS }],
  [0x1d, { name: 'SCVTF', op: cvtf(false), ...VS }],
  [0x1e, { name: 'FRINT32Z', op: frintN(3, 32), vec: true }],
  [0x1f, { name: 'FRINT64Z', op: frintN(3, 64), vec: true }],
  [0x2c, { name: 'FCMGT', op: (a, n, e) => mask(fpCompareGT(a, 0n, n, e), n), ...VS }],
  [0x2d, { name: 'FCMEQ', op: (a, n, e) => mask(fpCompareEQ(a, 0n, n, e), n), ...VS }],
  [0x2e, { name: 'FCMLT', op: (a, n, e) => mask(fpCompareGT(0n, a, n, e), n), ...VS }],
  [0x2f, { name: 'FABS', op: (a, n) => fpAbs(a, n), ...V }],
  [0x38, { name: 'FRINTP', op: frint(1), ...V }],
  [0x39, { name: 'FRINTZ', op: frint(3), ...V }],
  [0x3a, { name: 'FCVTPS', op: toInt(1, false), ...VS }],
  [0x3b, { name: 'FCVTZS', op: toInt(3, false), ...VS }],
  [0x3c, { name: 'URECPE', op: (a) => BigInt(uRecipEstimate(Number(a)) >>> 0), vec: true, s32: true }],
  [0x3d, { name: 'FRECPE', op: (a, n, e) => fpRecipEstimate(a, n, e), ...VS }],
  [0x3f, { name: 'FRECPX', op: (a, n, e) => fpRecpX(a, n, e), scalar: true, half: true }],
  [0x58, { name: 'FRINTA', op: frint(4), ...V }],
  [0x59, { name: 'FRINTX', op: frint(-1, true), ...V }],
  [0x5a, { name: 'FCVTNU', op: toInt(0, true), ...VS }],
  [0x5b, { name: 'FCVTMU', op: toInt(2, true), ...VS }],
  [0x5c, { name: 'FCVTAU', op: toInt(4, true), ...VS }],
  [0x5d, { name: 'UCVTF', op: cvtf(true), ...VS }],
  [0x5e, { name: 'FRINT32X', op: frintN(-1, 32), vec: true }],
  [0x5f, { name: 'FRINT64X', op: frintN(-1, 64), vec: true }],
  [0x6c, { name: 'FCMGE', op: (a, n, e) => mask(fpCompareGE(a, 0n, n, e), n), ...VS }],
  [0x6d, { name: 'FCMLE', op: (a, n, e) => mask(fpCompareGE(0n, a, n, e), n), ...VS }],
  [0x6f, { name: 'FNEG', op: (a, n) => fpNeg(a, n), ...V }],
  [0x79, { name: 'FRINTI', op: frint(-1), ...V }],
  [0x7a, { name: 'FCVTPU', op: toInt(1, true), ...VS }],
  [0x7b, { name: 'FCVTZU', op: toInt(3, true), ...VS }],
  [0x7c, { name: 'URSQRTE', op: (a) => BigInt(uRSqrtEstimate(Number(a)) >>> 0), vec: true, s32: true }],
  [0x7d, { name: 'FRSQRTE', op: (a, n, e) => fpRSqrtEstimate(a, n, e), ...VS }],
  [0x7f, { name: 'FSQRT', op: (a, n, e) => fpSqrt(a, n, e), vec: true, half: true }],
]);
// FP16 FRINT32/64 do not exist; FSQRT has no scalar AdvSIMD form (it is FP data-processing 1-source).
for (const k of [0x1e, 0x1f, 0x5e, 0x5f]) MISC.get(k)!.half = false;

/** Vd[e] = op(Vn[e]) */
function execUn(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const op = d.ext as Un;
  const fb = d.imm3;
  const env = fpEnv(c);
  clearW();
  for (let e = 0; e < d.imm2; e++) put(n, e, op(lane(c, d.rn, n, e), n, env, fb));
  commitW(c, d.rd);
  fpFlush(c, env);
}

/** FCVTN/FCVTN2/FCVTXN/FCVTXN2 (vector: d.imm2 elements of 2n bits → n bits into the lower half, or
 * the upper half keeping the lower for Q = 1) and FCVTXN scalar (d.imm2 = 1). d.imm = n, d.imm3 = Q,
 * d.ext = rounding (-1 FPCR, 5 odd). */
function execNarrow(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const wide = (2 * n) as FpSize;
  const rnd = d.ext as Rounding;
  const env = fpEnv(c);
  clearW();
  const base = d.imm3 ? 64 / n : 0;
  if (d.imm3) {
    W[0] = c.vreg[d.rd];
    W[1] = c.vreg[d.rd + 1];
  }
  for (let e = 0; e < d.imm2; e++) {
    const a = lane(c, d.rn, wide, e);
    put(n, base + e, rnd === -1 ? fpConvert(a, wide, n, env) : fpConvert(a, wide, n, env, rnd));
  }
  commitW(c, d.rd);
  fpFlush(c, env);
}

/** FCVTL/FCVTL2: d.imm2 elements of n bits from the lower (Q = 0) or upper half → 2n bits. */
function execWiden(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const wide = (2 * n) as FpSize;
  const env = fpEnv(c);
  const base = d.imm3 ? 64 / n : 0;
  const src: bigint[] = [];
  for (let e = 0; e < d.imm2; e++) src.push(lane(c, d.rn, n, base + e));
  clearW();
  for (let e = 0; e < d.imm2; e++) put(wide, e, fpConvert(src[e], n, wide, env));
  commitW(c, d.rd);
  fpFlush(c, env);
}

function compileMisc(half: boolean, scalar: boolean) {
  return (f: Record<string, number>, d: Decoded, raw: number): boolean => {
    f.o = (raw >>> 12) & 31;
    f.a = (raw >>> 23) & 1;
    f.s = (raw >>> 22) & 1;
    const sz = half ? 0 : f.s;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.imm3 = 0;
    const q = scalar ? 1 : f.q;
    // narrowing / widening (U=0 a=0 10110 FCVTN, 10111 FCVTL; U=1 a=0 sz=1 10110 FCVTXN)
    if (!half && f.a === 0 && (f.o === 0x16 || f.o === 0x17)) {
      if (f.o === 0x16) {
        if (f.u === 1 && sz === 0) return false;
        if (scalar && f.u === 0) return false;
        d.imm = sz ? 32 : 16;
        d.imm2 = scalar ? 1 : 64 / d.imm;
        d.imm3 = scalar ? 0 : q;
        d.ext = f.u ? 5 : -1;
        d.fn = execNarrow;
        return true;
      }
      if (scalar || f.u === 1) return false;
      d.imm = sz ? 32 : 16;
      d.imm2 = 64 / d.imm;
      d.imm3 = q;
      d.fn = execWiden;
      return true;
    }
    const m = MISC.get((f.u << 6) | (f.a << 5) | f.o);
    if (!m) return false;
    if ((half && !m.half) || !(scalar ? m.scalar : m.vec)) return false;
    if (m.s32 && sz === 1) return false;
    if (!scalar && sz === 1 && q === 0) return false;
    const n: FpSize = half ? 16 : szOf(sz);
    d.imm = n;
    d.imm2 = scalar ? 1 : (q ? 128 : 64) / n;
    d.ext = m.op;
    d.fn = execUn;
    return true;
  };
}

/** shift by immediate, FP forms: opcode 11100 SCVTF/UCVTF, 11111 FCVTZS/FCVTZU (fixed-point) */
function compileFixed(scalar: boolean) {
  return (f: Record<string, number>, d: Decoded): boolean => {
    if (f.o !== 0 && f.o !== 3) return false;
    const immh = f.i >> 3;
    if (immh === 0 || immh === 1) return false; // modified immediate / reserved
    const n: FpSize = immh >= 8 ? 64 : immh >= 4 ? 32 : 16;
    const q = scalar ? 1 : f.q;
    if (n === 64 && q === 0) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.imm = n;
    d.imm2 = scalar ? 1 : (q ? 128 : 64) / n;
    d.imm3 = 2 * n - f.i;
    const uns = f.u === 1;
    d.ext = f.o === 0 ? cvtf(uns) : toInt(3, uns);
    d.fn = execUn;
    return true;
  };
}

/** the two-register misc rows, split by opcode so that only FP opcodes are claimed: a=1 01100-01111,
 * 10110/10111 (FCVTN/FCVTL/FCVTXN) and 11xxx */
function miscRows(name: string, base: string, half: boolean, scalar: boolean): Row[] {
  // base has 'A' at size<1>, 'OOOOO' at the opcode
  const mk = (a: string, op: string): string => base.replace('A', a).replace('OOOOO', op);
  const c = compileMisc(half, scalar);
  const rows: Row[] = [
    [`${name}_cmp`, mk('1', '011oo'), c],
    [`${name}_hi`, mk('a', '11ooo'), c],
  ];
  if (!half) rows.push([`${name}_cvt`, mk('0', '1011o'), c]);
  return rows;
}

function fixedRows(name: string, top: string, scalar: boolean): Row[] {
  const c = compileFixed(scalar);
  const tail = '111oo1nnnnnddddd';
  return [
    [`${name}_D`, `${top}1iiiiii${tail}`, (f, d) => c({ ...f, i: 64 | f.i }, d)],
    [`${name}_S`, `${top}01iiiii${tail}`, (f, d) => c({ ...f, i: 32 | f.i }, d)],
    [`${name}_H`, `${top}001iiii${tail}`, (f, d) => c({ ...f, i: 16 | f.i }, d)],
  ];
}

export const SIMD_FP_MISC_ROWS: Row[] = [
  ...miscRows('SIMD_FP_MISC', '0qu01110As10000OOOOO10nnnnnddddd', false, false),
  ...miscRows('SIMD_FP_MISC_H', '0qu01110A111100OOOOO10nnnnnddddd', true, false),
  ...miscRows('SIMD_FP_MISC_SC', '01u11110As10000OOOOO10nnnnnddddd', false, true),
  ...miscRows('SIMD_FP_MISC_SCH', '01u11110A111100OOOOO10nnnnnddddd', true, true),
  // immh (bits 22:19) = 1xxx double, 01xx single, 001x half: immh = 0000 is "modified immediate"
  ...fixedRows('SIMD_FP_FIXED', '0qu011110', false),
  ...fixedRows('SIMD_FP_FIXED_SC', '01u111110', true),
];
