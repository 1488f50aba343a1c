// AdvSIMD floating-point "three same" (Arm ARM C4.1.95 "Advanced SIMD three same", opcode 11xxx with
// size<1> = a and size<0> = sz; C4.1.94 "three same (FP16)", opcode<2:0> = the same low bits), their
// AdvSIMD scalar forms (C4.1.103/C4.1.102), the pairwise forms (FADDP, FMAXP, ...: concatenation
// Vm:Vn, pairs of adjacent elements), AdvSIMD scalar pairwise (C4.1.100) and across lanes (C4.1.92,
// FMAXV etc. with the Reduce() pairwise tree).
// Fields: d.rd/rn/rm = 4 × register, d.imm = element size, d.imm2 = elements, d.ext = element op.
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import type { FpEnv, FpSize } from '../../fp/fpu';
import {
  fpAdd, fpSub, fpMul, fpMulX, fpDiv, fpMulAdd, fpMax, fpMin, fpMaxNum, fpMinNum, fpAbs, fpNeg,
  fpCompareEQ, fpCompareGE, fpCompareGT, fpRecipStepFused, fpRSqrtStepFused,
} from '../../fp/fpu';
import { fpEnv, fpFlush } from '../../fp/env';
import { compileFhmVec } from './simd-fp-fhm';
import { lane, put, clearW, commitW, ONES, szOf } from './simd-fp-lanes';

/** element op: (Vn element, Vm element, size, env, Vd element) */
export type Bin = (a: bigint, b: bigint, n: FpSize, env: FpEnv, acc: bigint) => bigint;

const mask = (r: boolean, n: FpSize): bigint => (r ? ONES[n] : 0n);

interface SameOp {
  name: string;
  op: Bin;
  pair?: boolean;
  /** also exists as an AdvSIMD scalar instruction */
  scalar?: boolean;
  /** reads the destination (FMLA/FMLS) */
  acc?: boolean;
}

// key: U << 4 | a << 3 | opcode<2:0>
const SAME = new Map<number, SameOp>([
  [0x00, { name: 'FMAXNM', op: fpMaxNum }],
  [0x01, { name: 'FMLA', op: (a, b, n, e, acc) => fpMulAdd(acc, a, b, n, e), acc: true }],
  [0x02, { name: 'FADD', op: fpAdd }],
  [0x03, { name: 'FMULX', op: fpMulX, scalar: true }],
  [0x04, { name: 'FCMEQ', op: (a, b, n, e) => mask(fpCompareEQ(a, b, n, e), n), scalar: true }],
  [0x06, { name: 'FMAX', op: fpMax }],
  [0x07, { name: 'FRECPS', op: fpRecipStepFused, scalar: true }],
  [0x08, { name: 'FMINNM', op: fpMinNum }],
  [0x09, { name: 'FMLS', op: (a, b, n, e, acc) => fpMulAdd(acc, fpNeg(a, n), b, n, e), acc: true }],
  [0x0a, { name: 'FSUB', op: fpSub }],
  [0x0e, { name: 'FMIN', op: fpMin }],
  [0x0f, { name: 'FRSQRTS', op: fpRSqrtStepFused, scalar: true }],
  [0x10, { name: 'FMAXNMP', op: fpMaxNum, pair: true }],
  [0x12, { name: 'FADDP', op: fpAdd, pair: true }],
  [0x13, { name: 'FMUL', op: fpMul }],
  [0x14, { name: 'FCMGE', op: (a, b, n, e) => mask(fpCompareGE(a, b, n, e), n), scalar: true }],
  [0x15, { name: 'FACGE', op: (a, b, n, e) => mask(fpCompareGE(fpAbs(a, n), fpAbs(b, n), n, e), n), scalar: true }],
  [0x16, { name: 'FMAXP', op: fpMax, pair: true }],
  [0x17, { name: 'FDIV', op: fpDiv }],
  [0x18, { name: 'FMINNMP', op: fpMinNum, pair: true }],
  [0x1a, { name: 'FABD', op: (a, b, n, e) => fpAbs(fpSub(a, b, n, e), n), scalar: true }],
  [0x1c, { name: 'FCMGT', op: (a, b, n, e) => mask(fpCompareGT(a, b, n, e), n), scalar: true }],
  [0x1d, { name: 'FACGT', op: (a, b, n, e) => mask(fpCompareGT(fpAbs(a, n), fpAbs(b, n), n, e), n), scalar: true }],
  [0x1e, { name: 'FMINP', op: fpMin, pair: true }],
]);

/** Elementwise: Vd[e] = op(Vn[e], Vm[e]) for d.imm2 elements of size d.imm. */
function execSame(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const op = d.ext as Bin;
  const env = fpEnv(c);
  clearW();
  for (let e = 0; e < d.imm2; e++) {
    put(n, e, op(lane(c, d.rn, n, e), lane(c, d.rm, n, e), n, env, lane(c, d.rd, n, e)));
  }
  commitW(c, d.rd);
  fpFlush(c, env);
}

