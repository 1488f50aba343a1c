// Conversions between floating-point and integer / fixed-point (Arm ARM C4.1.96 "Conversion between
// floating-point and integer", "Conversion between floating-point and fixed-point"): FCVT[NPMZA][SU],
// SCVTF/UCVTF (integer and fixed point), FMOV (general) including the Vn.D[1] forms, FJCVTZS
// (FEAT_JSCVT). General registers: d.rd/d.rn = 2 × slot (regW/regR); V registers: 4 × number.
// d.imm = FP size, d.imm2 = integer size (32/64), d.imm3 = fbits, d.imm4 = rounding (-1 = FPCR),
// d.ext = unsigned flag (for the FP->int direction).
import type { Row, Decoded } from '../../decode/decoder';
import { regR, regW } from '../../decode/decoder';
import type { Cpu } from '../../cpu';
import { fpTrap } from '../../fpaccess';
import * as F from '../../fp/fpu';
import type { FpSize, Rounding } from '../../fp/fpu';
import { fpEnv, fpFlush } from '../../fp/env';
import { ftypeSize, rdF, wrF } from './fp-scalar-util';

function wrX(c: Cpu, rd: number, v: bigint, size: number): void {
  c.x[rd] = Number(v & 0xffffffffn);
  c.x[rd + 1] = size === 64 ? Number(v >> 32n) : 0;
}
function rdX(c: Cpu, rn: number, size: number): bigint {
  const lo = BigInt(c.x[rn]);
  return size === 64 ? (BigInt(c.x[rn + 1]) << 32n) | lo : lo;
}

/** FCVT*S/FCVT*U (integer and fixed point) */
function fcvtToInt(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const env = fpEnv(c);
  const n = d.imm as FpSize;
  const v = F.fpToFixed(rdF(c, d.rn, n), n, d.imm3, d.ext === true, d.imm4 as Rounding, d.imm2 as 32 | 64, env);
  wrX(c, d.rd, v, d.imm2);
  fpFlush(c, env);
}
/** SCVTF/UCVTF (integer and fixed point) */
function cvtFromInt(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const env = fpEnv(c);
  const n = d.imm as FpSize;
  const v = F.fixedToFp(rdX(c, d.rn, d.imm2), d.imm2 as 32 | 64, d.imm3, d.ext === true, n, -1, env);
  wrF(c, d.rd, n, v);
  fpFlush(c, env);
}
/** FMOV general <- FP (d.imm = FP size, d.imm2 = general size; d.imm3 = 1: the top half D[1]) */
function fmovToGen(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const v = d.imm3 ? c.v64[(d.rn >> 1) + 1] : rdF(c, d.rn, d.imm as FpSize);
  wrX(c, d.rd, v, d.imm2);
}
function fmovFromGen(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  if (d.imm3) {
    c.vreg[d.rd + 2] = c.x[d.rn];
    c.vreg[d.rd + 3] = c.x[d.rn + 1];
    return;
  }
  const n = d.imm as FpSize;
  wrF(c, d.rd, n, rdX(c, d.rn, 64) & ((1n << BigInt(n)) - 1n));
}
/** FJCVTZS Wd, Dn */
function fjcvtzs(c: Cpu, d: Decoded): void {
  if (fpTrap(c)) return;
  const env = fpEnv(c);
  const [r, z] = F.fpToFixedJS(c.v64[d.rn >> 1], env);
  c.x[d.rd] = r >>> 0;
  c.x[d.rd + 1] = 0;
  c.nzcv = z << 2;
  fpFlush(c, env);
}

const RM_FROM: Rounding[] = [0, 1, 2, 3]; // rmode 00 N, 01 P, 10 M, 11 Z

export const FP_CVT_ROWS: Row[] = [
  ['FP_CVT_INT', 's0011110tt1rrooo000000nnnnnddddd', (f, d) => {
    const isize = f.s ? 64 : 32;
    const o = f.o;
    const r = f.r;
    if (o === 6 || o === 7) {
      // FMOV (general)
      let n: FpSize;
      d.imm3 = 0;
      if (r === 0 && f.t === 0 && !f.s) n = 32;
      else if (r === 0 && f.t === 1 && f.s) n = 64;
      else if (r === 0 && f.t === 3) n = 16;
      else if (r === 1 && f.t === 2 && f.s) {
        n = 64;
        d.imm3 = 1;
      } else if (r === 3 && f.t === 1 && !f.s && o === 6) {
        d.rd = regW(f.d);
        d.rn = 4 * f.n;
        d.fn = fjcvtzs;
        return true;
      } else return false;
      d.imm = n;
      d.imm2 = isize;
      if (o === 6) {
        d.rd = regW(f.d);
        d.rn = 4 * f.n;
        d.fn = fmovToGen;
      } else {
        d.rd = 4 * f.d;
        d.rn = regR(f.n);
        d.fn = fmovFromGen;
      }
      return true;
    }
    const n = ftypeSize(f.t);
    if (!n) return false;
    d.imm = n;
    d.imm2 = isize;
    d.imm3 = 0;
    if (o === 2 || o === 3) {
      if (r !== 0) return false;
      d.rd = 4 * f.d;
      d.rn = regR(f.n);
      d.ext = o === 3;
      d.fn = cvtFromInt;
      return true;
    }
    if (o >= 4 && r !== 0) return false; // FCVTAS/FCVTAU: rmode 00 only
    d.rd = regW(f.d);
    d.rn = 4 * f.n;
    d.ext = (o & 1) === 1;
    d.imm4 = o >= 4 ? 4 : RM_FROM[r];
    d.fn = fcvtToInt;
    return true;
  }],
  ['FP_CVT_FIXED', 's0011110tt0rrooojjjjjjnnnnnddddd', (f, d) => {
    const n = ftypeSize(f.t);
    if (!n) return false;
    if (!f.s && f.j < 32) return false;
    const isize = f.s ? 64 : 32;
    d.imm = n;
    d.imm2 = isize;
    d.imm3 = 64 - f.j;
    if (f.r === 3 && (f.o === 0 || f.o === 1)) {
      d.rd = regW(f.d);
      d.rn = 4 * f.n;
      d.ext = f.o === 1;
      d.imm4 = 3;
      d.fn = fcvtToInt;
      return true;
    }
    if (f.r === 0 && (f.o === 2 || f.o === 3)) {
      d.rd = 4 * f.d;
      d.rn = regR(f.n);
      d.ext = f.o === 3;
      d.fn = cvtFromInt;
      return true;
    }
    return false;
  }],
];
