// AdvSIMD floating-point "vector x indexed element" and "scalar x indexed element" (Arm ARM C4.1.99 /
// C4.1.108): FMLA (U=0 opcode 0001), FMLS (U=0 0101), FMUL (U=0 1001), FMULX (U=1 1001).
// size 00 = half (index H:L:M, Rm 4 bits), 10 = single (index H:L, Rm = M:Rm), 11 = double (index H,
// L = 0, vector Q = 1). Fields: d.rd/rn/rm = 4 × register, d.imm = element size, d.imm2 = elements,
// d.imm3 = index, d.ext = element op.
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import type { FpSize } from '../../fp/fpu';
import { fpMul, fpMulX, fpMulAdd, fpNeg } from '../../fp/fpu';
import { fpEnv, fpFlush } from '../../fp/env';
import { lane, put, clearW, commitW } from './simd-fp-lanes';
import type { Bin } from './simd-fp-same';

const OPS: Record<string, [string, Bin]> = {
  '0:1': ['FMLA', (a, b, n, e, acc) => fpMulAdd(acc, a, b, n, e)],
  '0:5': ['FMLS', (a, b, n, e, acc) => fpMulAdd(acc, fpNeg(a, n), b, n, e)],
  '0:9': ['FMUL', fpMul],
  '1:9': ['FMULX', fpMulX],
};

function execElem(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const op = d.ext as Bin;
  const env = fpEnv(c);
  const b = lane(c, d.rm, n, d.imm3);
  clearW();
  for (let e = 0; e < d.imm2; e++) put(n, e, op(lane(c, d.rn, n, e), b, n, env, lane(c, d.rd, n, e)));
  commitW(c, d.rd);
  fpFlush(c, env);
}

function compile(scalar: boolean) {
  return (f: Record<string, number>, d: Decoded, raw: number): boolean => {
    const o = (raw >>> 12) & 15;
    const u = (raw >>> 29) & 1;
    const k = OPS[`${u}:${o}`];
    if (!k) return false;
    const q = scalar ? 1 : (raw >>> 30) & 1;
    let n: FpSize;
    let index: number;
    let rm = f.r;
    if (f.s === 0) {
      n = 16;
      index = (f.h << 2) | (f.l << 1) | f.m;
    } else if (f.s === 2) {
      n = 32;
      index = (f.h << 1) | f.l;
      rm |= f.m << 4;
    } else if (f.s === 3) {
      if (f.l === 1 || q === 0) return false;
      n = 64;
      index = f.h;
      rm |= f.m << 4;
    } else return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.rm = 4 * rm;
    d.imm = n;
    d.imm2 = scalar ? 1 : (q ? 128 : 64) / n;
    d.imm3 = index;
    d.ext = k[1];
    d.fn = execElem;
    return true;
  };
}

export const SIMD_FP_ELEM_ROWS: Row[] = [
  ['SIMD_FP_ELEM_MLA', '0q001111sslmrrrr0-01h0nnnnnddddd', compile(false)],
  ['SIMD_FP_ELEM_MUL', '0q-01111sslmrrrr1001h0nnnnnddddd', compile(false)],
  ['SIMD_FP_ELEM_SC_MLA', '01011111sslmrrrr0-01h0nnnnnddddd', compile(true)],
  ['SIMD_FP_ELEM_SC_MUL', '01-11111sslmrrrr1001h0nnnnnddddd', compile(true)],
];
