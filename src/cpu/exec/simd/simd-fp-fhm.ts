// FEAT_FHM (Arm ARM C7.2 FMLAL, FMLAL2, FMLSL, FMLSL2, vector and by element): single-precision
// lanes d[e] += (±) n_half[part·E + e] × m_half[...], fused with one single-precision rounding
// (FPMulAddH). The half inputs are unpacked with FPCR.FZ16 (a flushed half denormal raises no IDC,
// FPUnpack ignores AHP) and are exactly representable in single precision, so each lane is the
// library's single-precision fpMulAdd on the widened bit patterns (a NaN keeps its signalling bit and
// payload, as FPProcessNaNs3H converts it).
// Vector encodings sit in "three same" (U=0 opcode 11101 / U=1 opcode 11001, size 0x / 1x for
// FMLAL / FMLSL); simd-fp-same.ts hands them over (compileFhmVec). By element: size 10, U=0 opcode
// 0s00 (FMLAL/FMLSL), U=1 opcode 1s00 (FMLAL2/FMLSL2), index H:L:M, Rm 4 bits.
// Fields: d.rd/rn/rm = 4 × register, d.imm2 = elements (2 or 4), d.imm = first half lane of Vn
// (part × elements), d.imm3 = 1 for subtract, d.imm4 = Vm half lane (by element) or -1.
import type { Row, Decoded } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import { fpMulAdd } from '../../fp/fpu';
import { fpEnv, fpFlush } from '../../fp/env';
import { W, clearW, commitW } from './simd-fp-lanes';

const FZ16 = 1 << 19;

/** half bit pattern → the single-precision pattern of the same value (FZ16 flushes denormals) */
function widen(h: number, fz16: boolean): bigint {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 31;
  let frac = h & 0x3ff;
  if (exp === 31) return BigInt((sign | 0x7f80_0000 | (frac << 13)) >>> 0);
  if (exp === 0) {
    if (frac === 0 || fz16) return BigInt(sign >>> 0);
    // denormal: frac × 2^-24, normalise into single precision
    let e = -14;
    while ((frac & 0x400) === 0) {
      frac <<= 1;
      e--;
    }
    return BigInt((sign | ((e + 127) << 23) | ((frac & 0x3ff) << 13)) >>> 0);
  }
  return BigInt((sign | ((exp - 15 + 127) << 23) | (frac << 13)) >>> 0);
}

function execFhm(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const env = fpEnv(c);
  const fz16 = (env.fpcr & FZ16) !== 0;
  const v16 = c.v16;
  const sub = d.imm3 === 1;
  const mIdx = d.imm4;
  clearW();
  for (let e = 0; e < d.imm2; e++) {
    let a = v16[2 * d.rn + d.imm + e];
    if (sub) a ^= 0x8000; // FPNeg on the half element
    const b = v16[2 * d.rm + (mIdx < 0 ? d.imm + e : mIdx)];
    W[e] = Number(fpMulAdd(BigInt(c.vreg[d.rd + e]), widen(a, fz16), widen(b, fz16), 32, env));
  }
  commitW(c, d.rd);
  fpFlush(c, env);
}

/** three same, FHM opcodes: returns false if (u, a, sz, opcode) is not FMLAL/FMLSL(2). */
export function compileFhmVec(f: Record<string, number>, d: Decoded): boolean {
  if (f.s !== 0) return false;
  const op = 0x18 | f.o;
  if (!((f.u === 0 && op === 0x1d) || (f.u === 1 && op === 0x19))) return false;
  d.rd = 4 * f.d;
  d.rn = 4 * f.n;
  d.rm = 4 * f.m;
  d.imm2 = f.q ? 4 : 2;
  d.imm = f.u ? d.imm2 : 0;
  d.imm3 = f.a;
  d.imm4 = -1;
  d.fn = execFhm;
  return true;
}

function compileElem(f: Record<string, number>, d: Decoded): boolean {
  d.rd = 4 * f.d;
  d.rn = 4 * f.n;
  d.rm = 4 * f.r;
  d.imm2 = f.q ? 4 : 2;
  d.imm = f.u ? d.imm2 : 0;
  d.imm3 = f.s;
  d.imm4 = (f.h << 2) | (f.l << 1) | f.m;
  d.fn = execFhm;
  return true;
}

export const SIMD_FP_FHM_ROWS: Row[] = [
  ['FMLAL_elem', '0q00111110lmrrrr0s00h0nnnnnddddd', (f, d) => compileElem({ ...f, u: 0 }, d)],
  ['FMLAL2_elem', '0q10111110lmrrrr1s00h0nnnnnddddd', (f, d) => compileElem({ ...f, u: 1 }, d)],
];