/** Pairwise (C7 FADDP etc.): concat = Vm:Vn; result[e] = op(concat[2e], concat[2e+1]). */
function execPair(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const op = d.ext as Bin;
  const k = d.imm2;
  const env = fpEnv(c);
  const el = (i: number): bigint => (i < k ? lane(c, d.rn, n, i) : lane(c, d.rm, n, i - k));
  clearW();
  for (let e = 0; e < k; e++) put(n, e, op(el(2 * e), el(2 * e + 1), n, env, 0n));
  commitW(c, d.rd);
  fpFlush(c, env);
}

/** Reduce(op, input, esize) of the Arm ARM: op(Reduce(lower half), Reduce(upper half)). */
function reduce(c: Cpu, r4: number, n: FpSize, lo: number, cnt: number, op: Bin, env: FpEnv): bigint {
  if (cnt === 1) return lane(c, r4, n, lo);
  const h = cnt >> 1;
  const a = reduce(c, r4, n, lo, h, op, env);
  const b = reduce(c, r4, n, lo + h, h, op, env);
  return op(a, b, n, env, 0n);
}

/** Across lanes and scalar pairwise: Vd = Reduce over d.imm2 elements of Vn. */
function execReduce(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const env = fpEnv(c);
  const r = reduce(c, d.rn, n, 0, d.imm2, d.ext as Bin, env);
  clearW();
  put(n, 0, r);
  commitW(c, d.rd);
  fpFlush(c, env);
}

function regs(f: Record<string, number>, d: Decoded): void {
  d.rd = 4 * f.d;
  d.rn = 4 * f.n;
  d.rm = 4 * (f.m ?? 0);
}

/** vector three same; half = the FP16 encoding */
function compileVec(half: boolean) {
  return (f: Record<string, number>, d: Decoded): boolean => {
    const s = SAME.get((f.u << 4) | (f.a << 3) | f.o);
    if (!s) return half ? false : compileFhmVec(f, d); // FMLAL/FMLSL(2) share this encoding space
    const sz = half ? 0 : f.s;
    if (sz === 1 && f.q === 0) return false;
    const n: FpSize = half ? 16 : szOf(sz);
    regs(f, d);
    d.imm = n;
    d.imm2 = (f.q ? 128 : 64) / n;
    d.ext = s.op;
    d.fn = s.pair ? execPair : execSame;
    return true;
  };
}

function compileScalar(half: boolean) {
  return (f: Record<string, number>, d: Decoded): boolean => {
    const s = SAME.get((f.u << 4) | (f.a << 3) | f.o);
    if (!s || !s.scalar) return false;
    const n: FpSize = half ? 16 : szOf(f.s);
    regs(f, d);
    d.imm = n;
    d.imm2 = 1;
    d.ext = s.op;
    d.fn = execSame;
    return true;
  };
}

// across lanes (U=0: half, sz must be 0; U=1: single, Q=1, sz 0) and scalar pairwise
// (U=0: half, sz 0; U=1: single/double by sz). opcode 01100 max/minNM, 01101 FADDP (pairwise only),
// 01111 max/min; a (size<1>) selects min.
const RED: Record<string, Bin | undefined> = {
  '0:0': fpMaxNum, '0:1': fpMinNum, '3:0': fpMax, '3:1': fpMin, '1:0': fpAdd,
};
const RED_NAMES: Record<string, string> = { '0:0': 'FMAXNM', '0:1': 'FMINNM', '3:0': 'FMAX', '3:1': 'FMIN', '1:0': 'FADD' };

export const SIMD_FP_SAME_ROWS: Row[] = [
  ['SIMD_FP_SAME', '0qu01110as1mmmmm11ooo1nnnnnddddd', compileVec(false)],
  ['SIMD_FP_SAME_H', '0qu01110a10mmmmm00ooo1nnnnnddddd', compileVec(true)],
  ['SIMD_FP_SAME_SC', '01u11110as1mmmmm11ooo1nnnnnddddd', compileScalar(false)],
  ['SIMD_FP_SAME_SCH', '01u11110a10mmmmm00ooo1nnnnnddddd', compileScalar(true)],
  ['SIMD_FP_ACROSS', '0qu01110as11000011oo10nnnnnddddd', (f, d) => {
    const key = `${f.o}:${f.a}`;
    const op = RED[key];
    if (!op || f.o === 1 || f.s === 1) return false;
    if (f.u === 1 && f.q === 0) return false;
    const n: FpSize = f.u ? 32 : 16;
    regs(f, d);
    d.imm = n;
    d.imm2 = (f.q ? 128 : 64) / n;
    d.ext = op;
    d.fn = execReduce;
    return true;
  }],
  ['SIMD_FP_PAIR_SC', '01u11110as11000011oo10nnnnnddddd', (f, d) => {
    const key = `${f.o}:${f.a}`;
    const op = RED[key];
    if (!op) return false;
    if (f.u === 0 && f.s === 1) return false;
    const n: FpSize = f.u ? szOf(f.s) : 16;
    regs(f, d);
    d.imm = n;
    d.imm2 = 2;
    d.ext = op;
    d.fn = execReduce;
    return true;
  }],
];
