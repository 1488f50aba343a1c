// FEAT_FCMA (Arm ARM C7.2 FCMLA, FCMLA (by element), FCADD): complex multiply-accumulate with
// rotation on (real, imaginary) element pairs, and complex add with rotation. Vector encodings live in
// "Advanced SIMD three same extra" (C4.1.93: opcode 110rr FCMLA, 111r0 FCADD) and "vector x indexed
// element" (U=1, opcode 0rr1). size 01 = half, 10 = single, 11 = double (three same extra, Q = 1).
// Fields: d.rd/rn/rm = 4 × register, d.imm = element size, d.imm2 = elements, d.imm3 = rotation,
// d.imm4 = element-pair index (by element) or -1.
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import type { FpSize } from '../../fp/fpu';
import { fpAdd, fpMulAdd, fpNeg } from '../../fp/fpu';
import { fpEnv, fpFlush } from '../../fp/env';
import { lane, put, clearW, commitW } from './simd-fp-lanes';

function execFcmla(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const env = fpEnv(c);
  const rot = d.imm3;
  const idx = d.imm4;
  clearW();
  for (let p = 0; p < d.imm2 >> 1; p++) {
    const mp = idx < 0 ? p : idx;
    const mRe = lane(c, d.rm, n, 2 * mp);
    const mIm = lane(c, d.rm, n, 2 * mp + 1);
    const nRe = lane(c, d.rn, n, 2 * p);
    const nIm = lane(c, d.rn, n, 2 * p + 1);
    let e1: bigint, e2: bigint, e3: bigint, e4: bigint;
    switch (rot) {
      case 0:
        e1 = mRe; e2 = nRe; e3 = mIm; e4 = nRe;
        break;
      case 1:
        e1 = fpNeg(mIm, n); e2 = nIm; e3 = mRe; e4 = nIm;
        break;
      case 2:
        e1 = fpNeg(mRe, n); e2 = nRe; e3 = fpNeg(mIm, n); e4 = nRe;
        break;
      default:
        e1 = mIm; e2 = nIm; e3 = fpNeg(mRe, n); e4 = nIm;
    }
    put(n, 2 * p, fpMulAdd(lane(c, d.rd, n, 2 * p), e2, e1, n, env));
    put(n, 2 * p + 1, fpMulAdd(lane(c, d.rd, n, 2 * p + 1), e4, e3, n, env));
  }
  commitW(c, d.rd);
  fpFlush(c, env);
}

function execFcadd(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const n = d.imm as FpSize;
  const env = fpEnv(c);
  clearW();
  for (let p = 0; p < d.imm2 >> 1; p++) {
    const mRe = lane(c, d.rm, n, 2 * p);
    const mIm = lane(c, d.rm, n, 2 * p + 1);
    const e1 = d.imm3 === 0 ? fpNeg(mIm, n) : mIm;
    const e3 = d.imm3 === 0 ? mRe : fpNeg(mRe, n);
    put(n, 2 * p, fpAdd(lane(c, d.rn, n, 2 * p), e1, n, env));
    put(n, 2 * p + 1, fpAdd(lane(c, d.rn, n, 2 * p + 1), e3, n, env));
  }
  commitW(c, d.rd);
  fpFlush(c, env);
}

function vecSize(s: number, q: number): FpSize | 0 {
  if (s === 1) return 16;
  if (s === 2) return 32;
  if (s === 3 && q === 1) return 64;
  return 0;
}

export const SIMD_FP_CMA_ROWS: Row[] = [
  ['FCMLA_vec', '0q101110ss0mmmmm110rr1nnnnnddddd', (f, d) => {
    const n = vecSize(f.s, f.q);
    if (!n) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.rm = 4 * f.m;
    d.imm = n;
    d.imm2 = (f.q ? 128 : 64) / n;
    d.imm3 = f.r;
    d.imm4 = -1;
    d.fn = execFcmla;
    return true;
  }],
  ['FCADD', '0q101110ss0mmmmm111r01nnnnnddddd', (f, d) => {
    const n = vecSize(f.s, f.q);
    if (!n) return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.rm = 4 * f.m;
    d.imm = n;
    d.imm2 = (f.q ? 128 : 64) / n;
    d.imm3 = f.r;
    d.fn = execFcadd;
    return true;
  }],
  // by element: size 01 half (index H:L, Rm = M:Rm), 10 single (index H, L must be 0; Q = 1)
  ['FCMLA_elem', '0q101111sslmrrrr0tt1h0nnnnnddddd', (f, d) => {
    let index: number;
    let n: FpSize;
    if (f.s === 1) {
      n = 16;
      index = (f.h << 1) | f.l;
      if (f.q === 0 && f.h === 1) return false;
    } else if (f.s === 2) {
      if (f.l === 1 || f.q === 0) return false;
      n = 32;
      index = f.h;
    } else return false;
    d.rd = 4 * f.d;
    d.rn = 4 * f.n;
    d.rm = 4 * ((f.m << 4) | f.r);
    d.imm = n;
    d.imm2 = (f.q ? 128 : 64) / n;
    d.imm3 = f.t;
    d.imm4 = index;
    d.fn = execFcmla;
    return true;
  }],
];
